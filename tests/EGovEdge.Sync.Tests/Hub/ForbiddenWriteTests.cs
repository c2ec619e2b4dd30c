using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Hub;

/// <summary>
/// Writes the hub refuses as forbidden: the township goes back to the hub's version of the row (or withdraws a row
/// the hub never had), keeps the refused version in _sync_rejected, and gets the refusal even when the first
/// answer was lost.
/// </summary>
public abstract class ForbiddenWriteTests(HubProvider provider)
{
    public sealed class OnSqlite() : ForbiddenWriteTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : ForbiddenWriteTests(HubProvider.Postgres);

    private const string Content = "SELECT id, hlc, origin, deleted, title, doc_type, urgency, body, recipients FROM documents WHERE id = @id";

    /// <summary>malu publishes a document to guangshun; both townships have synced it.</summary>
    private static async Task<SyncRow> SharedDocAsync(SyncWorld world)
    {
        var doc = world.Edge(Malu).Store.Insert(Documents, Doc("malu's notice", To(Guangshun), body: "original text"));
        await world.Edge(Malu).SyncOkAsync();
        await world.Edge(Guangshun).SyncOkAsync();
        Assert.NotNull(world.Edge(Guangshun).Store.Get(Documents, doc.Id));
        return doc;
    }

    private static RejectedRow RejectedOn(EdgeStore edge, string id) => Assert.Single(edge.Rejected(), r => r.RowId == id);

    [Fact]
    public async Task ForbiddenEdit_EdgeRevertsToTheHubsVersion_RefusedVersionKept()
    {
        using var world = new SyncWorld(provider: provider);
        var doc = await SharedDocAsync(world);
        var guangshun = world.Edge(Guangshun);
        guangshun.Time.Advance(TimeSpan.FromMinutes(1));
        var refused = guangshun.Store.Update(Documents, doc.Id, new() { ["title"] = "not yours to edit", ["body"] = "rewritten" })!;

        var result = await guangshun.SyncOkAsync();

        Assert.Equal((0, 1), (result.Pushed, result.Rejected));
        var rejection = Assert.Single(guangshun.Transport.PushResponses[^1].Rejected);
        Assert.Equal((RejectionKinds.Forbidden, refused.Hlc), (rejection.Kind, rejection.Hlc));
        Assert.Equal((doc.Hlc, "malu's notice"), (rejection.Current!.Hlc, rejection.Current.ToRow().Text("title")));
        // The edge holds exactly the hub's row again.
        Assert.Equal(Assert.Single(Sql.Rows(world.Hub, Content, ("@id", doc.Id))), Assert.Single(Sql.Rows(guangshun.Store, Content, ("@id", doc.Id))));
        Assert.Equal(("malu's notice", "original text", doc.Hlc), (guangshun.Store.Get(Documents, doc.Id)!.Text("title"),
            guangshun.Store.Get(Documents, doc.Id)!.Text("body"), guangshun.Store.Get(Documents, doc.Id)!.Hlc));
        // The refused version is kept whole for a technician, with the hub's reason.
        var kept = RejectedOn(guangshun.Store, doc.Id);
        Assert.Equal((refused.Hlc, "node 'guangshun' may not change a row owned by 'malu'"), (kept.Hlc, kept.Reason));
        var keptRow = RowIo.FromJson(kept.RowJson!);
        Assert.Equal(("not yours to edit", "rewritten", refused.Hlc), (keptRow.Text("title"), keptRow.Text("body"), keptRow.Hlc));
        Assert.Equal(RejectionKinds.Forbidden, Sql.Text(world.Hub, "SELECT kind FROM hub_rejected WHERE row_id = @r", ("@r", doc.Id)));
        // Nothing waits to be pushed, and the revert itself is not captured as a local change.
        Assert.Equal(0, guangshun.Store.PendingRowCount());
        var again = await guangshun.SyncOkAsync();
        Assert.Equal((0, 0), (again.Pushed, again.Rejected));
        Assert.Single(guangshun.Transport.Pushes);
        Assert.Equal(1, guangshun.Store.RejectedCount());
    }

