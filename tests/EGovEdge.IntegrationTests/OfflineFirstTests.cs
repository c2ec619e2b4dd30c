using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>Own hub and edges: the hub must be down when the test starts.</summary>
public abstract class OfflineFirstTests(HubProvider provider, ITestOutputHelper output)
{
    [Fact]
    public async Task DocumentWrittenWhileHubDown_ReachesHubAndAddressee_WithoutManualSync()
    {
        await using var ws = new TestWorkspace("offline-first-" + provider.Tag(), TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun, County.Malu], provider); // port reserved, not started
            var guangshun = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1);
            var malu = ws.AddEdge("malu", hub.BaseUrl, County.Malu.Key, syncIntervalSeconds: 1);
            await TestWorkspace.StartAllAsync(guangshun, malu);
            ws.Log("edges up, hub not started");

            var created = await guangshun.Api.TryCreateDocumentAsync(new NewDocument(
                Sync.UniqueTitle("关于做好冬春森林防火工作的通知"), "通知", "加急", "各村（社区）：当前已进入森林防火紧要期……", ["malu"]));
            Assert.True(created.Status == 201, $"POST /api/documents while the hub is down: {created}");
            var doc = created.Value!;
            Assert.Equal("guangshun", doc.OriginNode);
            Assert.Equal(["malu"], doc.Recipients);
            Assert.NotNull(await guangshun.Api.GetDocumentAsync(doc.Id)); // the clerk keeps working locally

            var offline = await Sync.WaitForStatusAsync(guangshun, s => s.HubReachable == false, "hubReachable false", TimeSpan.FromSeconds(30));
            ws.Log($"status while hub down: {offline}");
            Assert.True(offline.PendingChanges >= 1, $"pendingChanges should count the unsent document: {offline}");
            Assert.False(offline.AuthFailed);
            Assert.NotNull(offline.LastError);
            Assert.Null(offline.LastSuccessUtc);

            var run = await guangshun.Api.RunSyncAsync();
            Assert.True(run.Status == 503, $"POST /api/sync/run with the hub down: expected 503, got {run}");
            Assert.Equal("application/problem+json", run.ContentType);
            Assert.Equal(503, run.Problem?.Status);
            Assert.True((await guangshun.Api.GetSyncStatusAsync()).PendingChanges >= 1);

            await hub.StartAsync();
            ws.Log("hub started; from here on nobody calls /api/sync/run");

            var onHub = await Sync.WaitForDocumentAsync(hub, doc.Id);
            var onMalu = await Sync.WaitForDocumentAsync(malu, doc.Id);
            var quiet = await Sync.WaitForQuietAsync(guangshun);
            ws.Log($"converged: {quiet}");

            foreach (var copy in new[] { onHub, onMalu })
            {
                Assert.Equal(doc.Title, copy.Title);
                Assert.Equal(doc.Body, copy.Body);
                Assert.Equal(doc.DocType, copy.DocType);
                Assert.Equal(doc.Urgency, copy.Urgency);
                Assert.Equal(doc.Recipients, copy.Recipients);
                Assert.Equal("guangshun", copy.OriginNode);
                Assert.Equal(doc.Version, copy.Version);
            }
            Assert.Equal(0, quiet.PendingChanges);
            Assert.False(quiet.AuthFailed);

            // Received once: every row guangshun wrote (the document and its audit record) applied exactly once.
            var township = Assert.Single(await hub.Api.GetTownshipsAsync(), t => t.Node == "guangshun");
            Assert.True(township.ChangesReceived >= 1);
            Assert.Equal(hub.Db.Long("SELECT COUNT(*) FROM hub_log WHERE writer = 'guangshun'"), township.ChangesReceived);
            Assert.Equal(1, hub.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(0, hub.Db.ConflictRecords());
            Assert.Equal(0, guangshun.Db.ConflictRecords());
            // The background worker did it: its cycles are in the edge's sync history.
            Assert.True(guangshun.Db.Long("SELECT COUNT(*) FROM _sync_history WHERE result = 'ok' AND pushed >= 1") >= 1);
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(ITestOutputHelper output) : OfflineFirstTests(HubProvider.Sqlite, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(ITestOutputHelper output) : OfflineFirstTests(HubProvider.Postgres, output);
}
