using System.Diagnostics;
using EGovEdge.Deploy.Tests.Support;

namespace EGovEdge.Deploy.Tests;

/// <summary>deploy/backup-edge.sh and deploy/restore-edge.sh against a running township edge.</summary>
public sealed class EdgeBackupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task BackupWhileStaffWrite_RestoreIntoNewDataDir_HoldsEveryDocumentAcknowledgedBeforeTheBackup()
    {
        await using var ws = new TestWorkspace("backup-edge-live", TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            // Nothing listens at the hub address: a township edge works on its own.
            var hubUrl = $"http://127.0.0.1:{FreePorts.Next()}";
            var edge = ws.AddEdge("guangshun", hubUrl, County.Guangshun.Key, syncIntervalSeconds: 30);
            await edge.StartAsync();
            var dest = Path.Combine(ws.Root, "backups");

            await using var writer = new DocumentWriter(edge.Api, "备份期间的公文");
            writer.Start();
            await writer.WaitForAsync(40, TimeSpan.FromSeconds(60));

            var before = writer.Acknowledged; // every one of these was committed before the backup began
            var backup = await Script.RunAsync("deploy/backup-edge.sh", [edge.DataDir, dest], ScriptTimeout, log: ws.Log);
            var afterBackup = writer.Count;
            await writer.WaitForAsync(afterBackup + 10, TimeSpan.FromSeconds(60)); // the edge kept working
            await writer.StopAsync();
            var all = writer.Acknowledged;
            ws.Log($"acknowledged: {before.Count} before the backup, {afterBackup - before.Count} while it ran, {all.Count} in all");

            Assert.True(backup.ExitCode == 0, backup.ToString());
            var archive = backup.LastLine;
            Assert.True(File.Exists(archive), $"no archive at '{archive}'\n{backup}");
            Assert.Matches(@"/edge-guangshun-\d{8}T\d{6}Z(-\d+)?\.tar\.gz$", archive);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
            Assert.Empty(Directory.GetFiles(dest, "*.partial"));
            edge.EnsureRunning();
            // Stopping the writer abandons the request in flight, which the edge may still have committed.
            Assert.InRange(edge.Db.Long("SELECT COUNT(*) FROM documents WHERE deleted = 0"), all.Count, all.Count + 1);

            var check = await Script.RunAsync("deploy/restore-edge.sh", ["--verify-only", archive], ScriptTimeout, log: ws.Log);
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Equal("ok guangshun", check.LastLine);

            // Restore into a fresh data directory and start a node on it.
            var restored = ws.AddEdge("guangshun", hubUrl, County.Guangshun.Key, syncIntervalSeconds: 30, name: "guangshun-restored");
            var restore = await Script.RunAsync("deploy/restore-edge.sh", ["--no-service", archive, restored.DataDir], ScriptTimeout, log: ws.Log);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.True(File.Exists(Path.Combine(restored.DataDir, "keys", Directory.GetFiles(Path.Combine(edge.DataDir, "keys")).Select(Path.GetFileName).First()!)),
                "the data-protection keys were not restored");
            await restored.StartAsync();

            var docs = await restored.Api.ListAllDocumentsAsync();
            var ids = docs.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            var missing = before.Where(d => !ids.Contains(d.Id)).Select(d => d.Title).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} documents acknowledged before the backup are missing: {string.Join(", ", missing.Take(10))}");
            // Nothing else: every document in the backup is one the original edge holds.
            var originalIds = edge.Db.Strings("SELECT id FROM documents").ToHashSet(StringComparer.Ordinal);
            Assert.All(docs, d => Assert.Contains(d.Id, originalIds));
            ws.Log($"restored edge holds {docs.Count} documents ({before.Count} acknowledged before the backup)");

            // Same content, not only the same ids.
            var original = before.ToDictionary(d => d.Id, StringComparer.Ordinal);
            Assert.All(docs.Where(d => original.ContainsKey(d.Id)), d =>
            {
                Assert.Equal(original[d.Id].Title, d.Title);
                Assert.Equal(original[d.Id].Version, d.Version);
            });

            Assert.Equal("ok", restored.Db.Scalar("PRAGMA integrity_check"));
            restored.Kill();
            Assert.Equal("ok", restored.Db.Scalar("PRAGMA integrity_check"));
        });
    }

    [Fact]
    public async Task RestoreOlderBackupOverDamagedEdge_HubResynchronisesIt_NothingLostNothingTwice()
    {
        await using var ws = new TestWorkspace("restore-edge-resync", TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun]);
            var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1);
            await TestWorkspace.StartAllAsync(hub, edge);
            var dest = Path.Combine(ws.Root, "backups");

            var a = await CreateAsync(edge, "备份前", 5);
            await WaitSyncedAsync(edge, hub, a);
            var backup = await Script.RunAsync("deploy/backup-edge.sh", [edge.DataDir, dest], ScriptTimeout, log: ws.Log);
            Assert.True(backup.ExitCode == 0, backup.ToString());

            // After the backup the township goes on working and syncing, then its disk fails.
            var b = await CreateAsync(edge, "备份后", 5);
            var edited = await edge.Api.UpdateDocumentAsync(a[0].Id, new DocumentChange(Title: "备份后修改"));
            await WaitSyncedAsync(edge, hub, [.. b, edited]);
            edge.Kill();
            var logBefore = edge.Db.LastLogSequence();

            var restore = await Script.RunAsync("deploy/restore-edge.sh", ["--no-service", backup.LastLine, edge.DataDir], ScriptTimeout, log: ws.Log);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Single(Directory.GetDirectories(edge.DataDir, "damaged-*"));
            Assert.True(edge.Db.LastLogSequence() > logBefore, "the restored change log must continue above what the township already sent");

            await edge.StartAsync();
            // What the township wrote and synced after the backup comes back from the hub.
            await Poll.WaitUntilAsync(async () =>
            {
                var docs = await edge.Api.ListAllDocumentsAsync("guangshun");
                return b.All(x => docs.Any(d => d.Id == x.Id)) && docs.Any(d => d.Id == edited.Id && d.Version == edited.Version);
            }, TimeSpan.FromSeconds(60), "the restored edge to get back what it synced after the backup");

            // A document written after the restore reaches the hub (its log number is new to the hub).
            var c = await CreateAsync(edge, "恢复后", 3);
            await WaitSyncedAsync(edge, hub, c);

            var atHub = hub.Db.Strings("SELECT id FROM documents WHERE origin = 'guangshun' AND deleted = 0");
            Assert.Equal(a.Count + b.Count + c.Count, atHub.Count);
            Assert.Equal(atHub.Count, atHub.Distinct().Count());
            var atEdge = await edge.Api.ListAllDocumentsAsync("guangshun");
            Assert.Equal(atHub.Order(StringComparer.Ordinal), atEdge.Select(d => d.Id).Order(StringComparer.Ordinal));
            Assert.Equal(0, hub.Db.ConflictRecords());
            Assert.Equal(0, edge.Db.ConflictRecords());
            Assert.Equal(0, hub.Db.Long("SELECT COUNT(*) FROM hub_rejected"));

            // The audit chain continues where the township left it: no fork, no gap.
            var audit = await hub.Api.SendAsync<System.Text.Json.Nodes.JsonObject>(HttpMethod.Get, "api/audit/verify", null);
            Assert.True(audit.Status == 200, audit.ToString());
            Assert.True(audit.Value!["ok"]!.GetValue<bool>(), audit.Body);

            // The technician's check agrees: same rows and checksums as the hub.
            var verify = await RunCliAsync(edge, "verify");
            Assert.True(verify.ExitCode == 0, verify.ToString());
        });
    }

    private static async Task<List<Document>> CreateAsync(EdgeNode edge, string prefix, int count)
    {
        var list = new List<Document>();
        for (var i = 1; i <= count; i++) list.Add(await edge.Api.CreateDocumentAsync(new NewDocument($"{prefix} {i}", Body: "正文")));
        return list;
    }

    private static async Task WaitSyncedAsync(EdgeNode edge, HubNode hub, IReadOnlyList<Document> docs)
    {
        await Poll.WaitUntilAsync(async () =>
        {
            foreach (var d in docs)
            {
                var there = await hub.Api.GetDocumentAsync(d.Id);
                if (there is null || there.Version != d.Version) return false;
            }
            return (await edge.Api.GetSyncStatusAsync()).PendingChanges == 0;
        }, TimeSpan.FromSeconds(60), $"{docs.Count} documents to reach the hub");
    }

    /// <summary>The edge's own command line, <c>dotnet EGovEdge.Edge.dll sync VERB --EGov:DataDir=...</c>.</summary>
    private static async Task<ScriptResult> RunCliAsync(EdgeNode edge, string verb)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = edge.Binary.Directory,
        };
        foreach (var a in new[] { edge.Binary.DllPath, "sync", verb, "--EGov:DataDir=" + edge.DataDir, "--EGov:HubKey=" + County.Guangshun.Key })
        {
            psi.ArgumentList.Add(a);
        }
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await p.WaitForExitAsync(cts.Token);
        return new ScriptResult("EGovEdge.Edge sync " + verb, p.ExitCode, await stdout, await stderr, watch.Elapsed);
    }
}
