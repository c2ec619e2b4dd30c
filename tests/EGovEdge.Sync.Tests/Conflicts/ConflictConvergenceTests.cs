using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Conflicts;

/// <summary>
/// End-to-end conflicts through real sync cycles: every node ends with the same winner, the loser is kept whole,
/// and retries after lost acknowledgements are not mistaken for conflicts.
/// Runs once per hub database engine (<see cref="OnSqlite"/>, <see cref="OnPostgres"/>).
/// </summary>
public abstract class ConflictConvergenceTests(HubProvider provider)
{
    public sealed class OnSqlite() : ConflictConvergenceTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : ConflictConvergenceTests(HubProvider.Postgres);

    private const string Content = "SELECT id, hlc, origin, deleted, title, doc_type, urgency, body, recipients FROM documents WHERE id = @id";

    private static void AssertConverged(string id, params ILocalStore[] nodes)
    {
        var first = Assert.Single(Sql.Rows(nodes[0], Content, ("@id", id)));
        foreach (var node in nodes.Skip(1))
        {
            Assert.Equal(first, Assert.Single(Sql.Rows(node, Content, ("@id", id))));
        }
    }

    private static List<string?[]> HubConflicts(HubStore hub) =>
        Sql.Rows(hub, "SELECT row_id, winner_hlc, loser_hlc, winner_json, loser_json FROM hub_conflicts");

    /// <summary>malu publishes a document to guangshun and both townships sync it.</summary>
    private static async Task<SyncRow> SharedDocAsync(SyncWorld world)
    {
        var doc = world.Edge(Malu).Store.Insert(Documents, Doc("original", To(Guangshun), body: "first draft"));
        await world.Edge(Malu).SyncOkAsync();
        await world.Edge(Guangshun).SyncOkAsync();
        Assert.NotNull(world.Edge(Guangshun).Store.Get(Documents, doc.Id));
        return doc;
    }

