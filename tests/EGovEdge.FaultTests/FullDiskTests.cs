using System.Globalization;
using EGovEdge.FaultTests.Support;

namespace EGovEdge.FaultTests;

/// <summary>
/// A township edge whose data disk fills up (its DataDir is a 3 MB tmpfs: a real ENOSPC, not a simulated error).
/// Upload side: writes are answered 507 with a problem saying the disk is full, nothing is half-stored, reads and
/// /healthz keep working; once the disk is bigger, writing works again and everything acknowledged reaches the hub
/// exactly once. Download side: with the disk nearly full a large pull fails cleanly (the cycle reports the failure, the
/// pull cursor stays), and once space is freed it resumes and completes.
/// </summary>
public sealed class FullDiskTests(ITestOutputHelper output)
{
    private const int BodyChars = 8_000; // 24 KB of UTF-8
    private const int BigBodyChars = 200_000; // 600 KB of UTF-8

    [Fact]
    public async Task EdgeOnFullDisk_WritesAnswered507NothingHalfStored_AfterMoreSpaceAllReachesHubOnce_PullFailsCleanlyThenResumes()
    {
        var log = TestLog.To(output);
        Apps.WarnIfStale(log);
        await using var ws = new TestWorkspace("full-disk", log);
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: Apps.Hub);
        var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1, binary: Apps.Edge);
        // Disposed after RunAsync (which marks the workspace to keep its files on failure) and before the workspace.
        await using var disk = await Tmpfs.MountAsync(edge.DataDir, "3m", ws, edge);
        // Any failure while the edge has stopped on its own is reported as that (StaysUpAsync), with the errors from its log.
        await ws.RunAsync(() => StaysUpAsync(edge, async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();
            await Quiet.WaitForEdgeAsync(edge, TimeSpan.FromSeconds(90));
            log($"edge in sync; {disk.FreeBytes / 1024} KiB free on its data disk");
            var run = Guid.NewGuid().ToString("N")[..6];

            // ---- upload side: write until the disk is full ----------------------------------------------------
            var acked = new Dictionary<string, Document>(StringComparer.Ordinal);
            var refused = new List<(string Title, ApiResult<Document> Answer)>();
            for (var i = 1; i <= 400 && refused.Count < 3; i++)
            {
                var title = string.Create(CultureInfo.InvariantCulture, $"满盘测试 第{i:000}号 [{run}]");
                var r = await edge.Api.TryCreateDocumentAsync(new NewDocument(title, "通知", "普通", Body('盘', BodyChars, i), ["*"]));
                if (r.Status == 201) acked[r.Value!.Id] = r.Value;
                else if (r.Status == 507) refused.Add((title, r));
                else Assert.Fail($"write {i} on a filling disk: expected 201 or 507, got {r}");
            }
            log($"{acked.Count} documents stored, then {refused.Count} writes answered 507; {disk.FreeBytes / 1024} KiB free");
            Assert.True(refused.Count > 0, $"no write was answered 507 after {acked.Count} documents of {BodyChars * 3 / 1024} KB on a 3 MB disk");
            var full = refused[0].Answer;
            Assert.Equal("application/problem+json", full.ContentType);
            Assert.Equal(507, full.Problem?.Status);
            Assert.True(full.Problem?.Title?.Contains("磁盘已满", StringComparison.Ordinal) == true, $"the 507 problem does not say the disk is full: {full}");

            // Whatever a 24 KB document did not fit into goes too: now every write needs space there is not.
            var topOff = Path.Combine(edge.DataDir, "top-off.bin");
            FillUp(topOff, disk.FreeBytes + 1024 * 1024);
            log($"disk topped off: {disk.FreeBytes} bytes free");

            // The node stays up on a full disk: its sync worker meets the full disk too (it cannot record its cycles, nor the
            // hub's answers) and must go on cycle after cycle instead of taking the node down.
            {
                var attempts = new HashSet<DateTimeOffset>();
                await Poll.WaitUntilAsync(async () =>
                {
                    edge.EnsureRunning();
                    var s = await edge.Api.GetSyncStatusAsync();
                    if (s.LastAttemptUtc is { } at) attempts.Add(at);
                    return attempts.Count >= 3;
                }, TimeSpan.FromSeconds(45), "the edge's sync worker to go on running cycles (3 seen) while its disk is full");

                await AssertServesAsync(edge, acked, refused.Select(x => x.Title), log);

                // An edit on the full disk is stored whole or refused whole (507), never half.
                var target = acked.Values.First();
                var edit = await edge.Api.TryUpdateDocumentAsync(target.Id, new DocumentChange(Body: Body('改', BodyChars * 2, 0)));
                log($"edit on the full disk: HTTP {edit.Status}");
                Assert.True(edit.Status is 200 or 507, $"edit on a full disk: expected 200 or 507, got {edit}");
                if (edit.Status == 200) acked[target.Id] = edit.Value!;
                Assert.Equal(acked[target.Id].Body, (await edge.Api.GetDocumentAsync(target.Id))?.Body);

                // A sync asked for on the full disk: the hub may get the batch, the edge cannot record the answer.
                var syncOnFull = await edge.Api.RunSyncAsync();
                log($"sync with the disk full: {syncOnFull}");
                Assert.True(syncOnFull.Status == 200 || syncOnFull.Body.Contains("full", StringComparison.OrdinalIgnoreCase)
                                                     || syncOnFull.Body.Contains("磁盘已满", StringComparison.Ordinal),
                    $"sync on a full disk: expected success or a problem saying the disk is full, got {syncOnFull}");
                await AssertServesAsync(edge, acked, refused.Select(x => x.Title), log);
            }

            // More space: writing works again, and everything acknowledged reaches the hub exactly once.
            await disk.ResizeAsync("64m");
            File.Delete(topOff);
            var again = await edge.Api.TryCreateDocumentAsync(new NewDocument($"满盘测试 扩容后 [{run}]", "通知", "普通", Body('新', BodyChars, 1), ["*"]));
            Assert.True(again.Status == 201, $"write after the disk was enlarged: {again}");
            acked[again.Value!.Id] = again.Value;
            await Quiet.WaitForEdgeAsync(edge, TimeSpan.FromSeconds(120));
            AssertAtHubExactlyOnce(hub, acked, refused.Select(x => x.Title));
            log($"all {acked.Count} acknowledged documents are at the hub exactly once");

            // ---- download side: a large pull onto a nearly full disk ------------------------------------------
            var cursorBefore = Quiet.PullCursor(edge);
            var filler = Path.Combine(edge.DataDir, "filler.bin");
            var leave = 256 * 1024;
            FillUp(filler, disk.FreeBytes - leave);
            log($"filler written: {disk.FreeBytes / 1024} KiB left on the edge's disk; pull cursor {cursorBefore}");
            var big = new List<Document>();
            for (var i = 1; i <= 5; i++)
            {
                big.Add(await hub.Api.CreateDocumentAsync(new NewDocument($"大文件下发测试 第{i}号 [{run}]", "通知", "普通", Body('档', BigBodyChars, i), ["guangshun"])));
            }
            log($"the hub wrote {big.Count} documents of {BigBodyChars * 3 / 1024} KB for guangshun");

            var failed = await edge.Api.RunSyncAsync();
            log($"sync on the nearly full disk: {failed}");
            Assert.True(failed.Status != 200, $"a pull of {big.Count * BigBodyChars * 3 / 1024} KB onto {leave / 1024} KiB of free disk succeeded: {failed}");
            Assert.True(failed.Body.Contains("full", StringComparison.OrdinalIgnoreCase) || failed.Body.Contains("磁盘已满", StringComparison.Ordinal),
                $"the failed cycle does not say the disk is full: {failed}");
            var status = await edge.Api.GetSyncStatusAsync();
            Assert.False(string.IsNullOrEmpty(status.LastError), "the sync status shows no error after a failed cycle");
            edge.EnsureRunning();
            Assert.Equal(cursorBefore, Quiet.PullCursor(edge));
            foreach (var d in big) Assert.Null(await edge.Api.GetDocumentAsync(d.Id));
            await AssertServesAsync(edge, acked, [], log);
            Assert.Equal(cursorBefore, Quiet.PullCursor(edge)); // still: the worker's own cycles failed the same way meanwhile

            File.Delete(filler);
            log($"filler removed: {disk.FreeBytes / 1024} KiB free");
            await Poll.WaitUntilAsync(async () =>
            {
                edge.EnsureRunning();
                foreach (var d in big)
                {
                    if ((await edge.Api.GetDocumentAsync(d.Id))?.Body != d.Body) return false;
                }
                return true;
            }, TimeSpan.FromSeconds(120), $"the {big.Count} large documents on guangshun after space was freed");
            await Quiet.WaitForEdgeAsync(edge, TimeSpan.FromSeconds(60));
            Assert.True(Quiet.PullCursor(edge) > cursorBefore);
            var verify = await EdgeCli.VerifyAsync(log, edge, hub.BaseUrl, County.Guangshun.Key);
            Assert.True(verify.ExitCode == 0, $"sync verify after the pull resumed: {verify}");
            Assert.Equal("ok", edge.Db.Scalar("PRAGMA integrity_check"));
            Assert.Null(edge.UnexpectedExit);
            Assert.Null(hub.UnexpectedExit);
        }));
    }

    /// <summary>
    /// Runs <paramref name="body"/>; if the edge stops on its own meanwhile (its API then refuses connections), fails with
    /// that fact and the errors from its log rather than with a connection error.
    /// </summary>
    private static async Task<T> StaysUpAsync<T>(EdgeNode edge, Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is HttpRequestException or NodeExitedException or TimeoutException)
        {
            if (edge.IsRunning && !await edge.WaitForExitAsync(TimeSpan.FromSeconds(15))) throw;
            var errors = string.Join("\n", ReadLines(edge.LogFile).Where(l => l.Contains(" ERR] ", StringComparison.Ordinal)
                || l.Contains(" FTL] ", StringComparison.Ordinal) || l.StartsWith("Unhandled exception", StringComparison.Ordinal)
                || l.StartsWith("Microsoft.Data.Sqlite.SqliteException", StringComparison.Ordinal) || l.StartsWith("   at EGovEdge.", StringComparison.Ordinal)).TakeLast(40));
            throw new Xunit.Sdk.XunitException(
                $"The edge stopped on its own while its disk was full ({edge.UnexpectedExit ?? "exited"}). A township node must keep serving " +
                $"and keep retrying sync on a full disk. Errors in {edge.LogFile}:\n{errors}");
        }
    }

    private static Task StaysUpAsync(EdgeNode edge, Func<Task> body) => StaysUpAsync(edge, async () =>
    {
        await body();
        return true;
    });

    private static IEnumerable<string> ReadLines(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(fs);
        return reader.ReadToEnd().Split('\n');
    }

    /// <summary>/healthz, the list, every acknowledged document whole, none of the refused ones, a sound database file.</summary>
    private static async Task AssertServesAsync(EdgeNode edge, IReadOnlyDictionary<string, Document> acked, IEnumerable<string> refusedTitles, Action<string> log)
    {
        var health = await edge.Api.SendAsync<object>(HttpMethod.Get, "healthz", null, anonymous: true);
        Assert.True(health.Status == 200, $"/healthz on the full disk: {health}");
        var listed = (await edge.Api.ListAllDocumentsAsync("guangshun")).ToDictionary(d => d.Id, StringComparer.Ordinal);
        Assert.Equal(acked.Keys.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var title in refusedTitles) Assert.DoesNotContain(listed.Values, d => d.Title == title);
        foreach (var d in acked.Values)
        {
            var read = await edge.Api.GetDocumentAsync(d.Id);
            Assert.True(read is not null && read.Body == d.Body && read.Title == d.Title && read.Version == d.Version,
                $"acknowledged document {d.Id} ({d.Title}) does not read back whole: {read?.Version} body {read?.Body.Length} chars");
        }
        Assert.Equal("ok", edge.Db.Scalar("PRAGMA integrity_check"));
        log($"the edge serves /healthz and all {acked.Count} acknowledged documents; none of the refused ones exists; integrity_check ok");
    }

    private static void AssertAtHubExactlyOnce(HubNode hub, IReadOnlyDictionary<string, Document> acked, IEnumerable<string> refusedTitles)
    {
        var db = hub.Db;
        var rows = db.Rows("SELECT id, title, body, hlc, deleted FROM documents WHERE origin = 'guangshun'").ToDictionary(r => (string)r["id"]!, StringComparer.Ordinal);
        Assert.Equal(acked.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var d in acked.Values)
        {
            Assert.Equal(d.Version, rows[d.Id]["hlc"]);
            Assert.Equal(d.Body, rows[d.Id]["body"]);
            Assert.Equal(1, db.Long("SELECT COUNT(*) FROM hub_log WHERE tbl = 'documents' AND row_id = @id", ("@id", d.Id)));
        }
        foreach (var title in refusedTitles) Assert.Equal(0, db.Long("SELECT COUNT(*) FROM documents WHERE title = @t", ("@t", title)));
        Assert.Equal(0, db.Long("SELECT COUNT(*) FROM hub_rejected"));
    }

    private static string Body(char c, int chars, int n) => n.ToString(CultureInfo.InvariantCulture) + new string(c, chars);

    /// <summary>Writes a file of <paramref name="bytes"/> bytes, or as many as fit (a file system that fills up ends it quietly).</summary>
    private static void FillUp(string path, long bytes)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)0x5A);
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (bytes > 0)
            {
                var n = (int)Math.Min(chunk.Length, bytes);
                fs.Write(chunk, 0, n);
                bytes -= n;
            }
        }
        catch (IOException) when (new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace < chunk.Length)
        {
            // ENOSPC: full, as wanted; fill the last partial chunk byte-wise.
            try
            {
                for (var i = 0; i < chunk.Length; i++) fs.WriteByte(0x5A);
            }
            catch (IOException)
            {
            }
        }
    }
}