    [Fact]
    public async Task ForbiddenEdits_BatchEndsInsideTheRowsHistory_RevertedOnceAndNothingSpuriousRefused()
    {
        using var world = new SyncWorld(provider: provider);
        var guangshun = world.Edge(Guangshun, new SyncAgentOptions { PushBatchSize = 1, SchemaVersion = SchemaVersion });
        var doc = await SharedDocAsync(world);
        guangshun.Time.Advance(TimeSpan.FromMinutes(1));
        guangshun.Store.Update(Documents, doc.Id, Set("title", "first edit"));
        var second = guangshun.Store.Update(Documents, doc.Id, Set("title", "second edit"))!;

        var result = await guangshun.SyncOkAsync();

        // One refusal (of the row's current version); the hub's own version is not pushed back as guangshun's.
        Assert.Equal(1, result.Rejected);
        Assert.Equal(second.Hlc, Assert.Single(guangshun.Store.Rejected()).Hlc);
        Assert.All(guangshun.Transport.Pushes.SelectMany(p => p.Changes), c => Assert.Equal(Guangshun, Hlc.Parse(c.Hlc).Node));
        Assert.Equal(1, Sql.Long(world.Hub, "SELECT COUNT(*) FROM hub_rejected"));
        Assert.Equal((doc.Hlc, "malu's notice"), (guangshun.Store.Get(Documents, doc.Id)!.Hlc, guangshun.Store.Get(Documents, doc.Id)!.Text("title")));
        Assert.Equal(0, guangshun.Store.PendingRowCount());
    }

    [Fact]
    public async Task ForbiddenDelete_RowComesBackAsTheHubsVersion()
    {
        using var world = new SyncWorld(provider: provider);
        var doc = await SharedDocAsync(world);
        var guangshun = world.Edge(Guangshun);
        guangshun.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(guangshun.Store.Delete(Documents, doc.Id));

        await guangshun.SyncOkAsync();

        var row = guangshun.Store.Get(Documents, doc.Id)!;
        Assert.Equal((false, doc.Hlc, "malu's notice"), (row.Deleted, row.Hlc, row.Text("title")));
        Assert.False(world.Hub.Get(Documents, doc.Id)!.Deleted);
        Assert.True(RowIo.FromJson(RejectedOn(guangshun.Store, doc.Id).RowJson!).Deleted);
        // The township can work with the row again (its next edit is still refused, but it is not a dead row).
        Assert.NotNull(guangshun.Store.Update(Documents, doc.Id, Set("urgency", "high")));
    }

    [Fact]
    public async Task ForbiddenEdit_HubHasANewerVersion_EdgeTakesTheNewestAndConverges()
    {
        using var world = new SyncWorld(provider: provider);
        var doc = await SharedDocAsync(world);
        var malu = world.Edge(Malu);
        var guangshun = world.Edge(Guangshun);
        malu.Time.Advance(TimeSpan.FromMinutes(1));
        var v2 = malu.Store.Update(Documents, doc.Id, Set("title", "malu's correction"))!;
        await malu.SyncOkAsync();
        guangshun.Time.Advance(TimeSpan.FromMinutes(2));
        guangshun.Store.Update(Documents, doc.Id, Set("title", "guangshun's edit")); // still on v1

        var result = await guangshun.SyncOkAsync();

        Assert.Equal((1, 0), (result.Rejected, result.Conflicts));
        Assert.Equal(v2.Hlc, guangshun.Transport.PushResponses[^1].Rejected.Single().Current!.Hlc);
        Assert.Equal((v2.Hlc, "malu's correction"), (guangshun.Store.Get(Documents, doc.Id)!.Hlc, guangshun.Store.Get(Documents, doc.Id)!.Text("title")));
        Assert.Equal(Assert.Single(Sql.Rows(world.Hub, Content, ("@id", doc.Id))), Assert.Single(Sql.Rows(guangshun.Store, Content, ("@id", doc.Id))));
        Assert.Equal(0, guangshun.Store.OpenConflictCount());
        Assert.Equal(0, world.Hub.OpenConflictCount());
    }

