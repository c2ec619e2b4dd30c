using System.Globalization;
using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>
/// A township writes only its own rows: what an edge pushes on behalf of another township (a compromised node, a
/// bug) is refused row by row at the hub, the rest of the batch lands, and the edge goes back to the hub's version.
/// The forgeries are written straight into the edge's SQLite file, where the capture triggers pick them up like any
/// local change. The edge (guyang) syncs only when asked, so the batch is exactly what the test wrote.
/// </summary>
public abstract class WriteAuthorizationTests
{
    private readonly SharedCounty _county;

    protected WriteAuthorizationTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    [Fact]
    public async Task RowsOfAnotherTownship_AreRejected_OwnRowsInTheSameBatchLand_EdgeReverts()
    {
        var (hub, guangshun, malu) = (_county.Hub, _county.Guangshun, _county.Malu);
        EdgeNode? edge = null;
        await _county.Workspace.RunAsync(async () =>
        {
            var countyDoc = await guangshun.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("广顺镇致全县的通报"), "通报", "普通", "全县各乡镇：……", ["*"]));
            await Sync.WaitForDocumentAsync(hub, countyDoc.Id);

            edge = _county.Workspace.AddEdge("guyang", hub.BaseUrl, County.Guyang.Key, syncIntervalSeconds: 3600,
                extraArgs: ["--EGov:SyncDebounceMilliseconds=60000"]);
            await edge.StartAsync();
            await Sync.WaitForQuietAsync(edge);
            Assert.Equal(200, (await edge.Api.RunSyncAsync()).Status);
            Assert.NotNull(await edge.Api.GetDocumentAsync(countyDoc.Id));

            // 1. A row "written by malu", stamped by guyang (a node may only send its own stamps; the origin is the lie).
            var forgedId = Guid.CreateVersion7().ToString();
            var now = DateTimeOffset.UtcNow;
            var insertHlc = Stamp(now.ToUnixTimeMilliseconds(), "guyang");
            Assert.Equal(1, edge.Db.Execute("""
                INSERT INTO documents (id, hlc, prev_hlc, origin, deleted, title, doc_type, urgency, body, recipients, created_utc, updated_utc)
                VALUES (@id, @hlc, NULL, 'malu', 0, @title, '通知', '特急', '伪造的马路乡通知', '*', @now, @now)
                """, ("@id", forgedId), ("@hlc", insertHlc), ("@title", "马路乡关于调整干部的通知（伪造）"), ("@now", now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))));

            // 2. An edit of guangshun's document, which guyang only received.
            var held = edge.Db.Rows("SELECT hlc FROM documents WHERE id = @id", ("@id", countyDoc.Id)).Single();
            var heldHlc = (string)held["hlc"]!;
            var editHlc = Stamp(Math.Max(now.ToUnixTimeMilliseconds(), long.Parse(heldHlc[..16], CultureInfo.InvariantCulture) + 1), "guyang");
            Assert.Equal(1, edge.Db.Execute("""
                UPDATE documents SET title = @title, body = '已被鼓扬镇改写', prev_hlc = hlc, hlc = @hlc, updated_utc = @now WHERE id = @id
                """, ("@title", "被鼓扬镇改写的通报"), ("@hlc", editHlc), ("@now", now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("@id", countyDoc.Id)));

            // 3. Its own document, after both in the change log.
            var own = await edge.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("鼓扬镇的报告"), "报告", "普通", "正文", ["*"]));
            Assert.Equal(3, edge.Db.Long("SELECT COUNT(*) FROM _sync_log WHERE tbl = 'documents' AND row_id IN (@a, @b, @c) AND seq > COALESCE((SELECT CAST(value AS INTEGER) FROM _sync_state WHERE key = 'push_cursor'), 0)",
                ("@a", forgedId), ("@b", countyDoc.Id), ("@c", own.Id)));

            var run = await edge.Api.RunSyncAsync();
            _county.Workspace.Log($"push with two forged rows: {run}");
            Assert.True(run.Status == 200, $"a batch with refused rows is still a successful sync: {run}");
            Assert.Equal(2, run.Value!.Rejected);
            Assert.True(run.Value.Pushed >= 2, $"guyang's own document and its audit entry were pushed: {run}");

            // The hub: its own row landed; the forged ones did not, and the refusals are recorded with their reasons.
            Assert.Equal(own.Version, (await hub.Api.GetDocumentAsync(own.Id))!.Version);
            Assert.Null(await hub.Api.GetDocumentAsync(forgedId));
            Assert.Equal(0, hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", forgedId)));
            Assert.Equal(0, hub.Db.Long("SELECT COUNT(*) FROM hub_log WHERE row_id = @id", ("@id", forgedId)));
            var atHub = (await hub.Api.GetDocumentAsync(countyDoc.Id))!;
            Assert.Equal(countyDoc.Title, atHub.Title);
            Assert.Equal(countyDoc.Version, atHub.Version);
            var reasons = hub.Db.Rows("SELECT row_id, reason, kind FROM hub_rejected WHERE node = 'guyang'");
            Assert.Equal(2, reasons.Count);
            Assert.Contains(reasons, r => (string)r["row_id"]! == forgedId && ((string)r["reason"]!).Contains("malu", StringComparison.Ordinal) && (string)r["kind"]! == "forbidden");
            Assert.Contains(reasons, r => (string)r["row_id"]! == countyDoc.Id && ((string)r["reason"]!).Contains("guangshun", StringComparison.Ordinal) && (string)r["kind"]! == "forbidden");
            Assert.Equal(2, (await hub.Api.GetTownshipsAsync()).Single(t => t.Node == "guyang").Rejected);

            // The edge: both refusals listed for the technician; the forged row withdrawn, the edit back to the hub's version.
            var status = await edge.Api.GetSyncStatusAsync();
            Assert.True(status.Rejected >= 2, $"status: {status}");
            Assert.Equal(2, edge.Db.Long("SELECT COUNT(*) FROM _sync_rejected WHERE row_id IN (@a, @b)", ("@a", forgedId), ("@b", countyDoc.Id)));
            Assert.Null(await edge.Api.GetDocumentAsync(forgedId));
            var reverted = (await edge.Api.GetDocumentAsync(countyDoc.Id))!;
            Assert.Equal(countyDoc.Title, reverted.Title);
            Assert.Equal(countyDoc.Version, reverted.Version);

            // Nothing is sent again, and no other township ever sees the forgeries.
            var next = await edge.Api.RunSyncAsync();
            Assert.True(next.Status == 200 && next.Value!.Rejected == 0, $"the next sync: {next}");
            var maxSeq = hub.Db.Long("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log");
            await Poll.WaitUntilAsync(async () => (await hub.Api.GetTownshipsAsync()).Single(t => t.Node == "malu").PullCursor >= maxSeq,
                Sync.Timeout, $"malu to pull past hub sequence {maxSeq}");
            Assert.Equal(0, malu.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", forgedId)));
            Assert.Equal(countyDoc.Version, (await malu.Api.GetDocumentAsync(countyDoc.Id))!.Version);
            Assert.NotNull(await malu.Api.GetDocumentAsync(own.Id));
            Assert.Equal(0, guangshun.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", forgedId)));
        });
        edge?.Kill();
    }

    private static string Stamp(long wallMs, string node) =>
        string.Create(CultureInfo.InvariantCulture, $"{wallMs:D16}.00000@{node}");

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : WriteAuthorizationTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : WriteAuthorizationTests(county, output);
}
