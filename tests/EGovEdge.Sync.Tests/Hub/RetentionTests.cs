using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Hub;

/// <summary>
/// Tombstone retention at the hub and the re-bootstrap of a township that was away longer than the window.
/// Runs once per hub database engine.
/// </summary>
public abstract class RetentionTests(HubProvider provider) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private readonly SyncWorld _world = new(provider: provider);

    public sealed class OnSqlite() : RetentionTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : RetentionTests(HubProvider.Postgres);

    public void Dispose()
    {
        _world.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Prune_TombstonePassedByEveryActiveTownshipAndOlderThanWindow_RemovedFromHub()
    {
        var gs = _world.Edge(Guangshun);
        var malu = _world.Edge(Malu);
        var doc = gs.Store.Insert(Documents, Doc("to be withdrawn", To(Malu)));
        await gs.SyncOkAsync();
        await malu.SyncOkAsync();
        gs.Store.Delete(Documents, doc.Id);
        await gs.SyncOkAsync();
        await malu.SyncOkAsync();

        Assert.Equal(0, _world.Hub.Prune(Window)); // too young
        _world.AdvanceAll(TimeSpan.FromDays(31));
        await gs.SyncOkAsync();
        await malu.SyncOkAsync();

        Assert.Equal(1, _world.Hub.Prune(Window));
        Assert.Equal(0, Sql.Long(_world.Hub, "SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", doc.Id)));
        Assert.DoesNotContain(Sql.HubLog(_world.Hub), e => e.RowId == doc.Id);
    }

    [Fact]
    public async Task Prune_ActiveTownshipHasNotAcknowledgedTheTombstone_KeepsIt()
    {
        var gs = _world.Edge(Guangshun);
        var malu = _world.Edge(Malu);
        var doc = gs.Store.Insert(Documents, Doc("still owed to malu", To(Malu)));
        await gs.SyncOkAsync();
        await malu.SyncOkAsync();
        gs.Store.Delete(Documents, doc.Id);
        await gs.SyncOkAsync();
        _world.AdvanceAll(TimeSpan.FromDays(35));
        // malu is in touch (it pulls now), but the cursor it acknowledged with this pull is still before the
        // tombstone: the hub only learns that malu applied it from malu's next pull.
        await malu.SyncOkAsync();

        Assert.Equal(0, _world.Hub.Prune(Window));
        Assert.Equal(1, Sql.Long(_world.Hub, "SELECT COUNT(*) FROM documents WHERE id = @id AND deleted = 1", ("@id", doc.Id)));

        await malu.SyncOkAsync(); // acknowledges the tombstone
        Assert.Equal(1, _world.Hub.Prune(Window));
        Assert.True(malu.Store.Get(Documents, doc.Id)!.Deleted);
    }

    [Fact]
    public async Task Pull_TownshipAwayLongerThanWindow_RebootstrapsDropsDeletedRowsKeepsUnsyncedEdits()
    {
        var gs = _world.Edge(Guangshun);
        var malu = _world.Edge(Malu);
        var doomed = gs.Store.Insert(Documents, Doc("deleted while malu was away", To(Malu)));
        var kept = gs.Store.Insert(Documents, Doc("still there", To(Malu)));
        await gs.SyncOkAsync();
        await malu.SyncOkAsync();
        Assert.Equal(2, Sql.CountRows(malu.Store));

        // malu goes silent; meanwhile guangshun deletes one document and the window passes.
        gs.Store.Delete(Documents, doomed.Id);
        await gs.SyncOkAsync();
        _world.AdvanceAll(TimeSpan.FromDays(45));
        await gs.SyncOkAsync();
        Assert.Equal(1, _world.Hub.Prune(Window));

        // malu wrote something offline before coming back: it must survive the re-bootstrap and still reach the hub.
        var offline = malu.Store.Insert(Documents, Doc("written offline at malu", To(Guangshun)));
        var result = await malu.SyncOkAsync();

        Assert.False(malu.Store.Rebootstrapping);
        Assert.Null(malu.Store.Get(Documents, doomed.Id)); // the deletion it missed is applied: the row is gone
        Assert.NotNull(malu.Store.Get(Documents, kept.Id));
        Assert.NotNull(malu.Store.Get(Documents, offline.Id));
        Assert.NotNull(_world.Hub.Get(Documents, offline.Id));
        Assert.Equal(0, malu.Store.PendingRowCount());
        Assert.True(result.Pushed >= 1);

        // Afterwards it syncs normally again.
        var again = await malu.SyncOkAsync();
        Assert.Equal((0, 0), (again.Pushed, again.Pulled));
    }

    [Fact]
    public async Task Pull_CursorBehindPrunedTombstones_ResetRequiredEvenIfNeverFlagged()
    {
        var gs = _world.Edge(Guangshun);
        var doc = gs.Store.Insert(Documents, Doc("x", To(Malu)));
        await gs.SyncOkAsync();
        gs.Store.Delete(Documents, doc.Id);
        await gs.SyncOkAsync();
        _world.AdvanceAll(TimeSpan.FromDays(31));
        await gs.SyncOkAsync();
        Assert.Equal(1, _world.Hub.Prune(Window));

        var res = _world.Hub.Pull(Malu, new EGovEdge.Sync.Protocol.PullRequest { NodeId = Malu, SchemaVersion = SchemaVersion, Cursor = 1 });
        Assert.True(res.ResetRequired);
        Assert.Empty(res.Changes);
        var fresh = _world.Hub.Pull(Malu, new EGovEdge.Sync.Protocol.PullRequest { NodeId = Malu, SchemaVersion = SchemaVersion, Cursor = 0 });
        Assert.False(fresh.ResetRequired);
    }
}
