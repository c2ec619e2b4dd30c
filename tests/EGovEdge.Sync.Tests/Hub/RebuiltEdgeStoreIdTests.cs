using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Hub;

/// <summary>
/// A rebuilt or restored edge numbers its change log from 1 again. Its pushes carry a new store id, and the hub
/// forgets the old acknowledged sequence instead of answering "duplicate" to changes it has never seen.
/// </summary>
public abstract class RebuiltEdgeStoreIdTests(HubProvider provider) : IDisposable
{
    private readonly SyncWorld _world = new(provider: provider);

    public sealed class OnSqlite() : RebuiltEdgeStoreIdTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : RebuiltEdgeStoreIdTests(HubProvider.Postgres);

    public void Dispose()
    {
        _world.Dispose();
        GC.SuppressFinalize(this);
    }

    private string? HubStoreId(string node) =>
        Sql.Text(_world.Hub, "SELECT store_id FROM hub_nodes WHERE node = @n", ("@n", node));

    private PushRequest Pending(EdgeStore edge) =>
        Wire.RoundTrip(edge.ReadPending(500, SchemaVersion)!, SyncJsonContext.Default.PushRequest);

    [Fact]
    public async Task RebuiltEdge_NewDocumentAfterRebuild_ReachesTheHubAndOtherTownships()
    {
        var old = _world.Edge(Malu);
        for (var i = 1; i <= 3; i++) old.Store.Insert(Documents, Doc($"before the disk died {i}"));
        await old.SyncOkAsync();
        Assert.Equal(3, _world.Hub.Nodes().Single(n => n.Node == Malu).PushAcked);

        var rebuilt = _world.RebuildEdge(Malu);
        var restore = await rebuilt.SyncOkAsync();
        rebuilt.Time.Advance(TimeSpan.FromMinutes(1));
        var doc = rebuilt.Store.Insert(Documents, Doc("first document after the rebuild"));
        var result = await rebuilt.SyncOkAsync();
        await _world.Edge(Guangshun).SyncOkAsync();

        Assert.Equal(3, restore.Pulled);
        Assert.NotEqual(old.Store.StoreId, rebuilt.Store.StoreId);
        var push = Assert.Single(rebuilt.Transport.Pushes);
        Assert.Equal((1L, 1L, rebuilt.Store.StoreId), (push.FirstSeq, push.LastSeq, push.StoreId));
        var response = Assert.Single(rebuilt.Transport.PushResponses);
        Assert.Equal((false, 1, 1L), (response.Duplicate, response.Applied, response.AckedSeq));
        Assert.Equal(1, result.Pushed);
        Assert.Equal((doc.Hlc, "first document after the rebuild"),
            (_world.Hub.Get(Documents, doc.Id)!.Hlc, _world.Hub.Get(Documents, doc.Id)!.Text("title")));
        Assert.NotNull(_world.Edge(Guangshun).Store.Get(Documents, doc.Id));
        var node = _world.Hub.Nodes().Single(n => n.Node == Malu);
        Assert.Equal((1L, 4L), (node.PushAcked, node.ChangesReceived));
        Assert.Equal(rebuilt.Store.StoreId, HubStoreId(Malu));
        Assert.Equal(0, rebuilt.Store.PendingRowCount());
    }

    [Fact]
    public void ApplyPush_NewStoreId_RestartsTheAcknowledgedSequenceThenDetectsDuplicatesAgain()
    {
        var old = _world.Edge(Malu).Store;
        old.Insert(Documents, Doc("a"));
        old.Insert(Documents, Doc("b"));
        var first = Pending(old);
        old.AckPush(first, _world.Hub.ApplyPush(Malu, first));
        Assert.Equal(old.StoreId, HubStoreId(Malu));

        var rebuilt = _world.RebuildEdge(Malu).Store;
        var doc = rebuilt.Insert(Documents, Doc("c"));
        var batch = Pending(rebuilt);
        var applied = _world.Hub.ApplyPush(Malu, batch);
        var retried = _world.Hub.ApplyPush(Malu, Pending(rebuilt));

        Assert.Equal((batch.FirstSeq, batch.LastSeq), (1L, 1L));
        Assert.Equal((false, 1, 1L), (applied.Duplicate, applied.Applied, applied.AckedSeq));
        Assert.NotNull(_world.Hub.Get(Documents, doc.Id));
        Assert.Equal(rebuilt.StoreId, HubStoreId(Malu));
        // The hub now tracks the new database: a retry of its batch is a duplicate again.
        Assert.Equal((true, 0, 1L), (retried.Duplicate, retried.Applied, retried.AckedSeq));
        Assert.Equal(3, _world.Hub.MaxSequence());
    }

    [Fact]
    public void ApplyPush_WithoutStoreId_OlderEdgeKeepsDuplicateDetectionAndTheKnownStoreId()
    {
        var edge = _world.Edge(Malu).Store;
        edge.Insert(Documents, Doc("a"));
        edge.Insert(Documents, Doc("b"));
        var batch = Pending(edge);
        _world.Hub.ApplyPush(Malu, batch);
        var max = _world.Hub.MaxSequence();

        var legacy = new PushRequest
        {
            NodeId = batch.NodeId, SchemaVersion = batch.SchemaVersion, BatchId = batch.BatchId, StoreId = null,
            FirstSeq = batch.FirstSeq, LastSeq = batch.LastSeq, Changes = batch.Changes,
        };
        var again = _world.Hub.ApplyPush(Malu, Wire.RoundTrip(legacy, SyncJsonContext.Default.PushRequest));

        Assert.True(again.Duplicate);
        Assert.Equal(2, again.AckedSeq);
        Assert.Equal(max, _world.Hub.MaxSequence());
        Assert.Equal(edge.StoreId, HubStoreId(Malu));
    }
}
