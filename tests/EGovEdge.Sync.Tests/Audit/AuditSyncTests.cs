using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Audit;

/// <summary>
/// Audit chains across the network: a township's entries reach the hub (and no other township), the hub verifies
/// them and the rows they describe, tampering at the hub is named, and a rebuilt township continues its own chain.
/// </summary>
public abstract class AuditSyncTests(HubProvider provider) : IDisposable
{
    private readonly SyncWorld _world = new(provider: provider, schema: CreateWithAudit());

    public sealed class OnSqlite() : AuditSyncTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : AuditSyncTests(HubProvider.Postgres);

    public void Dispose()
    {
        _world.Dispose();
        GC.SuppressFinalize(this);
    }

    private const string ChainSql = "SELECT id, hlc, node, seq, actor, action, entity, version, before_digest, after_digest, prev_hash, hash FROM audit WHERE node = @n ORDER BY seq";

    private static string Describe(AuditReport r) =>
        string.Join("; ", r.Chains.Select(c => $"{c.Node}: {c.Entries} {c.FirstBreak}").Concat(r.Rows.Select(x => x.ToString())));

    /// <summary>zhang at malu creates two documents and edits the first; malu syncs. Returns the documents.</summary>
    private async Task<(SyncRow First, SyncRow Second)> MaluWorksAndSyncsAsync()
    {
        var malu = _world.Edge(Malu);
        SyncRow first, second;
        using (AuditActor.Use("zhang"))
        {
            first = malu.Store.Insert(Documents, Doc("Road closure", To(Guangshun)));
            second = malu.Store.Insert(Documents, Doc("Holiday schedule"));
            malu.Time.Advance(TimeSpan.FromMinutes(1));
            first = malu.Store.Update(Documents, first.Id, Set("body", "S211 closed until Friday"))!;
        }
        await malu.SyncOkAsync();
        return (first, second);
    }

    [Fact]
    public async Task EdgeEntries_SyncToTheHub_HubVerifiesTheEdgesChainAndRows()
    {
        var (first, second) = await MaluWorksAndSyncsAsync();
        _world.Hub.Insert(Documents, Doc("From the county"));
        var guangshun = _world.Edge(Guangshun);
        await guangshun.SyncOkAsync();

        Assert.Equal(Sql.Rows(_world.Edge(Malu).Store, ChainSql, ("@n", Malu)), Sql.Rows(_world.Hub, ChainSql, ("@n", Malu)));
        var report = AuditVerifier.Verify(_world.Hub);
        Assert.True(report.Ok, Describe(report));
        Assert.Equal([("hub", 1L), (Malu, 3L)], report.Chains.Select(c => (c.Node, c.Entries)));
        Assert.Equal(3, report.RowsChecked); // malu's two documents and the county's
        Assert.Equal("zhang", Sql.Text(_world.Hub, "SELECT actor FROM audit WHERE node = 'malu' AND seq = 3"));
        // An entry is seen by its own node and the hub only: guangshun gets the documents, not malu's trail.
        Assert.NotNull(guangshun.Store.Get(Documents, first.Id));
        Assert.NotNull(guangshun.Store.Get(Documents, second.Id));
        Assert.Equal(0, Sql.Long(guangshun.Store, "SELECT COUNT(*) FROM audit"));
        Assert.True(AuditVerifier.Verify(guangshun.Store).Ok);
    }

    [Fact]
    public async Task Hub_DataRowAlteredDirectly_ReportsTheRow()
    {
        var (first, _) = await MaluWorksAndSyncsAsync();

        Assert.Equal(1, Sql.Exec(_world.Hub, "UPDATE documents SET body = 'reopened' WHERE id = @id", ("@id", first.Id)));

        var report = AuditVerifier.Verify(_world.Hub);
        Assert.False(report.Ok);
        Assert.All(report.Chains, c => Assert.Null(c.FirstBreak));
        Assert.Equal(
            new RowMismatch(Documents, first.Id, "stored row differs from the version the audit trail recorded (altered outside the application)"),
            Assert.Single(report.Rows));
    }

    [Fact]
    public async Task Hub_EdgesEntryAlteredDirectly_NamesTheFirstBrokenLink()
    {
        await MaluWorksAndSyncsAsync();

        Assert.Equal(1, Sql.Exec(_world.Hub, "UPDATE audit SET actor = 'li' WHERE node = 'malu' AND seq = 2"));

        var report = AuditVerifier.Verify(_world.Hub);
        Assert.False(report.Ok);
        var chain = Assert.Single(report.Chains, c => c.Node == Malu);
        Assert.Equal(new AuditBreak(Malu, 2, "entry content does not match its hash (altered)"), chain.FirstBreak);
        Assert.True(AuditVerifier.Verify(_world.Edge(Malu).Store).Ok); // the township's own copy is intact
    }

    [Fact]
    public async Task Hub_EdgesEntryDeleted_ReportsTheGap()
    {
        await MaluWorksAndSyncsAsync();

        Assert.Equal(1, Sql.Exec(_world.Hub, "DELETE FROM audit WHERE node = 'malu' AND seq = 2"));

        var chain = Assert.Single(AuditVerifier.Verify(_world.Hub).Chains, c => c.Node == Malu);
        Assert.Equal(new AuditBreak(Malu, 2, "entry 2 is missing (next is 3)"), chain.FirstBreak);
    }

    [Fact]
    public async Task RebuiltEdge_GetsItsOwnChainBackAndContinuesIt()
    {
        await MaluWorksAndSyncsAsync();
        var before = Sql.Rows(_world.Hub, ChainSql, ("@n", Malu));

        var rebuilt = _world.RebuildEdge(Malu);
        await rebuilt.SyncOkAsync();

        Assert.Equal(before, Sql.Rows(rebuilt.Store, ChainSql, ("@n", Malu)));
        Assert.Empty(Sql.SyncLog(rebuilt.Store)); // restored, not captured as new local changes
        Assert.True(AuditVerifier.Verify(rebuilt.Store).Ok);

        rebuilt.Time.Advance(TimeSpan.FromMinutes(5));
        SyncRow doc;
        using (AuditActor.Use("wang"))
        {
            doc = rebuilt.Store.Insert(Documents, Doc("first document on the new machine"));
        }
        var next = AuditTrailTests.Entries(rebuilt.Store)[^1];
        Assert.Equal((4L, before[^1][11], "wang", doc.Hlc), (next.Integer("seq"), next.Text("prev_hash"), next.Text("actor"), next.Text("version")));
        var local = AuditVerifier.Verify(rebuilt.Store);
        Assert.True(local.Ok, Describe(local));

        await rebuilt.SyncOkAsync();

        Assert.NotNull(_world.Hub.Get(Documents, doc.Id));
        var report = AuditVerifier.Verify(_world.Hub);
        Assert.True(report.Ok, Describe(report));
        Assert.Equal(4, Assert.Single(report.Chains, c => c.Node == Malu).Entries);
    }
}
