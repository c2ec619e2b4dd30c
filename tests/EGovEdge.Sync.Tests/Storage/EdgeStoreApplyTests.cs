using System.Text.Json.Nodes;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Storage;

/// <summary>Applying pulled pages on an edge: idempotent, cursor in the same transaction, no echo, conflicts kept.</summary>
public sealed class EdgeStoreApplyTests : IDisposable
{
    private static readonly long T = SyncWorld.Start.ToUnixTimeMilliseconds();

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);
    private readonly EdgeStore _edge;

    public EdgeStoreApplyTests() => _edge = new EdgeStore(_dir.File("guangshun.db"), Guangshun, Create(), _time);

    public void Dispose() => _dir.Dispose();

    private static string H(long offsetMs, string node = Malu, int counter = 0) => new Hlc(T + offsetMs, counter, node).ToString();

    private static SyncChange Change(string id, string hlc, string? prev, string title, bool deleted = false, long seq = 1, string origin = Malu) => new()
    {
        Table = Documents,
        Id = id,
        Hlc = hlc,
        Prev = prev,
        Origin = origin,
        Deleted = deleted,
        Data = Doc(title, To(Guangshun)),
        Seq = seq,
    };

    private static PullResponse Page(long next, params SyncChange[] changes) => new() { Changes = [.. changes], NextCursor = next };

    private static string NewId() => Guid.CreateVersion7().ToString();

    /// <summary>A row that arrived from the hub earlier (shared) and was then edited here, not yet pushed.</summary>
    private (string Id, string SharedHlc, SyncRow LocalEdit) SharedRowWithUnpushedEdit(long editAtMs)
    {
        var id = NewId();
        var shared = H(0);
        _edge.ApplyPulled(Page(1, Change(id, shared, null, "original")));
        _time.AdjustTime(SyncWorld.Start.AddMilliseconds(editAtMs));
        var edit = _edge.Update(Documents, id, Set("title", "edited in guangshun"))!;
        return (id, shared, edit);
    }

    [Fact]
    public void ApplyPulled_NewRow_InsertedWithoutCapture()
    {
        var id = NewId();

        var result = _edge.ApplyPulled(Page(5, Change(id, H(0), null, "From malu")));

        Assert.Equal((1, 0, 0), (result.Applied, result.Skipped, result.Conflicts));
        var row = _edge.Get(Documents, id)!;
        Assert.Equal(("From malu", Malu, H(0)), (row.Text("title"), row.Origin, row.Hlc));
        Assert.Empty(Sql.SyncLog(_edge));
        Assert.Equal(0, _edge.PendingRowCount());
        Assert.Null(_edge.ReadPending(100, SchemaVersion));
        Assert.Equal(5, _edge.PullCursor);
    }

    [Fact]
    public void ApplyPulled_SamePageTwice_SecondChangesNothing()
    {
        var id = NewId();
        var page = Page(3, Change(id, H(0), null, "v1", seq: 2), Change(NewId(), H(1), null, "other", seq: 3));
        _edge.ApplyPulled(page);
        var before = Sql.Rows(_edge, "SELECT * FROM documents ORDER BY id");

        var again = _edge.ApplyPulled(page);

        Assert.Equal((0, 2, 0), (again.Applied, again.Skipped, again.Conflicts));
        Assert.Equal(before, Sql.Rows(_edge, "SELECT * FROM documents ORDER BY id"));
        Assert.Empty(Sql.SyncLog(_edge));
        Assert.Equal(0, _edge.OpenConflictCount());
        Assert.Equal(3, _edge.PullCursor);
    }

    [Fact]
    public void ApplyPulled_OlderPageReplayed_NeitherRowNorCursorGoBack()
    {
        var id = NewId();
        var old = Page(1, Change(id, H(0), null, "v1", seq: 1));
        _edge.ApplyPulled(old);
        _edge.ApplyPulled(Page(2, Change(id, H(10), H(0), "v2", seq: 2)));

        var result = _edge.ApplyPulled(old);

        Assert.Equal(0, result.Applied);
        Assert.Equal("v2", _edge.Get(Documents, id)!.Text("title"));
        Assert.Equal(2, _edge.PullCursor);
    }

    [Fact]
    public void ApplyPulled_PageFailsHalfway_NothingFromThePageNorTheCursorIsKept()
    {
        var good = NewId();
        var page = new PullResponse
        {
            NextCursor = 9,
            Changes =
            [
                Change(good, H(0), null, "would be applied"),
                // A version without a stamp cannot be stored (NOT NULL): the page fails on its second change.
                new SyncChange { Table = Documents, Id = NewId(), Hlc = null!, Origin = Malu, Seq = 2, Data = Doc("no stamp") },
            ],
        };

        Assert.ThrowsAny<Exception>(() => _edge.ApplyPulled(page));

        Assert.Null(_edge.Get(Documents, good));
        Assert.Equal(0, _edge.PullCursor);
        Assert.Equal(0, Sql.Long(_edge, "SELECT applying FROM _sync_ctx"));
        _edge.Insert(Documents, Doc("local write after the failed page"));
        Assert.Single(Sql.SyncLog(_edge)); // capture still works: the applying flag was rolled back too
    }

    [Fact]
    public void ApplyPulled_DescendantVersion_FastForwards()
    {
        var id = NewId();
        _edge.ApplyPulled(Page(1, Change(id, H(0), null, "v1")));

        var result = _edge.ApplyPulled(Page(2, Change(id, H(10), H(0), "v2", seq: 2)));

        Assert.Equal(1, result.Applied);
        var row = _edge.Get(Documents, id)!;
        Assert.Equal(("v2", H(10), H(0)), (row.Text("title"), row.Hlc, row.PrevHlc));
        Assert.Empty(Sql.SyncLog(_edge));
    }

    [Fact]
    public void ApplyPulled_Tombstone_MarksRowDeletedWithoutCapture()
    {
        var id = NewId();
        _edge.ApplyPulled(Page(1, Change(id, H(0), null, "v1")));

        _edge.ApplyPulled(Page(2, Change(id, H(10), H(0), "v1", deleted: true, seq: 2)));

        Assert.True(_edge.Get(Documents, id)!.Deleted);
        Assert.Empty(Sql.SyncLog(_edge));
        Assert.False(_edge.Delete(Documents, id));
    }

    [Fact]
    public void ApplyPulled_StampFromTheFuture_LaterLocalEditStillSortsAfterIt()
    {
        var id = NewId();
        var future = H(3_600_000, Malu, counter: 7); // malu's clock is an hour ahead of ours

        _edge.ApplyPulled(Page(1, Change(id, future, null, "v1")));
        var local = _edge.Insert(Documents, Doc("ours"));
        var edit = _edge.Update(Documents, id, Set("body", "our note"))!;

        Assert.True(Hlc.CompareText(local.Hlc, future) > 0);
        Assert.True(Hlc.CompareText(edit.Hlc, future) > 0);
        Assert.Equal(future, edit.PrevHlc);
        var log = Sql.SyncLog(_edge);
        Assert.Equal(2, log.Count);
        Assert.Equal((id, future), (log[1].RowId, log[1].Prev));
    }

    [Fact]
    public void ApplyPulled_UnknownColumns_AreDroppedAndKnownOnesKept()
    {
        var id = NewId();
        var change = Change(id, H(0), null, "v1");
        change.Data["added_in_schema_2"] = "ignored";

        _edge.ApplyPulled(Page(1, change));

        var cols = Sql.Rows(_edge, "SELECT name FROM pragma_table_info('documents')").Select(r => r[0]).ToList();
        Assert.DoesNotContain("added_in_schema_2", cols);
        var row = _edge.Get(Documents, id)!;
        Assert.False(row.Data.ContainsKey("added_in_schema_2"));
        Assert.Equal("v1", row.Text("title"));
    }

    [Fact]
    public void ApplyPulled_ConcurrentNewerVersionOverUnpushedEdit_IncomingWinsAndLocalLoserKept()
    {
        var (id, shared, localEdit) = SharedRowWithUnpushedEdit(editAtMs: 1_000);
        var remote = Change(id, H(2_000), shared, "edited in malu, later", seq: 2);

        var result = _edge.ApplyPulled(Page(2, remote));

        Assert.Equal((1, 1), (result.Applied, result.Conflicts));
        var row = _edge.Get(Documents, id)!;
        Assert.Equal(("edited in malu, later", remote.Hlc), (row.Text("title"), row.Hlc));
        var conflict = Assert.Single(_edge.Conflicts());
        Assert.Equal((id, remote.Hlc, localEdit.Hlc, Guangshun, "open"),
            (conflict.RowId, conflict.WinnerHlc, conflict.LoserHlc, conflict.DetectedNode, conflict.Status));
        var loser = RowIo.FromJson(conflict.LoserJson);
        Assert.Equal(("edited in guangshun", localEdit.Hlc, shared), (loser.Text("title"), loser.Hlc, loser.PrevHlc));
        Assert.Equal("edited in malu, later", RowIo.FromJson(conflict.WinnerJson).Text("title"));
        // The loser no longer waits to be pushed.
        Assert.Equal(0, _edge.PendingRowCount());
        Assert.Null(_edge.ReadPending(100, SchemaVersion));
    }

    [Fact]
    public void ApplyPulled_ConcurrentOlderVersionOverUnpushedEdit_LocalWinsAndIncomingKept()
    {
        var (id, shared, localEdit) = SharedRowWithUnpushedEdit(editAtMs: 5_000);
        var remote = Change(id, H(2_000), shared, "edited in malu, earlier", seq: 2);

        var result = _edge.ApplyPulled(Page(2, remote));

        Assert.Equal((0, 1), (result.Applied, result.Conflicts));
        Assert.Equal(("edited in guangshun", localEdit.Hlc), (_edge.Get(Documents, id)!.Text("title"), _edge.Get(Documents, id)!.Hlc));
        var conflict = Assert.Single(_edge.Conflicts());
        Assert.Equal((localEdit.Hlc, remote.Hlc), (conflict.WinnerHlc, conflict.LoserHlc));
        Assert.Equal("edited in malu, earlier", RowIo.FromJson(conflict.LoserJson).Text("title"));
        // Our winning edit still goes to the hub.
        var pending = Assert.Single(_edge.ReadPending(100, SchemaVersion)!.Changes);
        Assert.Equal((localEdit.Hlc, shared), (pending.Hlc, pending.Prev));
        Assert.Equal(2, _edge.PullCursor);
    }

    [Fact]
    public void ApplyPulled_SameConflictingPageTwice_OneConflictRecord()
    {
        var (id, shared, _) = SharedRowWithUnpushedEdit(editAtMs: 5_000);
        var page = Page(2, Change(id, H(2_000), shared, "edited in malu, earlier", seq: 2));

        _edge.ApplyPulled(page);
        _edge.ApplyPulled(page);

        Assert.Single(_edge.Conflicts());
        Assert.Equal(1, _edge.OpenConflictCount());
    }

    [Fact]
    public void ApplyPulled_OlderTombstoneVsUnpushedEdit_DeleteWins()
    {
        var (id, shared, localEdit) = SharedRowWithUnpushedEdit(editAtMs: 5_000);
        var delete = Change(id, H(1_000), shared, "original", deleted: true, seq: 2);

        var result = _edge.ApplyPulled(Page(2, delete));

        Assert.Equal((1, 1), (result.Applied, result.Conflicts));
        var row = _edge.Get(Documents, id)!;
        Assert.True(row.Deleted);
        Assert.Equal(delete.Hlc, row.Hlc);
        var conflict = Assert.Single(_edge.Conflicts());
        Assert.Equal((delete.Hlc, localEdit.Hlc), (conflict.WinnerHlc, conflict.LoserHlc));
        Assert.Equal("edited in guangshun", RowIo.FromJson(conflict.LoserJson).Text("title"));
        Assert.Equal(0, _edge.PendingRowCount());
    }

    [Fact]
    public void ApplyPulled_VersionBuiltOnOurUnackedEdit_FastForwardsWithoutConflict()
    {
        // Our edit reached the hub but its acknowledgement was lost; someone then built on it.
        var (id, _, localEdit) = SharedRowWithUnpushedEdit(editAtMs: 1_000);
        var onTop = Change(id, H(2_000), localEdit.Hlc, "built on guangshun's edit", seq: 2);

        var result = _edge.ApplyPulled(Page(2, onTop));

        Assert.Equal((1, 0), (result.Applied, result.Conflicts));
        Assert.Equal("built on guangshun's edit", _edge.Get(Documents, id)!.Text("title"));
        Assert.Empty(_edge.Conflicts());
        Assert.Equal(0, _edge.PendingRowCount());
    }

    [Fact]
    public void ApplyPulled_OurOwnOlderVersionEchoed_SkippedAndLatestEditKept()
    {
        var own = _edge.Insert(Documents, Doc("v1"));
        var v2 = _edge.Update(Documents, own.Id, Set("title", "v2"))!;
        var echo = new SyncChange
        {
            Table = Documents, Id = own.Id, Hlc = own.Hlc, Origin = Guangshun, Data = Doc("v1"), Seq = 4,
        };

        var result = _edge.ApplyPulled(Page(4, echo));

        Assert.Equal((0, 1, 0), (result.Applied, result.Skipped, result.Conflicts));
        Assert.Equal(("v2", v2.Hlc), (_edge.Get(Documents, own.Id)!.Text("title"), _edge.Get(Documents, own.Id)!.Hlc));
        Assert.Equal(2, Sql.SyncLog(_edge).Count);
        Assert.Empty(_edge.Conflicts());
    }

    [Fact]
    public void ApplyPulled_WithoutUnsharedChanges_NewerSupersedesAndOlderIsIgnored()
    {
        var id = NewId();
        _edge.ApplyPulled(Page(1, Change(id, H(10), H(0), "held")));

        var older = _edge.ApplyPulled(Page(2, Change(id, H(5), H(0), "older sibling", seq: 2)));
        var newer = _edge.ApplyPulled(Page(3, Change(id, H(20), H(0), "newer sibling", seq: 3)));

        Assert.Equal((0, 1), (older.Applied, older.Skipped));
        Assert.Equal(1, newer.Applied);
        Assert.Equal("newer sibling", _edge.Get(Documents, id)!.Text("title"));
        Assert.Empty(_edge.Conflicts());
    }

    [Fact]
    public void ApplyPulled_EmptyPage_OnlyMovesCursor()
    {
        var result = _edge.ApplyPulled(new PullResponse { NextCursor = 42 });

        Assert.Equal((0, 0), (result.Applied, result.Skipped));
        Assert.Equal(42, _edge.PullCursor);
        Assert.Equal(0, Sql.CountRows(_edge));
    }

    [Fact]
    public void ApplyPulled_PageWithJsonNullData_StoresNulls()
    {
        var id = NewId();
        var change = Change(id, H(0), null, "t");
        change.Data["body"] = (JsonNode?)null;

        _edge.ApplyPulled(Page(1, change));

        Assert.Null(Sql.Text(_edge, "SELECT body FROM documents WHERE id = @id", ("@id", id)));
        Assert.Equal(1, Sql.Long(_edge, "SELECT COUNT(*) FROM documents WHERE id = @id AND body IS NULL", ("@id", id)));
    }
}