    [Fact]
    public async Task ForbiddenInsert_HubHasNoVersion_RowWithdrawnAuditedAndNeverPushedAgain()
    {
        using var world = new SyncWorld(new CountyOnlyTableRules(Tallies), provider, CreateWithAudit());
        var malu = world.Edge(Malu);
        SyncRow tally;
        using (AuditActor.Use("zhang"))
        {
            tally = malu.Store.Insert(Tallies, new() { ["label"] = "page count", ["pages"] = 12 });
        }
        malu.Time.Advance(TimeSpan.FromSeconds(5));

        var result = await malu.SyncOkAsync();

        var rejection = Assert.Single(malu.Transport.PushResponses[0].Rejected);
        Assert.Equal((RejectionKinds.Forbidden, "only the county writes 'tallies'", (SyncChange?)null),
            (rejection.Kind, rejection.Reason, rejection.Current));
        Assert.Equal(1, result.Rejected);
        Assert.Null(world.Hub.Get(Tallies, tally.Id));
        // Withdrawn locally: a tombstone with a newer stamp of malu's own, the data kept.
        var withdrawn = malu.Store.Get(Tallies, tally.Id)!;
        Assert.True(withdrawn.Deleted);
        Assert.Equal((tally.Hlc, "page count", 12L), (withdrawn.PrevHlc, withdrawn.Text("label"), withdrawn.Integer("pages")));
        Assert.True(Hlc.Parse(withdrawn.Hlc) > Hlc.Parse(tally.Hlc));
        Assert.Equal(Malu, Hlc.Parse(withdrawn.Hlc).Node);
        var kept = RejectedOn(malu.Store, tally.Id);
        Assert.Equal(tally.Hlc, kept.Hlc);
        Assert.False(RowIo.FromJson(kept.RowJson!).Deleted);
        // The withdrawal is audited as malu's own action ...
        var entries = Sql.Rows(malu.Store, "SELECT seq, actor, action, entity, version FROM audit ORDER BY seq");
        Assert.Equal(2, entries.Count);
        Assert.Equal(new string?[] { "1", "zhang", "tallies.create", "tallies:" + tally.Id, tally.Hlc }, entries[0]);
        Assert.Equal(new string?[] { "2", "system", "tallies.withdraw", "tallies:" + tally.Id, withdrawn.Hlc }, entries[1]);
        Assert.True(AuditVerifier.Verify(malu.Store).Ok);
        // ... and that entry reaches the hub, whose copy of malu's chain verifies; the tombstone itself is not pushed.
        Assert.Equal(2, Sql.Long(world.Hub, "SELECT COUNT(*) FROM audit WHERE node = 'malu'"));
        var hubReport = AuditVerifier.Verify(world.Hub);
        Assert.True(hubReport.Ok, string.Join("; ", hubReport.Chains.Select(c => $"{c.Node}: {c.FirstBreak}")));
        Assert.Equal(0, malu.Store.PendingRowCount());
        var again = await malu.SyncOkAsync();
        Assert.Equal((0, 0), (again.Pushed, again.Rejected));
        Assert.Equal(1, Sql.Long(world.Hub, "SELECT COUNT(*) FROM hub_rejected"));
    }

