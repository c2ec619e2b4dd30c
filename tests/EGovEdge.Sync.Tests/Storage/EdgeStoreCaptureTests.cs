using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Storage;

/// <summary>Local writes through <see cref="ILocalStore"/> are stamped and captured in the same transaction.</summary>
public sealed class EdgeStoreCaptureTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);
    private readonly EdgeStore _edge;

    public EdgeStoreCaptureTests() => _edge = new EdgeStore(_dir.File("malu.db"), Malu, Create(), _time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Insert_NewRow_StoredAndLoggedWithNullPrev()
    {
        var row = _edge.Insert(Documents, Doc("Flood warning", To(Guangshun), body: "Move livestock uphill"));

        var stored = _edge.Get(Documents, row.Id)!;
        Assert.Equal(Malu, stored.Origin);
        Assert.False(stored.Deleted);
        Assert.Null(stored.PrevHlc);
        Assert.Equal("Flood warning", stored.Text("title"));
        Assert.Equal("Move livestock uphill", stored.Text("body"));
        Assert.Equal("|guangshun|", stored.Text("recipients"));
        Assert.Equal(Malu, Hlc.Parse(stored.Hlc).Node);
        Assert.True(Guid.TryParse(stored.Id, out var id) && id.Version == 7);

        var log = Assert.Single(Sql.SyncLog(_edge));
        Assert.Equal((row.Id, row.Hlc, (string?)null), (log.RowId, log.Hlc, log.Prev));
        Assert.Equal(1, _edge.PendingRowCount());
    }

    [Fact]
    public void Update_LiveRow_ChangesOnlyGivenColumnsAndLogsPreviousStamp()
    {
        var row = _edge.Insert(Documents, Doc("Draft", body: "unchanged body"));
        _time.Advance(TimeSpan.FromSeconds(1));

        var updated = _edge.Update(Documents, row.Id, Set("title", "Final"))!;

        Assert.Equal(row.Hlc, updated.PrevHlc);
        Assert.True(Hlc.Parse(updated.Hlc) > Hlc.Parse(row.Hlc));
        var stored = _edge.Get(Documents, row.Id)!;
        Assert.Equal("Final", stored.Text("title"));
        Assert.Equal("unchanged body", stored.Text("body"));
        Assert.Equal(updated.Hlc, stored.Hlc);
        Assert.Equal(row.Hlc, stored.PrevHlc);

        var log = Sql.SyncLog(_edge);
        Assert.Equal(2, log.Count);
        Assert.Equal((row.Id, updated.Hlc, row.Hlc), (log[1].RowId, log[1].Hlc, log[1].Prev));
        Assert.Equal(1, _edge.PendingRowCount());
    }

    [Fact]
    public void Update_ClockStandingStill_StillIssuesNewerStamp()
    {
        var row = _edge.Insert(Documents, Doc("v1"));

        var v2 = _edge.Update(Documents, row.Id, Set("title", "v2"))!;
        var v3 = _edge.Update(Documents, row.Id, Set("title", "v3"))!;

        Assert.True(Hlc.CompareText(v2.Hlc, row.Hlc) > 0);
        Assert.True(Hlc.CompareText(v3.Hlc, v2.Hlc) > 0);
        Assert.Equal(3, Sql.SyncLog(_edge).Count);
    }

    [Fact]
    public void Delete_LiveRow_LeavesLoggedTombstoneWithData()
    {
        var row = _edge.Insert(Documents, Doc("Obsolete circular"));

        Assert.True(_edge.Delete(Documents, row.Id));

        var stored = _edge.Get(Documents, row.Id)!;
        Assert.True(stored.Deleted);
        Assert.Equal("Obsolete circular", stored.Text("title"));
        Assert.Equal(row.Hlc, stored.PrevHlc);
        Assert.Equal(1, Sql.CountRows(_edge));
        Assert.Equal(1, Sql.Long(_edge, "SELECT deleted FROM documents WHERE id = @id", ("@id", row.Id)));
        var log = Sql.SyncLog(_edge);
        Assert.Equal(2, log.Count);
        Assert.Equal((stored.Hlc, row.Hlc), (log[1].Hlc, log[1].Prev));
    }

    [Fact]
    public void Delete_AlreadyDeletedOrMissing_ReturnsFalseAndLogsNothing()
    {
        var row = _edge.Insert(Documents, Doc("x"));
        _edge.Delete(Documents, row.Id);

        Assert.False(_edge.Delete(Documents, row.Id));
        Assert.False(_edge.Delete(Documents, Guid.CreateVersion7().ToString()));
        Assert.Null(_edge.Update(Documents, row.Id, Set("title", "resurrected?")));
        Assert.Equal(2, Sql.SyncLog(_edge).Count);
        Assert.Equal("x", _edge.Get(Documents, row.Id)!.Text("title"));
    }

    [Fact]
    public void Update_UnknownColumn_ThrowsAndWritesNothing()
    {
        var row = _edge.Insert(Documents, Doc("keep"));

        Assert.Throws<ArgumentException>(() => _edge.Update(Documents, row.Id, Set("hlc", "9999999999999999.00000@malu")));

        Assert.Equal(row.Hlc, _edge.Get(Documents, row.Id)!.Hlc);
        Assert.Single(Sql.SyncLog(_edge));
    }

    [Fact]
    public void Insert_MissingRequiredColumn_ThrowsAndWritesNothing()
    {
        Assert.Throws<ArgumentException>(() => _edge.Insert(Documents, new() { ["body"] = "no title" }));

        Assert.Equal(0, Sql.CountRows(_edge));
        Assert.Empty(Sql.SyncLog(_edge));
    }

    [Fact]
    public void Insert_LogWriteFails_RowIsNotWrittenEither()
    {
        Sql.Exec(_edge, "CREATE TRIGGER test_log_broken BEFORE INSERT ON _sync_log BEGIN SELECT RAISE(ABORT, 'log unavailable'); END;");

        var ex = Assert.Throws<SqliteException>(() => _edge.Insert(Documents, Doc("lost?")));

        Assert.Contains("log unavailable", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, Sql.CountRows(_edge));
        Sql.Exec(_edge, "DROP TRIGGER test_log_broken");
        _edge.Insert(Documents, Doc("works again"));
        Assert.Equal(1, Sql.CountRows(_edge));
        Assert.Single(Sql.SyncLog(_edge));
    }

    [Fact]
    public void RawUpdate_WithoutNewerHlc_IsRefusedByTrigger()
    {
        var row = _edge.Insert(Documents, Doc("Original"));

        var ex = Assert.Throws<SqliteException>(() =>
            Sql.Exec(_edge, "UPDATE documents SET title = 'Sneaky' WHERE id = @id", ("@id", row.Id)));

        Assert.Contains("newer hlc", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Original", _edge.Get(Documents, row.Id)!.Text("title"));
        Assert.Single(Sql.SyncLog(_edge));
    }

    [Fact]
    public void RawUpdate_WithOlderHlc_IsRefusedByTrigger()
    {
        var row = _edge.Insert(Documents, Doc("Original"));
        var older = new Hlc(Hlc.Parse(row.Hlc).WallMs - 1, 0, Malu).ToString();

        Assert.Throws<SqliteException>(() =>
            Sql.Exec(_edge, "UPDATE documents SET title = 'Sneaky', hlc = @h WHERE id = @id", ("@h", older), ("@id", row.Id)));

        Assert.Equal("Original", _edge.Get(Documents, row.Id)!.Text("title"));
    }

    [Fact]
    public void RawUpdate_WithNewerHlc_IsCapturedWithOldStampAsPrev()
    {
        var row = _edge.Insert(Documents, Doc("Original"));
        var newer = new Hlc(Hlc.Parse(row.Hlc).WallMs + 1, 0, Malu).ToString();

        Sql.Exec(_edge, "UPDATE documents SET title = 'Edited', hlc = @h WHERE id = @id", ("@h", newer), ("@id", row.Id));

        var log = Sql.SyncLog(_edge);
        Assert.Equal(2, log.Count);
        Assert.Equal((newer, row.Hlc), (log[1].Hlc, log[1].Prev));
    }

    [Fact]
    public void RawDelete_IsRefusedByTrigger()
    {
        var row = _edge.Insert(Documents, Doc("Permanent"));

        var ex = Assert.Throws<SqliteException>(() => Sql.Exec(_edge, "DELETE FROM documents WHERE id = @id", ("@id", row.Id)));

        Assert.Contains("tombstone", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, Sql.CountRows(_edge));
        Assert.False(_edge.Get(Documents, row.Id)!.Deleted);
    }

    [Fact]
    public void Changed_LocalWrites_RaisedAfterCommitOncePerWrite()
    {
        var seen = new List<long>();
        _edge.Changed += (_, _) => seen.Add(Sql.Long(_edge, "SELECT COUNT(*) FROM _sync_log"));

        var row = _edge.Insert(Documents, Doc("a"));
        _edge.Update(Documents, row.Id, Set("title", "b"));
        _edge.Delete(Documents, row.Id);
        _edge.Delete(Documents, row.Id); // no-op: no event

        Assert.Equal([1L, 2L, 3L], seen);
    }

    [Fact]
    public void Constructor_DatabaseOfAnotherNode_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new EdgeStore(_edge.DatabasePath, Guangshun, Create(), _time));

        Assert.Contains("'malu'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ReopenedWithClockBehind_NewStampsStillSortAfterStoredOnes()
    {
        var ahead = new FakeTimeProvider(SyncWorld.Start.AddHours(2));
        var before = new EdgeStore(_dir.File("restart.db"), Guangshun, Create(), ahead);
        var old = before.Insert(Documents, Doc("written before the clock was reset"));

        var reopened = new EdgeStore(_dir.File("restart.db"), Guangshun, Create(), new FakeTimeProvider(SyncWorld.Start));
        var fresh = reopened.Insert(Documents, Doc("written after"));
        var edited = reopened.Update(Documents, old.Id, Set("body", "edited after"))!;

        Assert.True(Hlc.CompareText(fresh.Hlc, old.Hlc) > 0);
        Assert.True(Hlc.CompareText(edited.Hlc, fresh.Hlc) > 0);
    }

    [Fact]
    public void Insert_IntegerColumnGivenAsClrInt_StoredAndReadBackAsInteger()
    {
        var store = new EdgeStore(_dir.File("tallies.db"), Malu, CreateWithTallies(), _time);

        var row = store.Insert(Tallies, new() { ["label"] = "monthly report", ["pages"] = 12 });
        var updated = store.Update(Tallies, row.Id, new() { ["pages"] = 13 })!;

        Assert.Equal(13, updated.Integer("pages"));
        Assert.Equal(13, store.Get(Tallies, row.Id)!.Integer("pages"));
        Assert.Equal(13, Sql.Long(store, "SELECT pages FROM tallies WHERE id = @id", ("@id", row.Id)));
        Assert.Equal("integer", Sql.Text(store, "SELECT typeof(pages) FROM tallies WHERE id = @id", ("@id", row.Id)));
        Assert.Equal(2, Sql.SyncLog(store).Count);
    }

    [Fact]
    public void Insert_IntegerColumnWithFraction_ThrowsArgumentExceptionAndWritesNothing()
    {
        var store = new EdgeStore(_dir.File("tallies.db"), Malu, CreateWithTallies(), _time);

        Assert.Throws<ArgumentException>(() => store.Insert(Tallies, new() { ["label"] = "x", ["pages"] = 2.5 }));

        Assert.Equal(0, Sql.CountRows(store, Tallies));
        Assert.Empty(Sql.SyncLog(store));
    }

    [Fact]
    public void Put_NewId_CreatesRowWithThatIdAndLogsIt()
    {
        var id = Guid.CreateVersion7().ToString();

        var row = _edge.Put(Documents, id, Doc("Directory entry"));

        Assert.Equal((id, Malu, (string?)null), (row.Id, row.Origin, row.PrevHlc));
        Assert.Equal("Directory entry", _edge.Get(Documents, id)!.Text("title"));
        var log = Assert.Single(Sql.SyncLog(_edge));
        Assert.Equal((id, row.Hlc, (string?)null), (log.RowId, log.Hlc, log.Prev));
    }

    [Fact]
    public void Put_SameData_IsANoOp()
    {
        var id = Guid.CreateVersion7().ToString();
        var first = _edge.Put(Documents, id, Doc("Same"));
        var events = 0;
        _edge.Changed += (_, _) => events++;

        var again = _edge.Put(Documents, id, Doc("Same"));

        Assert.Equal(first.Hlc, again.Hlc);
        Assert.Single(Sql.SyncLog(_edge));
        Assert.Equal(0, events);
    }

    [Fact]
    public void Put_ChangedData_ReplacesRowWithNewerStamp()
    {
        var id = Guid.CreateVersion7().ToString();
        var first = _edge.Put(Documents, id, Doc("Old name", body: "old body"));

        var second = _edge.Put(Documents, id, Doc("New name"));

        Assert.Equal(first.Hlc, second.PrevHlc);
        Assert.True(Hlc.CompareText(second.Hlc, first.Hlc) > 0);
        var stored = _edge.Get(Documents, id)!;
        Assert.Equal(("New name", ""), (stored.Text("title"), stored.Text("body")));
        Assert.Equal(2, Sql.SyncLog(_edge).Count);
    }

    [Fact]
    public void Put_OnTombstone_RecreatesTheRowAsALoggedDescendant()
    {
        var id = Guid.CreateVersion7().ToString();
        _edge.Put(Documents, id, Doc("Retired office"));
        _edge.Delete(Documents, id);
        var tombstone = _edge.Get(Documents, id)!;

        var back = _edge.Put(Documents, id, Doc("Retired office"));

        Assert.False(back.Deleted);
        Assert.Equal(tombstone.Hlc, back.PrevHlc);
        Assert.False(_edge.Get(Documents, id)!.Deleted);
        Assert.Equal(3, Sql.SyncLog(_edge).Count);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("not-a-uuid")]
    public void Put_IdNotAUuid_ThrowsAndWritesNothing(string id)
    {
        Assert.Throws<ArgumentException>(() => _edge.Put(Documents, id, Doc("x")));

        Assert.Equal(0, Sql.CountRows(_edge));
    }
}