    private static async Task SyncAllAsync(SyncWorld world, params string[] order)
    {
        for (var round = 0; round < 2; round++)
        {
            foreach (var node in order) await world.Edge(node).SyncOkAsync();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConcurrentEdits_TwoEdgesDuringOutage_LaterHlcWinsEverywhere(bool laterEditorSyncsFirst)
    {
        using var world = new SyncWorld(new AddressedMayEditRules(), provider);
        var doc = await SharedDocAsync(world);
        var malu = world.Edge(Malu);
        var guangshun = world.Edge(Guangshun);

        // Outage: both townships edit the same document.
        malu.Time.Advance(TimeSpan.FromMinutes(1));
        var earlier = malu.Store.Update(Documents, doc.Id, new() { ["title"] = "malu's version", ["body"] = "malu's text" })!;
        guangshun.Time.Advance(TimeSpan.FromMinutes(2));
        var later = guangshun.Store.Update(Documents, doc.Id, Set("title", "guangshun's version"))!;
        world.AdvanceAll(TimeSpan.FromMinutes(5));

        await SyncAllAsync(world, laterEditorSyncsFirst ? [Guangshun, Malu] : [Malu, Guangshun]);

        AssertConverged(doc.Id, world.Hub, malu.Store, guangshun.Store);
        var winner = world.Hub.Get(Documents, doc.Id)!;
        Assert.Equal((later.Hlc, "guangshun's version", "first draft"), (winner.Hlc, winner.Text("title"), winner.Text("body")));
        var conflict = Assert.Single(HubConflicts(world.Hub));
        Assert.Equal(new string?[] { doc.Id, later.Hlc, earlier.Hlc }, conflict[..3]);
        var loser = RowIo.FromJson(conflict[4]!);
        Assert.Equal(("malu's version", "malu's text", earlier.Hlc, Malu), (loser.Text("title"), loser.Text("body"), loser.Hlc, loser.Origin));
        Assert.Equal((0L, 0L), (malu.Store.PendingRowCount(), guangshun.Store.PendingRowCount()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConcurrentEdits_HubAndOriginEdge_LaterHlcWinsEverywhere(bool edgeEditIsLater)
    {
        using var world = new SyncWorld(provider: provider);
        var doc = await SharedDocAsync(world);
        var malu = world.Edge(Malu);
        malu.Time.Advance(TimeSpan.FromMinutes(edgeEditIsLater ? 2 : 1));
        world.HubTime.Advance(TimeSpan.FromMinutes(edgeEditIsLater ? 1 : 2));
        var edgeEdit = malu.Store.Update(Documents, doc.Id, Set("title", "malu's correction"))!;
        var hubEdit = world.Hub.Update(Documents, doc.Id, Set("title", "county's correction"))!;

        await SyncAllAsync(world, Malu, Guangshun);

        var (winner, loser) = edgeEditIsLater ? (edgeEdit, hubEdit) : (hubEdit, edgeEdit);
        AssertConverged(doc.Id, world.Hub, malu.Store, world.Edge(Guangshun).Store);
        Assert.Equal((winner.Hlc, winner.Text("title")), (world.Hub.Get(Documents, doc.Id)!.Hlc, world.Hub.Get(Documents, doc.Id)!.Text("title")));
        var conflict = Assert.Single(HubConflicts(world.Hub));
        Assert.Equal(new string?[] { doc.Id, winner.Hlc, loser.Hlc }, conflict[..3]);
        Assert.Equal(loser.Text("title"), RowIo.FromJson(conflict[4]!).Text("title"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DeleteVsConcurrentUpdate_DeleteWinsAndUpdateIsKeptAsLoser(bool deleteSyncsFirst)
    {
        using var world = new SyncWorld(new AddressedMayEditRules(), provider);
        var doc = await SharedDocAsync(world);
        var malu = world.Edge(Malu);
        var guangshun = world.Edge(Guangshun);
        malu.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(malu.Store.Delete(Documents, doc.Id));
        var deleteHlc = malu.Store.Get(Documents, doc.Id)!.Hlc;
        guangshun.Time.Advance(TimeSpan.FromMinutes(2)); // the update is later by the clock, and still loses
        var update = guangshun.Store.Update(Documents, doc.Id, Set("title", "guangshun's late update"))!;

        await SyncAllAsync(world, deleteSyncsFirst ? [Malu, Guangshun] : [Guangshun, Malu]);

        AssertConverged(doc.Id, world.Hub, malu.Store, guangshun.Store);
        var final = world.Hub.Get(Documents, doc.Id)!;
        Assert.True(final.Deleted);
        Assert.Equal(deleteHlc, final.Hlc);
        Assert.True(guangshun.Store.Get(Documents, doc.Id)!.Deleted);
        Assert.Null(guangshun.Store.Update(Documents, doc.Id, Set("title", "try again")));
        var conflict = Assert.Single(HubConflicts(world.Hub));
        Assert.Equal(new string?[] { doc.Id, deleteHlc, update.Hlc }, conflict[..3]);
        var loser = RowIo.FromJson(conflict[4]!);
        Assert.Equal(("guangshun's late update", false), (loser.Text("title"), loser.Deleted));
        Assert.True(RowIo.FromJson(conflict[3]!).Deleted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LostAck_EdgeEditsAgainThenSyncs_NoConflict(bool lostPushIsTheInsert)
    {
        using var world = new SyncWorld(provider: provider);
        var malu = world.Edge(Malu);
        var doc = malu.Store.Insert(Documents, Doc("v1"));
        if (!lostPushIsTheInsert)
        {
            await malu.SyncOkAsync();
            malu.Time.Advance(TimeSpan.FromSeconds(1));
            malu.Store.Update(Documents, doc.Id, Set("title", "v2"));
        }
        malu.Transport.LoseNextPushResponse = true;
        var failed = await malu.SyncAsync();
        Assert.False(failed.Succeeded);
        Assert.Equal(lostPushIsTheInsert ? "v1" : "v2", world.Hub.Get(Documents, doc.Id)!.Text("title"));

        malu.Time.Advance(TimeSpan.FromSeconds(1));
        var latest = malu.Store.Update(Documents, doc.Id, Set("title", "v3"))!;
        var result = await malu.SyncOkAsync();
        await world.Edge(Guangshun).SyncOkAsync();

        Assert.False(malu.Transport.PushResponses[^1].Duplicate);
        Assert.Equal((1, 0), (malu.Transport.PushResponses[^1].Applied, result.Conflicts));
        Assert.Equal(0, world.Hub.OpenConflictCount());
        Assert.Equal(0, malu.Store.OpenConflictCount());
        Assert.Equal((latest.Hlc, "v3"), (world.Hub.Get(Documents, doc.Id)!.Hlc, world.Hub.Get(Documents, doc.Id)!.Text("title")));
        AssertConverged(doc.Id, world.Hub, malu.Store, world.Edge(Guangshun).Store);
        Assert.Equal(0, malu.Store.PendingRowCount());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EditDuringCycle_PulledConcurrentVersion_ResolvedOnEdgeAndConverges(bool localEditIsLater)
    {
        using var world = new SyncWorld(new AddressedMayEditRules(), provider);
        var doc = await SharedDocAsync(world);
        var malu = world.Edge(Malu);
        var guangshun = world.Edge(Guangshun);
        malu.Time.Advance(TimeSpan.FromMinutes(2));
        var remote = malu.Store.Update(Documents, doc.Id, Set("title", "malu's edit"))!;
        await malu.SyncOkAsync();
        guangshun.Time.Advance(TimeSpan.FromMinutes(localEditIsLater ? 3 : 1));
        SyncRow? local = null;
        guangshun.Transport.BeforePull = () =>
        {
            // A clerk saves an edit after this cycle's push, before its pull.
            guangshun.Transport.BeforePull = null;
            local = guangshun.Store.Update(Documents, doc.Id, Set("title", "guangshun's edit"));
        };

        var cycle = await guangshun.SyncOkAsync();

        Assert.NotNull(local);
        Assert.Equal(1, cycle.Conflicts);
        var edgeConflict = Assert.Single(guangshun.Store.Conflicts());
        var (winner, loser) = localEditIsLater ? (local, remote) : (remote, local);
        Assert.Equal((winner.Hlc, loser.Hlc), (edgeConflict.WinnerHlc, edgeConflict.LoserHlc));
        Assert.Equal(loser.Text("title"), RowIo.FromJson(edgeConflict.LoserJson).Text("title"));
        Assert.Equal(localEditIsLater ? 1 : 0, guangshun.Store.PendingRowCount());

        await SyncAllAsync(world, Guangshun, Malu);

        AssertConverged(doc.Id, world.Hub, malu.Store, guangshun.Store);
        Assert.Equal(winner.Hlc, world.Hub.Get(Documents, doc.Id)!.Hlc);
        // The hub sees the conflict only when the local edit won on the edge and was pushed over malu's.
        Assert.Equal(localEditIsLater ? 1 : 0, world.Hub.OpenConflictCount());
        Assert.Equal(0, guangshun.Store.PendingRowCount());
    }

    [Fact]
    public async Task ManyEditsOnSeveralNodes_AfterSyncEveryNodeHoldsTheSameTable()
    {
        using var world = new SyncWorld(new AddressedMayEditRules(), provider);
        string[] nodes = [Malu, Guangshun, Xinzhuang];
        var docs = new List<string>();
        foreach (var n in nodes)
        {
            for (var i = 0; i < 3; i++) docs.Add(world.Edge(n).Store.Insert(Documents, Doc($"{n} {i}")).Id);
        }
        await SyncAllAsync(world, nodes);
        var step = 0;
        foreach (var id in docs)
        {
            foreach (var n in nodes)
            {
                world.Edge(n).Time.Advance(TimeSpan.FromMilliseconds(7 * ++step % 11));
                world.Edge(n).Store.Update(Documents, id, Set("body", $"{n} edit {step}"));
            }
        }
        world.Edge(Guangshun).Store.Delete(Documents, docs[0]);

        await SyncAllAsync(world, nodes);

        const string all = "SELECT id, hlc, origin, deleted, title, body FROM documents ORDER BY id";
        var hub = Sql.Rows(world.Hub, all);
        Assert.Equal(9, hub.Count);
        foreach (var n in nodes) Assert.Equal(hub, Sql.Rows(world.Edge(n).Store, all));
        Assert.Equal("1", hub.Single(r => r[0] == docs[0])[3]);
        Assert.All(nodes, n => Assert.Equal(0, world.Edge(n).Store.PendingRowCount()));
    }
}
