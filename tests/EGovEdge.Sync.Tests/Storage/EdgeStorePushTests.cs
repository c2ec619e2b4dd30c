using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Storage;

/// <summary>Reading captured changes in batches and recording the hub's acknowledgement.</summary>
public sealed class EdgeStorePushTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);
    private readonly EdgeStore _edge;

    public EdgeStorePushTests() => _edge = new EdgeStore(_dir.File("malu.db"), Malu, Create(), _time);

    public void Dispose() => _dir.Dispose();

    private List<SyncRow> InsertMany(int n) =>
        Enumerable.Range(1, n).Select(i => _edge.Insert(Documents, Doc($"doc {i}"))).ToList();

    private static PushResponse Ack(PushRequest batch, params RejectedChange[] rejected) =>
        new() { AckedSeq = batch.LastSeq, Applied = batch.Changes.Count - rejected.Length, Rejected = [.. rejected] };

    [Fact]
    public void ReadPending_NothingCaptured_ReturnsNull() => Assert.Null(_edge.ReadPending(100, SchemaVersion));

    [Fact]
    public void ReadPending_MoreEntriesThanBatchSize_ReturnsFirstBatchOnly()
    {
        var rows = InsertMany(5);

        var batch = _edge.ReadPending(2, schemaVersion: 7)!;

        Assert.Equal(Malu, batch.NodeId);
        Assert.Equal(7, batch.SchemaVersion);
        Assert.Equal((1L, 2L), (batch.FirstSeq, batch.LastSeq));
        Assert.Equal("malu:1-2", batch.BatchId);
        Assert.Equal([rows[0].Id, rows[1].Id], batch.Changes.Select(c => c.Id));
        Assert.Equal(["doc 1", "doc 2"], batch.Changes.Select(c => c.ToRow().Text("title")));
        Assert.All(batch.Changes, c => Assert.Null(c.Prev));
    }

    [Fact]
    public void ReadPending_ReadTwiceWithoutAck_ReturnsSameBatch()
    {
        InsertMany(3);

        var a = _edge.ReadPending(2, SchemaVersion)!;
        var b = _edge.ReadPending(2, SchemaVersion)!;

        Assert.Equal(a.BatchId, b.BatchId);
        Assert.Equal(a.Changes.Select(c => c.Hlc), b.Changes.Select(c => c.Hlc));
    }

    [Fact]
    public void ReadPending_RowChangedSeveralTimes_SendsCurrentStateOnceWithLineage()
    {
        var v1 = _edge.Insert(Documents, Doc("v1"));
        var v2 = _edge.Update(Documents, v1.Id, Set("title", "v2"))!;
        var v3 = _edge.Update(Documents, v1.Id, Set("title", "v3"))!;

        var batch = _edge.ReadPending(100, SchemaVersion)!;

        var change = Assert.Single(batch.Changes);
        Assert.Equal((1L, 3L), (batch.FirstSeq, batch.LastSeq));
        Assert.Equal(v3.Hlc, change.Hlc);
        Assert.Equal("v3", change.ToRow().Text("title"));
        Assert.Null(change.Prev);
        Assert.Equal([v1.Hlc, v2.Hlc], change.Chain);
    }

    [Fact]
    public void ReadPending_AfterAck_PrevIsTheAcknowledgedVersion()
    {
        var v1 = _edge.Insert(Documents, Doc("v1"));
        var first = _edge.ReadPending(100, SchemaVersion)!;
        _edge.AckPush(first, Ack(first));

        var v2 = _edge.Update(Documents, v1.Id, Set("title", "v2"))!;
        var second = _edge.ReadPending(100, SchemaVersion)!;

        var change = Assert.Single(second.Changes);
        Assert.Equal((2L, 2L), (second.FirstSeq, second.LastSeq));
        Assert.Equal(v2.Hlc, change.Hlc);
        Assert.Equal(v1.Hlc, change.Prev);
        Assert.Null(change.Chain);
    }

    [Fact]
    public void ReadPending_Tombstone_IsPushedAsDeleted()
    {
        var row = _edge.Insert(Documents, Doc("to be withdrawn"));
        var first = _edge.ReadPending(100, SchemaVersion)!;
        _edge.AckPush(first, Ack(first));
        _edge.Delete(Documents, row.Id);

        var change = Assert.Single(_edge.ReadPending(100, SchemaVersion)!.Changes);

        Assert.True(change.Deleted);
        Assert.Equal(row.Id, change.Id);
        Assert.Equal(row.Hlc, change.Prev);
        Assert.Equal("to be withdrawn", change.ToRow().Text("title"));
    }

    [Fact]
    public void AckPush_BatchByBatch_MovesCursorUntilNothingIsPending()
    {
        InsertMany(5);
        var ranges = new List<(long, long)>();

        while (_edge.ReadPending(2, SchemaVersion) is { } batch)
        {
            Assert.Equal(_edge.PushCursor + 1, batch.FirstSeq);
            _edge.AckPush(batch, Ack(batch));
            Assert.Equal(batch.LastSeq, _edge.PushCursor);
            ranges.Add((batch.FirstSeq, batch.LastSeq));
        }

        Assert.Equal([(1L, 2L), (3L, 4L), (5L, 5L)], ranges);
        Assert.Equal(0, _edge.PendingRowCount());
        Assert.Equal(5, _edge.PushCursor);
    }

    [Fact]
    public void AckPush_PartialBatch_LeavesTheRestPending()
    {
        InsertMany(3);
        var batch = _edge.ReadPending(2, SchemaVersion)!;

        _edge.AckPush(batch, Ack(batch));

        Assert.Equal(2, _edge.PushCursor);
        Assert.Equal(1, _edge.PendingRowCount());
    }

    [Fact]
    public void AckPush_HubAcksBeyondTheBatch_CursorStopsAtBatchEnd()
    {
        InsertMany(3);
        var batch = _edge.ReadPending(2, SchemaVersion)!;

        _edge.AckPush(batch, new PushResponse { AckedSeq = 99, Duplicate = true });

        Assert.Equal(2, _edge.PushCursor);
        Assert.Equal(3, _edge.ReadPending(10, SchemaVersion)!.FirstSeq);
    }

    [Fact]
    public void AckPush_StaleAck_NeverMovesCursorBack()
    {
        InsertMany(4);
        var early = _edge.ReadPending(2, SchemaVersion)!;
        _edge.AckPush(early, Ack(early));
        var late = _edge.ReadPending(2, SchemaVersion)!;
        _edge.AckPush(late, Ack(late));

        _edge.AckPush(early, Ack(early));

        Assert.Equal(4, _edge.PushCursor);
    }

    [Fact]
    public void AckPush_RejectedRows_LandInSyncRejectedWithReasonAndRow()
    {
        var bad = _edge.Insert(Documents, Doc("refused one", body: "evidence"));
        var good = _edge.Insert(Documents, Doc("accepted one"));
        var batch = _edge.ReadPending(10, SchemaVersion)!;
        var rejection = new RejectedChange { Table = Documents, Id = bad.Id, Hlc = bad.Hlc, Reason = "node 'malu' may not do that" };

        _edge.AckPush(batch, Ack(batch, rejection));
        _edge.AckPush(batch, Ack(batch, rejection)); // the same acknowledgement again keeps one record

        Assert.Equal(1, _edge.RejectedCount());
        var rec = Assert.Single(Sql.Rows(_edge, "SELECT tbl, row_id, hlc, reason, row_json FROM _sync_rejected"));
        Assert.Equal(new string?[] { Documents, bad.Id, bad.Hlc, "node 'malu' may not do that" }, rec[..4]);
        var kept = RowIo.FromJson(rec[4]!);
        Assert.Equal(("refused one", "evidence", bad.Hlc), (kept.Text("title"), kept.Text("body"), kept.Hlc));
        var listed = Assert.Single(_edge.Rejected());
        Assert.Equal((Documents, bad.Id, bad.Hlc, "node 'malu' may not do that"), (listed.Table, listed.RowId, listed.Hlc, listed.Reason));
        Assert.Equal(_time.GetUtcNow(), listed.RejectedUtc);
        Assert.Equal(batch.LastSeq, _edge.PushCursor);
        Assert.Equal(0, _edge.PendingRowCount());
        Assert.Equal("accepted one", _edge.Get(Documents, good.Id)!.Text("title"));
    }

    [Fact]
    public void PendingRowCount_SeveralEditsOfOneRow_CountsTheRowOnce()
    {
        var row = _edge.Insert(Documents, Doc("a"));
        _edge.Update(Documents, row.Id, Set("title", "b"));
        _edge.Update(Documents, row.Id, Set("title", "c"));
        _edge.Insert(Documents, Doc("other"));

        Assert.Equal(2, _edge.PendingRowCount());
    }

    [Fact]
    public void ReadPending_ByteLimit_EndsBatchJustBeforeFirstRowLeftOut()
    {
        var big = new string('x', 2_000);
        var rows = Enumerable.Range(1, 3).Select(i => _edge.Insert(Documents, Doc($"big {i}", body: big))).ToList();

        var batch = _edge.ReadPending(100, SchemaVersion, maxBytes: 8_000)!;

        Assert.Equal([rows[0].Id], batch.Changes.Select(c => c.Id));
        Assert.Equal((1L, 1L, "malu:1-1"), (batch.FirstSeq, batch.LastSeq, batch.BatchId));
        _edge.AckPush(batch, Ack(batch));
        var next = _edge.ReadPending(100, SchemaVersion, maxBytes: 8_000)!;
        Assert.Equal([rows[1].Id], next.Changes.Select(c => c.Id));
        Assert.Equal((2L, 2L), (next.FirstSeq, next.LastSeq));
    }

    [Fact]
    public void ReadPending_RowLargerThanByteLimit_StillSentAlone()
    {
        var huge = _edge.Insert(Documents, Doc("huge", body: new string('y', 50_000)));
        _edge.Insert(Documents, Doc("small"));

        var batch = _edge.ReadPending(100, SchemaVersion, maxBytes: 1_000)!;

        Assert.Equal(huge.Id, Assert.Single(batch.Changes).Id);
        Assert.Equal(50_000, batch.Changes[0].ToRow().Text("body")!.Length);
        Assert.Equal(1, batch.LastSeq);
    }
}
