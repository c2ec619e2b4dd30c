using System.Text.Json.Nodes;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Audit;

/// <summary>
/// The hash-chained audit trail on one node: every local write appends an entry in its own transaction, and
/// <see cref="AuditVerifier"/> names the first broken link and rows altered outside the application.
/// </summary>
public sealed class AuditTrailTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);
    private readonly EdgeStore _edge;

    public AuditTrailTests() => _edge = new EdgeStore(_dir.File("malu.db"), Malu, CreateWithAudit(), _time);

    public void Dispose() => _dir.Dispose();

    private List<SyncRow> Entries() => Entries(_edge);

    internal static List<SyncRow> Entries(ILocalStore store)
    {
        using var conn = store.OpenConnection();
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(AuditTable.Definition)} FROM audit ORDER BY node, seq");
        using var r = cmd.ExecuteReader();
        var list = new List<SyncRow>();
        while (r.Read()) list.Add(RowIo.ReadRow(AuditTable.Definition, r));
        return list;
    }

    /// <summary>Raw SQL on an edge, past the capture triggers (which refuse in-place updates and deletes).</summary>
    internal static void Tamper(EdgeStore edge, string sql, params (string, object?)[] args)
    {
        Sql.Exec(edge, "UPDATE _sync_ctx SET applying = 1 WHERE id = 1");
        try
        {
            Assert.Equal(1, Sql.Exec(edge, sql, args));
        }
        finally
        {
            Sql.Exec(edge, "UPDATE _sync_ctx SET applying = 0 WHERE id = 1");
        }
    }

    /// <summary>Three audited writes by clerk zhang: create, update, delete of one document (entries 1-3).</summary>
    private (SyncRow Created, SyncRow Updated, SyncRow Deleted) ThreeWrites()
    {
        using (AuditActor.Use("zhang"))
        {
            var created = _edge.Insert(Documents, Doc("Road closure", body: "S211"));
            _time.Advance(TimeSpan.FromSeconds(1));
            var updated = _edge.Update(Documents, created.Id, Set("urgency", "high"))!;
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(_edge.Delete(Documents, created.Id));
            return (created, updated, _edge.Get(Documents, created.Id)!);
        }
    }

    [Fact]
    public void LocalWrites_InsertUpdateDelete_EachAppendsAChainedEntryWithTheActor()
    {
        var (created, updated, deleted) = ThreeWrites();
        var other = _edge.Insert(Documents, Doc("written outside any request"));

        var e = Entries();
        Assert.Equal([1L, 2L, 3L, 4L], e.Select(x => x.Integer("seq")));
        Assert.All(e, x => Assert.Equal((Malu, Malu), (x.Text("node"), x.Origin)));
        Assert.Equal(["zhang", "zhang", "zhang", "system"], e.Select(x => x.Text("actor")));
        Assert.Equal(["documents.create", "documents.update", "documents.delete", "documents.create"], e.Select(x => x.Text("action")));
        Assert.Equal(["documents:" + created.Id, "documents:" + created.Id, "documents:" + created.Id, "documents:" + other.Id], e.Select(x => x.Text("entity")));
        Assert.Equal([created.Hlc, updated.Hlc, deleted.Hlc, other.Hlc], e.Select(x => x.Text("version")));
        // before/after digests describe the row versions, and each entry links to the one before.
        Assert.Null(e[0].Text("before_digest"));
        Assert.Equal(AuditTable.RowDigest(created), e[0].Text("after_digest"));
        Assert.Equal(e[0].Text("after_digest"), e[1].Text("before_digest"));
        Assert.Equal(AuditTable.RowDigest(updated), e[1].Text("after_digest"));
        Assert.Equal(e[1].Text("after_digest"), e[2].Text("before_digest"));
        Assert.Equal(AuditTable.RowDigest(_edge.Get(Documents, created.Id)!), e[2].Text("after_digest"));
        Assert.Equal(AuditTable.Genesis, e[0].Text("prev_hash"));
        for (var i = 1; i < e.Count; i++) Assert.Equal(e[i - 1].Text("hash"), e[i].Text("prev_hash"));
        Assert.All(e, x => Assert.Equal(AuditTable.EntryHash(x.Data), x.Text("hash")));
        Assert.Equal(_time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), e[3].Text("at_utc"));
        Assert.Equal("system", AuditActor.Current); // the scope ended

        var report = AuditVerifier.Verify(_edge);
        Assert.True(report.Ok);
        var chain = Assert.Single(report.Chains);
        Assert.Equal((Malu, 4L, (AuditBreak?)null), (chain.Node, chain.Entries, chain.FirstBreak));
        Assert.Equal(2, report.RowsChecked);
        // Audit entries are captured like any replicated row, in the writer's transaction.
        Assert.Equal(8, Sql.SyncLog(_edge).Count);
        Assert.Equal(4, Sql.SyncLog(_edge).Count(l => e.Any(x => x.Id == l.RowId)));
    }

    [Fact]
    public void Put_UnchangedData_WritesNoEntry()
    {
        var id = Guid.CreateVersion7().ToString();
        _edge.Put(Documents, id, Doc("directory entry"));
        _edge.Put(Documents, id, Doc("directory entry"));
        _edge.Put(Documents, id, Doc("directory entry, renamed"));

        Assert.Equal(["documents.create", "documents.update"], Entries().Select(x => x.Text("action")));
    }

    [Fact]
    public void FailedWrite_LeavesNoEntry()
    {
        _edge.Insert(Documents, Doc("ok"));

        Assert.Throws<ArgumentException>(() => _edge.Insert(Documents, new JsonObject { ["body"] = "no title" }));
        Assert.Null(_edge.Update(Documents, Guid.CreateVersion7().ToString(), Set("title", "absent")));

        Assert.Single(Entries());
        Assert.True(AuditVerifier.Verify(_edge).Ok);
    }

    [Fact]
    public void Verify_EntryAlteredInPlace_NamesThatEntry()
    {
        ThreeWrites();
        // Without the sync context flag the capture trigger refuses raw updates.
        Assert.Throws<SqliteException>(() => Sql.Exec(_edge, "UPDATE audit SET actor = 'li' WHERE seq = 2"));

        Tamper(_edge, "UPDATE audit SET actor = 'li' WHERE seq = 2");

        var report = AuditVerifier.Verify(_edge);
        Assert.False(report.Ok);
        var chain = Assert.Single(report.Chains);
        Assert.Equal(new AuditBreak(Malu, 2, "entry content does not match its hash (altered)"), chain.FirstBreak);
        Assert.Equal(3, chain.Entries);
        Assert.Empty(report.Rows);
    }

    [Fact]
    public void Verify_EntryRewrittenWithARecomputedHash_NextLinkBreaks()
    {
        ThreeWrites();
        var second = Entries()[1];
        second.Data["actor"] = "li";
        var forgedHash = AuditTable.EntryHash(second.Data);

        Tamper(_edge, "UPDATE audit SET actor = 'li', hash = @h WHERE seq = 2", ("@h", forgedHash));

        var chain = Assert.Single(AuditVerifier.Verify(_edge).Chains);
        Assert.Equal(new AuditBreak(Malu, 3, "prev_hash does not match the hash of the entry before"), chain.FirstBreak);
    }

    [Fact]
    public void Verify_EntryDeleted_ReportsTheGap()
    {
        ThreeWrites();

        Tamper(_edge, "DELETE FROM audit WHERE seq = 2");

        var report = AuditVerifier.Verify(_edge);
        Assert.False(report.Ok);
        Assert.Equal(new AuditBreak(Malu, 2, "entry 2 is missing (next is 3)"), Assert.Single(report.Chains).FirstBreak);
    }

    [Fact]
    public void Verify_DataRowAlteredOutsideTheApplication_ReportsTheRow()
    {
        var doc = _edge.Insert(Documents, Doc("Budget 2026", body: "1,000,000"));
        var untouched = _edge.Insert(Documents, Doc("Holiday schedule"));
        Assert.Throws<SqliteException>(() => Sql.Exec(_edge, "UPDATE documents SET body = '9,000,000' WHERE id = @id", ("@id", doc.Id)));

        Tamper(_edge, "UPDATE documents SET body = '9,000,000' WHERE id = @id", ("@id", doc.Id));

        var report = AuditVerifier.Verify(_edge);
        Assert.False(report.Ok);
        Assert.All(report.Chains, c => Assert.Null(c.FirstBreak));
        Assert.Equal(2, report.RowsChecked);
        Assert.Equal(
            new RowMismatch(Documents, doc.Id, "stored row differs from the version the audit trail recorded (altered outside the application)"),
            Assert.Single(report.Rows));
        Assert.NotEqual(untouched.Id, report.Rows[0].Id);
    }

    [Fact]
    public void Verify_RowWithoutAnyAuditEntry_Reported()
    {
        var doc = _edge.Insert(Documents, Doc("audited"));

        // The whole chain (one entry) removed: a new chain starts at genesis and verifies on its own ...
        Tamper(_edge, "DELETE FROM audit WHERE entity = @e", ("@e", "documents:" + doc.Id));
        _edge.Insert(Documents, Doc("written after the removal"));

        // ... but the row whose entry went missing is still caught.
        var report = AuditVerifier.Verify(_edge);
        Assert.Null(Assert.Single(report.Chains).FirstBreak);
        Assert.Equal(new RowMismatch(Documents, doc.Id, "no audit entry for the stored version"), Assert.Single(report.Rows));
    }
}
