using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>Own hub and edge behind a proxy: the hub applies a push, the link dies before the edge hears the answer.</summary>
public abstract class LinkCutTests(HubProvider provider, ITestOutputHelper output)
{
    private const int Documents = 50;

    [Fact]
    public async Task LinkCutBeforePushAcknowledged_ResendAfterHealing_NothingLostNothingDoubled()
    {
        await using var ws = new TestWorkspace("link-cut-" + provider.Tag(), TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun, County.Malu], provider);
            var proxy = ws.AddProxy(hub.Port);
            // Sync runs only on request (the worker waits an hour between cycles and a minute after local changes): a
            // background cycle that read the change log half-way through the writes, or failed cycles shrinking the
            // batch size while the link is down, would split what this test needs to be one push batch.
            var edge = ws.AddEdge("guangshun", proxy.Url, County.Guangshun.Key, syncIntervalSeconds: 3600,
                extraArgs: ["--EGov:SyncDebounceMilliseconds=60000"]);
            await hub.StartAsync();
            await edge.StartAsync();
            await Sync.WaitForQuietAsync(edge);

            // Link down while the clerk writes, edits and deletes: all of it goes in one push batch.
            proxy.Mode = ProxyMode.Drop;
            var docs = await Sync.CreateManyAsync(edge, Documents, "断链测试文件", ["malu"]);
            for (var i = 0; i < 5; i++) await edge.Api.UpdateDocumentAsync(docs[i].Id, new DocumentChange(Body: $"第{i + 1}次修订后的正文"));
            Assert.Equal(204, (await edge.Api.TryDeleteDocumentAsync(docs[^1].Id)).Status);
            Assert.Equal(204, (await edge.Api.TryDeleteDocumentAsync(docs[^2].Id)).Status);
            var local = (await edge.Api.ListAllDocumentsAsync("guangshun")).ToDictionary(d => d.Id, StringComparer.Ordinal);
            Assert.Equal(Documents - 2, local.Count);
            var pendingBefore = Sync.RowsWaiting(edge); // documents and their audit records
            Assert.True(pendingBefore >= Documents, $"pendingChanges {pendingBefore} < {Documents}");

            // The first push request is forwarded; when the hub's answer starts to come back, the link dies.
            var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            proxy.ResponseCut += _ =>
            {
                proxy.Mode = ProxyMode.Drop; // and stays down: the edge's retries fail too
                cut.TrySetResult();
            };
            using (proxy.OnRequest("POST /api/sync/push ", r => r.Occurrence == 1 ? ProxyVerdict.ForwardThenCutBeforeResponse : ProxyVerdict.Forward))
            {
                proxy.Mode = ProxyMode.PassThrough;
                var failed = await edge.Api.RunSyncAsync();
                ws.Log($"sync with the answer cut and the link down: {failed}");
                Assert.NotEqual(200, failed.Status);
            }
            Assert.True(cut.Task.IsCompleted, "the push answer was not cut");
            ws.Log("push answer cut; link down");

