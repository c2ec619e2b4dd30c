using System.Text.Json;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Hub;

/// <summary>
/// What the hub refuses before any write rule: versions stamped by another node than the sender, changes with
/// missing fields (refused with a reason, never thrown); and pulls with a non-positive limit.
/// </summary>
public abstract class PushValidationTests(HubProvider provider) : IDisposable
{
    private const string Incomplete = "incomplete change (table, id, hlc, origin and data are required)";
    private static readonly long T = SyncWorld.Start.ToUnixTimeMilliseconds();
    private readonly SyncWorld _world = new(provider: provider);

    public sealed class OnSqlite() : PushValidationTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : PushValidationTests(HubProvider.Postgres);

    public void Dispose()
    {
        _world.Dispose();
        GC.SuppressFinalize(this);
    }

    private EdgeStore Malu => _world.Edge(TestSchema.Malu).Store;

    private PushRequest Pending(EdgeStore edge) =>
        Wire.RoundTrip(edge.ReadPending(500, SchemaVersion)!, SyncJsonContext.Default.PushRequest);

    [Theory]
    [InlineData(Guangshun)]
    [InlineData("hub")]
    public void ApplyPush_VersionStampedByAnotherNode_RejectedAsInvalidWhileRestApplies(string stampedBy)
    {
        var good = Malu.Insert(Documents, Doc("malu's own"));
        var batch = Pending(Malu);
        // malu sends a row of its own, addressed to guangshun, but claims another node wrote this version.
        // Accepted, it would be logged with that node as writer (and, stamped guangshun, never pulled by guangshun).
        var forged = new SyncChange
        {
            Table = Documents, Id = Guid.CreateVersion7().ToString(), Hlc = new Hlc(T, 3, stampedBy).ToString(),
            Origin = TestSchema.Malu, Data = Doc("forged stamp", To(Guangshun)),
        };
        batch.Changes.Add(forged);

        var response = _world.Hub.ApplyPush(TestSchema.Malu, Wire.RoundTrip(batch, SyncJsonContext.Default.PushRequest));

        Assert.Equal((1, batch.LastSeq), (response.Applied, response.AckedSeq));
        var rejected = Assert.Single(response.Rejected);
        Assert.Equal((forged.Id, forged.Hlc, RejectionKinds.Invalid), (rejected.Id, rejected.Hlc, rejected.Kind));
        Assert.Equal($"the version stamp names node '{stampedBy}', not the sender 'malu'", rejected.Reason);
        Assert.Null(rejected.Current);
        Assert.Null(_world.Hub.Get(Documents, forged.Id));
        Assert.NotNull(_world.Hub.Get(Documents, good.Id));
        Assert.Equal([TestSchema.Malu], Sql.HubLog(_world.Hub).Select(e => e.Writer));
        Assert.Equal(rejected.Reason, Sql.Text(_world.Hub, "SELECT reason FROM hub_rejected WHERE row_id = @r", ("@r", forged.Id)));
    }

    [Fact]
    public void ApplyPush_ReplayOfAnotherTownshipsVersion_Rejected()
    {
        // guangshun's real version of its own row, pulled by malu and pushed again by malu as if it were malu's.
        var guangshun = _world.Edge(Guangshun).Store;
        var theirs = guangshun.Insert(Documents, Doc("guangshun's notice"));
        guangshun.AckPush(Pending(guangshun), _world.Hub.ApplyPush(Guangshun, Pending(guangshun)));
        var replay = new PushRequest
        {
            NodeId = TestSchema.Malu, BatchId = "malu:1-1", FirstSeq = 1, LastSeq = 1,
            Changes = [SyncChange.FromRow(_world.Hub.Get(Documents, theirs.Id)!, null)],
        };
        var max = _world.Hub.MaxSequence();

        var response = _world.Hub.ApplyPush(TestSchema.Malu, Wire.RoundTrip(replay, SyncJsonContext.Default.PushRequest));

        Assert.Equal("the version stamp names node 'guangshun', not the sender 'malu'", Assert.Single(response.Rejected).Reason);
        Assert.Equal(max, _world.Hub.MaxSequence());
        Assert.Equal(0, _world.Hub.OpenConflictCount());
    }

