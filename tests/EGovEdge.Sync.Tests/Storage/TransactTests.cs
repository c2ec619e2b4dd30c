using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Storage;

/// <summary>
/// <see cref="ILocalStore.Transact{T}"/>: several writes commit together or not at all, each captured like a single
/// write, and check-then-write rules hold under concurrent writers (edge and hub stores alike).
/// </summary>
public sealed class TransactTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);

    public void Dispose() => _dir.Dispose();

    private EdgeStore Edge() => new(_dir.File("malu.db"), Malu, Create(), _time);

    private HubStore Hub() => new(new SqliteHubDatabase(_dir.File("hub.db")), Create(), _time, new OwnRowsOnlyRules());

    public static TheoryData<string> Stores => new() { "edge", "hub" };

    private ILocalStore Store(string kind) => kind == "edge" ? Edge() : Hub();

    [Theory]
    [MemberData(nameof(Stores))]
    public void Transact_SeveralWrites_CommitTogetherAndSeeEachOther(string kind)
    {
        var store = Store(kind);
        var changed = 0;
        store.Changed += (_, _) => changed++;

        var (first, second) = store.Transact(w =>
        {
            var a = w.Insert(Documents, Doc("one"));
            var b = w.Insert(Documents, Doc("two"));
            w.Update(Documents, a.Id, Set("title", "one, revised"));
            Assert.Equal("one, revised", w.Get(Documents, a.Id)!.Text("title"));
            Assert.Equal(2L, w.Connection.ScalarLong("SELECT COUNT(*) FROM documents", w.Transaction));
            return (a.Id, b.Id);
        });

        Assert.Equal("one, revised", store.Get(Documents, first)!.Text("title"));
        Assert.Equal("two", store.Get(Documents, second)!.Text("title"));
        Assert.Equal(1, changed);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Transact_WorkThrows_NothingStoredNothingCaptured(string kind)
    {
        var store = Store(kind);
        var changed = 0;
        store.Changed += (_, _) => changed++;

        Assert.Throws<InvalidOperationException>(() => store.Transact<int>(w =>
        {
            w.Insert(Documents, Doc("half done"));
            throw new InvalidOperationException("rule broken");
        }));

        using var conn = store.OpenConnection();
        Assert.Equal(0L, conn.ScalarLong("SELECT COUNT(*) FROM documents"));
        Assert.Equal(0, changed);
        if (store is EdgeStore edge) Assert.Equal(0, edge.PendingRowCount());
    }

    [Fact]
    public void Transact_EdgeCapturesEveryWriteForSync()
    {
        var edge = Edge();
        edge.Transact(w =>
        {
            var a = w.Insert(Documents, Doc("a"));
            w.Insert(Documents, Doc("b"));
            return w.Delete(Documents, a.Id);
        });

        Assert.Equal(2, edge.PendingRowCount());
        Assert.Equal(3, Sql.SyncLog(edge).Count);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Transact_ConcurrentCheckThenInsert_NeverDuplicates(string kind)
    {
        var store = Store(kind);
        // Every writer allocates "the next number" by reading the maximum and inserting max+1: without a serialised
        // transaction two writers would read the same maximum.
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                store.Transact(w =>
                {
                    var next = w.Connection.ScalarLong("SELECT COUNT(*) FROM documents", w.Transaction) + 1;
                    return w.Insert(Documents, Doc("No. " + next));
                });
            }
        })).ToArray();
        await Task.WhenAll(writers);

        using var conn = store.OpenConnection();
        Assert.Equal(80L, conn.ScalarLong("SELECT COUNT(DISTINCT title) FROM documents"));
    }
}