            // The hub applied the batch (it answered after committing); the edge never heard, so all of it is still pending.
            Assert.Equal(Documents, hub.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"));
            var down = await Sync.WaitForStatusAsync(edge, s => s.HubReachable == false && !s.Running, "hubReachable false after the cut");
            Assert.Equal(pendingBefore, Sync.RowsWaiting(edge));
            var ackedBefore = hub.Db.Long("SELECT push_acked FROM hub_nodes WHERE node = 'guangshun'");

            // Healed; the edge's circuit breaker may hold calls back for a few seconds.
            proxy.Mode = ProxyMode.PassThrough;
            ws.Log("link healed");
            var healed = await Poll.WaitForAsync(() => edge.Api.RunSyncAsync(), r => r.Status == 200, TimeSpan.FromSeconds(45),
                "a successful POST /api/sync/run after healing", TimeSpan.FromSeconds(1));
            ws.Log($"after healing: {healed}");
            Assert.Equal(0, healed.Value!.Rejected);
            var quiet = await Sync.WaitForQuietAsync(edge);

            var db = hub.Db;
            Assert.Equal(ackedBefore, db.Long("SELECT push_acked FROM hub_nodes WHERE node = 'guangshun'"));
            Assert.Equal(Documents, db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(Documents, db.Long("SELECT COUNT(DISTINCT id) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(2, db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun' AND deleted = 1"));
            Assert.Equal(Documents, db.Long("SELECT COUNT(*) FROM hub_log l JOIN documents d ON d.id = l.row_id WHERE d.origin = 'guangshun'"));
            // The re-sent batch applied nothing: each pending row counted once.
            Assert.Equal(pendingBefore, db.Long("SELECT changes_received FROM hub_nodes WHERE node = 'guangshun'"));
            Assert.Equal(pendingBefore, db.Long("SELECT COUNT(*) FROM hub_log WHERE writer = 'guangshun'"));
            Assert.Equal(0, db.ConflictRecords());
            Sync.AssertNoRejections(hub);
            Assert.Equal(0, quiet.OpenConflicts);
            Assert.Equal(0, edge.Db.ConflictRecords());

            var onHub = (await hub.Api.ListAllDocumentsAsync("guangshun")).ToDictionary(d => d.Id, StringComparer.Ordinal);
            Assert.Equal(local.Keys.Order(StringComparer.Ordinal), onHub.Keys.Order(StringComparer.Ordinal));
            Assert.All(local.Values, d =>
            {
                Assert.Equal(d.Body, onHub[d.Id].Body);
                Assert.Equal(d.Version, onHub[d.Id].Version);
            });
            Assert.True(proxy.Cuts >= 1);
        });
    }

    /// <summary>
    /// The answer to a full push batch is lost; the edge then sends smaller batches (its batch size halves after a
    /// failure and doubles after a fast call), so a later batch overlaps rows the hub already applied. Re-delivered
    /// rows must be recognised as such, not refused (audit entries are append-only at the hub).
    /// Sync runs only on request here: the worker waits an hour between cycles and a minute after local changes.
    /// </summary>
    [Fact]
    public async Task LostAckOfFullBatch_ThenSmallerBatches_OverlapIsNotRefused()
    {
        await using var ws = new TestWorkspace("lost-ack-overlap-" + provider.Tag(), TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun, County.Malu], provider);
            var proxy = ws.AddProxy(hub.Port);
            var edge = ws.AddEdge("guangshun", proxy.Url, County.Guangshun.Key, syncIntervalSeconds: 3600,
                extraArgs: ["--EGov:SyncDebounceMilliseconds=60000"]);
            await hub.StartAsync();
            await edge.StartAsync();
            await Sync.WaitForQuietAsync(edge);

            var docs = await Sync.CreateManyAsync(edge, 600, "批次重叠测试");
            var pendingBefore = Sync.RowsWaiting(edge); // documents and their audit records
            Assert.True(pendingBefore > 1000, $"pending {pendingBefore}: needs more than two default batches (500)");

            var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            proxy.ResponseCut += _ =>
            {
                proxy.Mode = ProxyMode.Drop;
                cut.TrySetResult();
            };
            using (proxy.OnRequest("POST /api/sync/push ", r => r.Occurrence == 1 ? ProxyVerdict.ForwardThenCutBeforeResponse : ProxyVerdict.Forward))
            {
                // Expected 503 (hub unreachable). Not asserted here: a reset that races the connect can surface as a raw
                // SocketException (ENOTCONN) that the edge reports as 500 "Sync failed on this node" (reported separately).
                var failed = await edge.Api.RunSyncAsync();
                ws.Log($"run with the answer cut and the link down: {failed}");
                Assert.NotEqual(200, failed.Status);
            }
            Assert.True(cut.Task.IsCompleted);
            var acked = hub.Db.Long("SELECT push_acked FROM hub_nodes WHERE node = 'guangshun'");
            ws.Log($"first batch applied at the hub (acked seq {acked}), answer lost");
            Assert.True(acked > 0);

            // Healed; the edge's circuit breaker may hold calls back for a few seconds (each refused try halves the batch again).
            proxy.Mode = ProxyMode.PassThrough;
            var healed = await Poll.WaitForAsync(() => edge.Api.RunSyncAsync(), r => r.Status == 200, TimeSpan.FromSeconds(45),
                "a successful POST /api/sync/run after healing", TimeSpan.FromSeconds(1));
            ws.Log($"after healing: {healed}");

            Sync.AssertNoRejections(hub);
            Assert.Equal(0, healed.Value!.Rejected);
            var quiet = await Sync.WaitForQuietAsync(edge);
            Assert.Equal(0, quiet.Rejected);
            Assert.Equal(600, hub.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(pendingBefore, hub.Db.Long("SELECT changes_received FROM hub_nodes WHERE node = 'guangshun'"));
            Assert.Equal(pendingBefore, hub.Db.Long("SELECT COUNT(*) FROM hub_log WHERE writer = 'guangshun'"));
            Assert.Equal(0, hub.Db.ConflictRecords());
            var onHub = (await hub.Api.ListAllDocumentsAsync("guangshun")).ToDictionary(d => d.Id, StringComparer.Ordinal);
            Assert.All(docs, d => Assert.Equal(d.Version, onHub[d.Id].Version));
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(ITestOutputHelper output) : LinkCutTests(HubProvider.Sqlite, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(ITestOutputHelper output) : LinkCutTests(HubProvider.Postgres, output);
}