    [Theory]
    [InlineData("table")]
    [InlineData("id")]
    [InlineData("hlc")]
    [InlineData("origin")]
    [InlineData("data")]
    public void ApplyPush_ChangeWithNullField_RejectedWithReasonWhileRestOfBatchApplies(string field)
    {
        var before = Malu.Insert(Documents, Doc("before"));
        var after = Malu.Insert(Documents, Doc("after"));
        var batch = Malu.ReadPending(500, SchemaVersion)!;
        var badId = Guid.CreateVersion7().ToString();
        var bad = JsonSerializer.SerializeToNode(new SyncChange
        {
            Table = Documents, Id = badId, Hlc = new Hlc(T, 9, TestSchema.Malu).ToString(), Origin = TestSchema.Malu, Data = Doc("incomplete"),
        }, SyncJsonContext.Default.SyncChange)!.AsObject();
        bad[field] = null; // as a township on another build (or a broken proxy) might send it
        var json = JsonSerializer.SerializeToNode(batch, SyncJsonContext.Default.PushRequest)!.AsObject();
        json["changes"]!.AsArray().Insert(1, bad);
        var wire = JsonSerializer.Deserialize(json.ToJsonString(), SyncJsonContext.Default.PushRequest)!;
        Assert.Equal(3, wire.Changes.Count);

        var response = _world.Hub.ApplyPush(TestSchema.Malu, wire);

        Assert.Equal((2, 0, batch.LastSeq, false), (response.Applied, response.Conflicts, response.AckedSeq, response.Duplicate));
        var rejected = Assert.Single(response.Rejected);
        Assert.Equal((Incomplete, RejectionKinds.Invalid), (rejected.Reason, rejected.Kind));
        Assert.Equal(field == "id" ? "" : badId, rejected.Id);
        Assert.NotNull(_world.Hub.Get(Documents, before.Id));
        Assert.NotNull(_world.Hub.Get(Documents, after.Id));
        Assert.Null(_world.Hub.Get(Documents, badId));
        Assert.Equal(2, Sql.HubLog(_world.Hub).Count);
        Assert.Equal(Incomplete, Sql.Text(_world.Hub, "SELECT reason FROM hub_rejected WHERE node = 'malu'"));
        // A retry of the same batch (lost answer) is a duplicate and does not throw either.
        var again = _world.Hub.ApplyPush(TestSchema.Malu, JsonSerializer.Deserialize(json.ToJsonString(), SyncJsonContext.Default.PushRequest)!);
        Assert.True(again.Duplicate);
        // The edge records the refusal without choking on the incomplete change it never sent.
        Malu.AckPush(batch, Wire.RoundTrip(response, SyncJsonContext.Default.PushResponse));
        Assert.Equal(0, Malu.PendingRowCount());
        Assert.Equal(1, Malu.RejectedCount());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-7)]
    public void Pull_LimitZeroOrNegative_MeansTheDefaultPageOf500(int limit)
    {
        for (var i = 0; i < 3; i++) Malu.Insert(Documents, Doc($"doc {i}"));
        _world.Hub.ApplyPush(TestSchema.Malu, Pending(Malu));

        var page = Wire.RoundTrip(
            _world.Hub.Pull(Guangshun, Wire.RoundTrip(new PullRequest { NodeId = Guangshun, Cursor = 0, Limit = limit }, SyncJsonContext.Default.PullRequest)),
            SyncJsonContext.Default.PullResponse);

        Assert.Equal(3, page.Changes.Count);
        Assert.False(page.HasMore);
        Assert.Equal(_world.Hub.MaxSequence(), page.NextCursor);
    }
}
