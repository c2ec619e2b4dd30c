using System.Diagnostics;
using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>Own hub and edge: the hub is killed with SIGKILL while a push is in flight, several times.</summary>
public abstract class HubCrashTests(HubProvider provider, ITestOutputHelper output)
{
    /// <summary>
    /// Documents written while the hub is down. Fewer on PostgreSQL: the rounds and every assertion are the same, the
    /// work of writing and converging is what the lanes' run time is made of.
    /// </summary>
    private int Documents => provider == HubProvider.Postgres ? 1200 : 3000;
    private const string PushRequest = "POST /api/sync/push ";

    /// <summary>
    /// Kill delay after the proxy sees the push request (-1: at the moment the hub's answer starts to come back, i.e.
    /// after it committed the batch and before the edge hears of it), and which push of that hub run to kill on.
    /// </summary>
    private static readonly (int DelayMs, int Occurrence)[] Rounds = [(0, 1), (100, 1), (-1, 1), (60, 2)];

    [Fact]
    public async Task KillHubMidPush_RestartOnSameFiles_LosesNothingAndDuplicatesNothing()
    {
        await using var ws = new TestWorkspace("hub-kill9-" + provider.Tag(), TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun, County.Malu], provider);
            var proxy = ws.AddProxy(hub.Port);
            var edge = ws.AddEdge("guangshun", proxy.Url, County.Guangshun.Key, syncIntervalSeconds: 1);
            await edge.StartAsync();

            var watch = Stopwatch.StartNew();
            var docs = await Sync.CreateManyAsync(edge, Documents, "停电演练文件");
            ws.Log($"{Documents} documents written on guangshun in {watch.Elapsed.TotalSeconds:0.0} s with the hub down");
            var ids = docs.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(Documents, ids.Count);
            // Each document is one row, plus the rows written with it (its audit record): all of them wait.
            var pendingBefore = Sync.RowsWaiting(edge); // documents and their audit records
            Assert.True(pendingBefore >= Documents, $"pendingChanges {pendingBefore} < {Documents}");

            foreach (var (delayMs, occurrence) in Rounds)
            {
                var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                void KillOnAnswer(int connection)
                {
                    hub.Kill();
                    killed.TrySetResult();
                }
                proxy.ResponseCut += KillOnAnswer;
                using (proxy.OnRequest(PushRequest, req =>
                       {
                           if (req.Occurrence != occurrence) return ProxyVerdict.Forward;
                           if (delayMs < 0) return ProxyVerdict.ForwardThenCutBeforeResponse;
                           if (delayMs == 0)
                           {
                               hub.Kill(); // before the request is even forwarded
                               killed.TrySetResult();
                           }
                           else
                           {
                               _ = Task.Run(async () =>
                               {
                                   await Task.Delay(delayMs);
                                   hub.Kill();
                                   killed.TrySetResult();
                               });
                           }
                           return ProxyVerdict.Forward;
                       }))
                {
                    hub.Start(); // at once after the previous kill: the edge's retries find it back quickly
                    await Poll.WaitUntilAsync(() => { edge.EnsureRunning(); return killed.Task.IsCompleted; }, TimeSpan.FromSeconds(90),
                        $"a push to reach the hub (kill {delayMs} ms after push #{occurrence})", TimeSpan.FromMilliseconds(50));
                }
                proxy.ResponseCut -= KillOnAnswer;
                Assert.False(hub.IsRunning);
                ws.Log($"round (kill {(delayMs < 0 ? "when the answer starts" : delayMs + " ms")} after push #{occurrence}): hub killed; {hub.DatabaseDescription} holds " +
                       $"{hub.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'")} documents, acked seq " +
                       $"{hub.Db.Scalar("SELECT push_acked FROM hub_nodes WHERE node = 'guangshun'") ?? "none"}; edge pending " +
                       $"{(await edge.Api.GetSyncStatusAsync()).PendingChanges}");
            }

            await hub.StartAsync();
            ws.Log("hub restarted for good; waiting for convergence");
            var quiet = await Sync.WaitForQuietAsync(edge, TimeSpan.FromSeconds(120));
            await Poll.WaitUntilAsync(async () => (await hub.Api.ListDocumentsAsync("guangshun", limit: 1)).Total == Documents,
                TimeSpan.FromSeconds(60), $"{Documents} guangshun documents on the hub");
            ws.Log($"converged after {watch.Elapsed.TotalSeconds:0.0} s: {quiet}");

            var db = hub.Db;
            Assert.Equal(Documents, db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(Documents, db.Long("SELECT COUNT(DISTINCT id) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(0, db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun' AND deleted <> 0"));
            Assert.Equal(ids.Order(StringComparer.Ordinal), db.Strings("SELECT id FROM documents WHERE origin = 'guangshun' ORDER BY id").Order(StringComparer.Ordinal));
            // One hub_log entry per document, each with its own hub sequence.
            Assert.Equal(Documents, db.Long("SELECT COUNT(*) FROM hub_log l JOIN documents d ON d.id = l.row_id WHERE l.tbl = 'documents' AND d.origin = 'guangshun'"));
            Assert.Equal(Documents, db.Long("SELECT COUNT(DISTINCT l.hub_seq) FROM hub_log l JOIN documents d ON d.id = l.row_id WHERE d.origin = 'guangshun'"));
            Assert.Equal(0, db.Long("SELECT COUNT(*) FROM (SELECT row_id FROM hub_log GROUP BY tbl, row_id HAVING COUNT(*) > 1) AS twice"));
            // Applied exactly once: every pending row counted once at the hub; a re-sent batch counts nothing.
            Assert.Equal(pendingBefore, db.Long("SELECT changes_received FROM hub_nodes WHERE node = 'guangshun'"));
            Assert.Equal(pendingBefore, db.Long("SELECT COUNT(*) FROM hub_log WHERE writer = 'guangshun'"));
            Assert.Equal(0, db.ConflictRecords());
            Sync.AssertNoRejections(hub);
            // Every title arrived intact.
            var onHub = (await hub.Api.ListAllDocumentsAsync("guangshun")).ToDictionary(d => d.Id, StringComparer.Ordinal);
            Assert.All(docs, d => Assert.Equal(d.Title, onHub[d.Id].Title));

            Assert.Equal(0, quiet.PendingChanges);
            Assert.Equal(0, quiet.OpenConflicts);
            Assert.Equal(0, quiet.Rejected);
            Assert.Equal(Documents, edge.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"));
            Assert.Equal(0, edge.Db.ConflictRecords());
            Assert.Equal(0, edge.Db.Long("SELECT COUNT(*) FROM _sync_rejected"));
            Assert.True(proxy.ConnectionsAccepted > 0);
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(ITestOutputHelper output) : HubCrashTests(HubProvider.Sqlite, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(ITestOutputHelper output) : HubCrashTests(HubProvider.Postgres, output);
}