    [Fact]
    public async Task LostResponseAfterRejection_RetryIsDuplicateYetCarriesTheRejection()
    {
        using var world = new SyncWorld(provider: provider);
        var doc = await SharedDocAsync(world);
        var guangshun = world.Edge(Guangshun);
        guangshun.Time.Advance(TimeSpan.FromMinutes(1));
        var refused = guangshun.Store.Update(Documents, doc.Id, Set("title", "not yours to edit"))!;
        guangshun.Transport.LoseNextPushResponse = true;

        var lost = await guangshun.SyncAsync();

        Assert.False(lost.Succeeded);
        Assert.Single(guangshun.Transport.PushResponses[^1].Rejected); // the hub refused it, the answer was lost
        Assert.Equal(1, Sql.Long(world.Hub, "SELECT COUNT(*) FROM hub_rejected"));
        Assert.Equal(0, guangshun.Store.RejectedCount());
        Assert.Equal("not yours to edit", guangshun.Store.Get(Documents, doc.Id)!.Text("title"));

        var retry = await guangshun.SyncOkAsync();

        var response = guangshun.Transport.PushResponses[^1];
        Assert.True(response.Duplicate);
        var rejection = Assert.Single(response.Rejected);
        Assert.Equal((doc.Id, refused.Hlc, RejectionKinds.Forbidden, doc.Hlc), (rejection.Id, rejection.Hlc, rejection.Kind, rejection.Current!.Hlc));
        Assert.Equal("node 'guangshun' may not change a row owned by 'malu'", rejection.Reason);
        Assert.Equal(1, retry.Rejected);
        Assert.Equal(refused.Hlc, RejectedOn(guangshun.Store, doc.Id).Hlc);
        Assert.Equal(("malu's notice", doc.Hlc), (guangshun.Store.Get(Documents, doc.Id)!.Text("title"), guangshun.Store.Get(Documents, doc.Id)!.Hlc));
        Assert.Equal(0, guangshun.Store.PendingRowCount());
        Assert.Equal(1, Sql.Long(world.Hub, "SELECT COUNT(*) FROM hub_rejected"));
    }

    [Fact]
    public void DuplicateBatch_CarriesEveryRecordedRejectionAndOnlyThose()
    {
        using var world = new SyncWorld(provider: provider);
        var malu = world.Edge(Malu).Store;
        var accepted = malu.Insert(Documents, Doc("fine"));
        var batch = Wire.RoundTrip(malu.ReadPending(500, SchemaVersion)!, SyncJsonContext.Default.PushRequest);
        var forged = new SyncChange
        {
            Table = Documents, Id = Guid.CreateVersion7().ToString(), Hlc = new Hlc(SyncWorld.Start.ToUnixTimeMilliseconds(), 7, Malu).ToString(),
            Origin = Guangshun, Data = Doc("on behalf of guangshun"),
        };
        var future = new SyncChange
        {
            Table = Documents, Id = Guid.CreateVersion7().ToString(), Hlc = new Hlc(SyncWorld.Start.AddDays(3).ToUnixTimeMilliseconds(), 0, Malu).ToString(),
            Origin = Malu, Data = Doc("from the future"),
        };
        batch.Changes.AddRange([forged, future]);

        var first = world.Hub.ApplyPush(Malu, Wire.RoundTrip(batch, SyncJsonContext.Default.PushRequest));
        var again = Wire.RoundTrip(world.Hub.ApplyPush(Malu, Wire.RoundTrip(batch, SyncJsonContext.Default.PushRequest)), SyncJsonContext.Default.PushResponse);

        Assert.Equal((false, 1), (first.Duplicate, first.Applied));
        Assert.Equal((true, 0, batch.LastSeq), (again.Duplicate, again.Applied, again.AckedSeq));
        Assert.Equal(
            first.Rejected.Select(r => (r.Table, r.Id, r.Hlc, r.Reason, r.Kind)),
            again.Rejected.Select(r => (r.Table, r.Id, r.Hlc, r.Reason, r.Kind)));
        Assert.Equal([forged.Id, future.Id], again.Rejected.Select(r => r.Id));
        Assert.DoesNotContain(again.Rejected, r => r.Id == accepted.Id);
        Assert.Equal([RejectionKinds.Forbidden, RejectionKinds.Invalid], again.Rejected.Select(r => r.Kind));
        Assert.All(again.Rejected, r => Assert.Null(r.Current)); // the hub holds no version of either row
        Assert.Equal(2, Sql.Long(world.Hub, "SELECT COUNT(*) FROM hub_rejected"));
    }
}
