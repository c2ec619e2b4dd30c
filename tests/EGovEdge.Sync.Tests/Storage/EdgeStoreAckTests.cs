using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Storage;

/// <summary>
/// The edge's side of store identity and of refusals (<see cref="EdgeStore.AckPush"/>): only forbidden versions
/// are reverted, and only while they are still the row's current version.
/// </summary>
public sealed class EdgeStoreAckTests : IDisposable
{
    private static readonly long T = SyncWorld.Start.ToUnixTimeMilliseconds();
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);
    private readonly EdgeStore _edge;

    public EdgeStoreAckTests() => _edge = new EdgeStore(_dir.File("guangshun.db"), Guangshun, Create(), _time);

    public void Dispose() => _dir.Dispose();

    /// <summary>malu's document as the hub holds it, pulled by guangshun (pull cursor 1).</summary>
    private SyncChange PullMalusDoc(string title = "malu's notice")
    {
        var doc = new SyncChange
        {
            Table = Documents, Id = Guid.CreateVersion7().ToString(), Hlc = new Hlc(T - 60_000, 0, Malu).ToString(),
            Origin = Malu, Data = Doc(title, To(Guangshun)), Seq = 1,
        };
        _edge.ApplyPulled(new PullResponse { Changes = [doc], NextCursor = 1 });
        return doc;
    }

    private static PushResponse Refuse(PushRequest batch, string kind, SyncChange? current, string reason = "refused") => new()
    {
        AckedSeq = batch.LastSeq,
        Rejected = [.. batch.Changes.Select(c => new RejectedChange { Table = c.Table, Id = c.Id, Hlc = c.Hlc, Reason = reason, Kind = kind, Current = current })],
    };

    [Fact]
    public void StoreId_KeptWhenTheFileIsReopened_NewForANewFile_SentWithEveryBatch()
    {
        var id = _edge.StoreId;

        var reopened = new EdgeStore(_edge.DatabasePath, Guangshun, Create(), _time);
        var other = new EdgeStore(_dir.File("guangshun-new.db"), Guangshun, Create(), _time);
        _edge.Insert(Documents, Doc("x"));

        Assert.True(Guid.TryParse(id, out _), id);
        Assert.Equal(id, reopened.StoreId);
        Assert.NotEqual(id, other.StoreId);
        Assert.Equal(id, _edge.ReadPending(10, SchemaVersion)!.StoreId);
        Assert.Equal(id, Wire.RoundTrip(_edge.ReadPending(10, SchemaVersion)!, SyncJsonContext.Default.PushRequest).StoreId);
    }

    [Fact]
    public void AckPush_InvalidRejection_RowKeptAsWrittenAndRecorded()
    {
        var row = _edge.Insert(Documents, Doc("clock was off"));
        var batch = _edge.ReadPending(10, SchemaVersion)!;

        _edge.AckPush(batch, Refuse(batch, RejectionKinds.Invalid, null, "hlc stamp is more than a day in the future (check the township's clock)"));

        var kept = _edge.Get(Documents, row.Id)!;
        Assert.Equal((row.Hlc, false, "clock was off"), (kept.Hlc, kept.Deleted, kept.Text("title")));
        Assert.Equal(row.Hlc, Assert.Single(_edge.Rejected()).Hlc);
        Assert.Equal(0, _edge.PendingRowCount());
    }

    [Fact]
    public void AckPush_ForbiddenWithCurrent_RowReplacedByHubVersionWithoutCapture()
    {
        var hubVersion = PullMalusDoc();
        var edit = _edge.Update(Documents, hubVersion.Id, Set("title", "edited here"))!;
        var batch = _edge.ReadPending(10, SchemaVersion)!;
        var log = Sql.SyncLog(_edge);

        _edge.AckPush(batch, Refuse(batch, RejectionKinds.Forbidden, hubVersion));

        var row = _edge.Get(Documents, hubVersion.Id)!;
        Assert.Equal((hubVersion.Hlc, "malu's notice", Malu), (row.Hlc, row.Text("title"), row.Origin));
        Assert.Equal(log, Sql.SyncLog(_edge)); // the revert is not a local change
        Assert.Equal(0, Sql.Long(_edge, "SELECT applying FROM _sync_ctx"));
        Assert.Equal("edited here", RowIo.FromJson(Assert.Single(_edge.Rejected()).RowJson!).Text("title"));
        Assert.Equal(edit.Hlc, _edge.Rejected().Single().Hlc);
        // The clock has seen the hub's stamp: the next local edit sorts after it.
        Assert.True(Hlc.Parse(_edge.Update(Documents, hubVersion.Id, Set("urgency", "high"))!.Hlc) > Hlc.Parse(hubVersion.Hlc));
    }

    [Fact]
    public void AckPush_ForbiddenButRowChangedAgainSinceTheBatch_LatestLocalEditIsNotReverted()
    {
        var hubVersion = PullMalusDoc();
        _edge.Update(Documents, hubVersion.Id, Set("title", "first edit"));
        var batch = _edge.ReadPending(10, SchemaVersion)!;
        _time.Advance(TimeSpan.FromSeconds(1));
        var later = _edge.Update(Documents, hubVersion.Id, Set("title", "second edit"))!; // while the push was in flight

        _edge.AckPush(batch, Refuse(batch, RejectionKinds.Forbidden, hubVersion));

        Assert.Equal((later.Hlc, "second edit"), (_edge.Get(Documents, hubVersion.Id)!.Hlc, _edge.Get(Documents, hubVersion.Id)!.Text("title")));
        Assert.Equal(1, _edge.PendingRowCount()); // judged on its own in the next batch
        Assert.Single(_edge.Rejected());
    }

    [Fact]
    public void AckPush_ForbiddenWithoutCurrent_RowWithdrawnAsTombstoneWithNewStamp()
    {
        var row = _edge.Insert(Documents, Doc("not ours to create"));
        var batch = _edge.ReadPending(10, SchemaVersion)!;
        _time.Advance(TimeSpan.FromSeconds(1));

        _edge.AckPush(batch, Refuse(batch, RejectionKinds.Forbidden, null));

        var withdrawn = _edge.Get(Documents, row.Id)!;
        Assert.True(withdrawn.Deleted);
        Assert.Equal((row.Hlc, "not ours to create"), (withdrawn.PrevHlc, withdrawn.Text("title")));
        Assert.True(Hlc.Parse(withdrawn.Hlc) > Hlc.Parse(row.Hlc));
        Assert.Equal(0, _edge.PendingRowCount());
        Assert.Single(Sql.SyncLog(_edge)); // only the original insert: the tombstone is not pushed
        Assert.Null(_edge.Update(Documents, row.Id, Set("title", "again")));
        // No audit table in this schema, so no audit entry either.
        Assert.Equal(0, Sql.Long(_edge, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit'"));
    }

    [Fact]
    public void AckPush_ForbiddenRowWithLogEntriesBeyondTheBatch_RevertedRowIsNotPushedAgain()
    {
        // The batch ends inside the row's history (batch size 1), but carries the row's current state.
        var hubVersion = PullMalusDoc();
        _edge.Update(Documents, hubVersion.Id, Set("title", "first edit"));
        _edge.Update(Documents, hubVersion.Id, Set("title", "second edit"));
        var batch = _edge.ReadPending(1, SchemaVersion)!;
        Assert.Equal((1L, 1L, "second edit"), (batch.FirstSeq, batch.LastSeq, batch.Changes.Single().ToRow().Text("title")));

        _edge.AckPush(batch, Refuse(batch, RejectionKinds.Forbidden, hubVersion));

        Assert.Equal(hubVersion.Hlc, _edge.Get(Documents, hubVersion.Id)!.Hlc);
        // The refused versions are settled: nothing of this row waits, so the hub's own version is never sent back
        // as if guangshun had written it.
        Assert.Null(_edge.ReadPending(10, SchemaVersion));
        Assert.Equal(0, _edge.PendingRowCount());
    }
}
