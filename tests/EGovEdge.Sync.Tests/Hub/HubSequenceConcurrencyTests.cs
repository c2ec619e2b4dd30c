using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Hub;

/// <summary>
/// Hub sequences under concurrent writers: however pushes from several townships interleave, a township pulling
/// by cursor at the same time sees every accepted row exactly once. On PostgreSQL this rests on the writers'
/// advisory lock (sequence order = commit order) and on repeatable-read pulls.
/// </summary>
public abstract class HubSequenceConcurrencyTests(HubProvider provider)
{
    private const int Writers = 4;
    private const int BatchesPerWriter = 20;
    private const int RowsPerBatch = 15;

    public sealed class OnSqlite() : HubSequenceConcurrencyTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : HubSequenceConcurrencyTests(HubProvider.Postgres);

    [Fact]
    public async Task ParallelPushesFromSeveralNodes_ConcurrentPullerSeesEveryRowExactlyOnce()
    {
        using var world = new SyncWorld(provider: provider);
        var hub = world.Hub;
        var wall = SyncWorld.Start.ToUnixTimeMilliseconds();
        var written = new System.Collections.Concurrent.ConcurrentBag<string>();
        var seen = new List<(long Seq, string Id)>();
        var pullsBeforeWritersFinished = 0;
        var writersDone = 0;
        using var readerStarted = new ManualResetEventSlim();

        void Write(string node)
        {
            var counter = 0;
            for (var b = 1; b <= BatchesPerWriter; b++)
            {
                var changes = new List<SyncChange>();
                for (var i = 0; i < RowsPerBatch; i++)
                {
                    changes.Add(new SyncChange
                    {
                        Table = Documents, Id = Guid.CreateVersion7().ToString(), Hlc = new Hlc(wall, counter++, node).ToString(),
                        Origin = node, Data = Doc($"{node} {b}.{i}", body: new string('x', 200)),
                    });
                }
                var first = (long)(b - 1) * RowsPerBatch + 1;
                var response = hub.ApplyPush(node, new PushRequest
                {
                    NodeId = node, SchemaVersion = SchemaVersion, BatchId = $"{node}:{first}", StoreId = node + "-store",
                    FirstSeq = first, LastSeq = first + RowsPerBatch - 1, Changes = changes,
                });
                Assert.Equal((RowsPerBatch, 0), (response.Applied, response.Rejected.Count));
                foreach (var c in changes) written.Add(c.Id);
            }
        }

        void Read()
        {
            long cursor = 0;
            while (true)
            {
                // Read the flag before pulling: a pull that starts after every writer finished must see everything.
                var finished = Volatile.Read(ref writersDone) == Writers;
                var page = hub.Pull("observer", new PullRequest { NodeId = "observer", SchemaVersion = SchemaVersion, Cursor = cursor, Limit = 5 });
                if (!finished) pullsBeforeWritersFinished++;
                readerStarted.Set();
                foreach (var c in page.Changes)
                {
                    Assert.True(c.Seq > cursor && c.Seq <= page.NextCursor, $"seq {c.Seq} outside ({cursor}, {page.NextCursor}]");
                    seen.Add((c.Seq, c.Id));
                }
                Assert.True(page.NextCursor >= cursor);
                cursor = page.NextCursor;
                if (finished && !page.HasMore) return;
            }
        }

        var reader = Task.Run(Read);
        var writers = Enumerable.Range(1, Writers).Select(n => Task.Run(() =>
        {
            try
            {
                Assert.True(readerStarted.Wait(TimeSpan.FromSeconds(30)), "the puller never started");
                Write($"w{n}");
            }
            finally
            {
                Interlocked.Increment(ref writersDone);
            }
        })).ToList();
        await Task.WhenAll(writers);
        await reader;

        Assert.Equal(Writers * BatchesPerWriter * RowsPerBatch, written.Count);
        Assert.Equal(written.Count, hub.MaxSequence());
        // Every row exactly once, in strictly increasing hub sequence.
        Assert.Equal(written.Order(), seen.Select(s => s.Id).Order());
        Assert.Equal(seen.Select(s => s.Seq).Order(), seen.Select(s => s.Seq));
        Assert.Equal(seen.Count, seen.Select(s => s.Seq).Distinct().Count());
        Assert.True(pullsBeforeWritersFinished > 0, "the puller should have pulled while the writers were still at work");
    }
}
