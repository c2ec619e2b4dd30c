using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>Own hub and edge: the EDGE is killed with SIGKILL around a push and restarted on the same files.</summary>
public abstract class EdgeCrashTests(HubProvider provider, ITestOutputHelper output)
{
    private const int Documents = 600;
    private const string PushRequest = "POST /api/sync/push ";

    [Fact]
    public async Task KillEdgeAroundPush_RestartOnSameFiles_AppliedExactlyOnce()
    {
        await using var ws = new TestWorkspace("edge-kill9-" + provider.Tag(), TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun, County.Malu], provider);
            var proxy = ws.AddProxy(hub.Port);
            var edge = ws.AddEdge("guangshun", proxy.Url, County.Guangshun.Key, syncIntervalSeconds: 1);
            await hub.StartAsync();
            await edge.StartAsync();
            await Sync.WaitForQuietAsync(edge);

            proxy.Mode = ProxyMode.Drop;
            var docs = await Sync.CreateManyAsync(edge, Documents, "边缘节点断电演练");
            var pendingBefore = Sync.RowsWaiting(edge); // documents and their audit records
            Assert.True(pendingBefore >= Documents);

            // 1. The hub commits the first batch; the edge dies before the answer reaches it.
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void KillEdge(int connection)
            {
                edge.Kill();
                killed.TrySetResult();
            }
            proxy.ResponseCut += KillEdge;
            using (proxy.OnRequest(PushRequest, r => r.Occurrence == 1 ? ProxyVerdict.ForwardThenCutBeforeResponse : ProxyVerdict.Forward))
            {
                proxy.Mode = ProxyMode.PassThrough;
                await Poll.WaitUntilAsync(() => killed.Task.IsCompleted, TimeSpan.FromSeconds(60), "the edge to be killed after the hub answered", TimeSpan.FromMilliseconds(50));
            }
            proxy.ResponseCut -= KillEdge;
            var acked = hub.Db.Long("SELECT push_acked FROM hub_nodes WHERE node = 'guangshun'");
            ws.Log($"edge killed after the hub committed; hub acked seq {acked}, holds {hub.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'")} documents");
            Assert.True(acked > 0);

            // 2. Restarted on the same files, it pushes again; this time it dies 30 ms into its first push.
            killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (proxy.OnRequest(PushRequest, r =>
                   {
                       if (r.Occurrence == 1)
                       {
                           _ = Task.Run(async () =>
                           {
                               await Task.Delay(30);
                               edge.Kill();
                               killed.TrySetResult();
                           });
                       }
                       return ProxyVerdict.Forward;
                   }))
            {
                edge.Start();
                await Poll.WaitUntilAsync(() => killed.Task.IsCompleted, TimeSpan.FromSeconds(60), "the restarted edge to push and be killed", TimeSpan.FromMilliseconds(50));
            }
            ws.Log($"edge killed mid-push after restart; hub holds {hub.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'")} documents");

            await edge.StartAsync();
            var quiet = await Sync.WaitForQuietAsync(edge, TimeSpan.FromSeconds(90));
            ws.Log($"converged: {quiet}");

            var db = hub.Db;
            Assert.Equal(Documents, db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(Documents, db.Long("SELECT COUNT(DISTINCT id) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(pendingBefore, db.Long("SELECT changes_received FROM hub_nodes WHERE node = 'guangshun'"));
            Assert.Equal(pendingBefore, db.Long("SELECT COUNT(*) FROM hub_log WHERE writer = 'guangshun'"));
            Assert.Equal(0, db.ConflictRecords());
            Sync.AssertNoRejections(hub);
            Assert.Equal(0, edge.Db.ConflictRecords());
            Assert.Equal(Documents, edge.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun' AND deleted = 0"));
            var onHub = (await hub.Api.ListAllDocumentsAsync("guangshun")).ToDictionary(d => d.Id, StringComparer.Ordinal);
            Assert.All(docs, d => Assert.Equal(d.Version, onHub[d.Id].Version));
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(ITestOutputHelper output) : EdgeCrashTests(HubProvider.Sqlite, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(ITestOutputHelper output) : EdgeCrashTests(HubProvider.Postgres, output);
}
