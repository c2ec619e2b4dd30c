using System.Text.Json.Nodes;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Hub;

/// <summary>
/// The hub applying pushed batches: idempotent, authorised per row, every accepted version sequenced.
/// Runs once per hub database engine (<see cref="OnSqlite"/>, <see cref="OnPostgres"/>).
/// </summary>
public abstract class HubStorePushTests(HubProvider provider) : IDisposable
{
    private readonly SyncWorld _world = new(provider: provider);

    public sealed class OnSqlite() : HubStorePushTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : HubStorePushTests(HubProvider.Postgres);

    public void Dispose()
    {
        _world.Dispose();
        GC.SuppressFinalize(this);
    }

    private EdgeStore Malu => _world.Edge(TestSchema.Malu).Store;

    private PushRequest Pending(EdgeStore edge) =>
        Wire.RoundTrip(edge.ReadPending(500, SchemaVersion)!, SyncJsonContext.Default.PushRequest);

    /// <summary>Reads the edge's pending batch, applies it at the hub and acknowledges it on the edge.</summary>
    private PushResponse PushAndAck(EdgeStore edge)
    {
        var batch = Pending(edge);
        var response = _world.Hub.ApplyPush(edge.NodeId, batch);
        edge.AckPush(batch, Wire.RoundTrip(response, SyncJsonContext.Default.PushResponse));
        return response;
    }

    private List<string?[]> HubDocuments() => Sql.Rows(_world.Hub, "SELECT * FROM documents ORDER BY id");

    [Fact]
    public void ApplyPush_NewRows_StoredLoggedAndScoped()
    {
        var toGuangshun = Malu.Insert(Documents, Doc("Road closure", To(Guangshun), body: "Bridge on S211"));
        var toAll = Malu.Insert(Documents, Doc("Holiday schedule"));
        var toTwo = Malu.Insert(Documents, Doc("Joint inspection", To(Xinzhuang, Guangshun)));
        var batch = Pending(Malu);

        var response = _world.Hub.ApplyPush(TestSchema.Malu, batch);

        Assert.Equal((3L, false, 3, 0), (response.AckedSeq, response.Duplicate, response.Applied, response.Conflicts));
        Assert.Empty(response.Rejected);
        var atHub = _world.Hub.Get(Documents, toGuangshun.Id)!;
        Assert.Equal(("Road closure", "Bridge on S211", toGuangshun.Hlc, TestSchema.Malu, false),
            (atHub.Text("title"), atHub.Text("body"), atHub.Hlc, atHub.Origin, atHub.Deleted));
        var log = Sql.HubLog(_world.Hub);
        Assert.Equal([toGuangshun.Id, toAll.Id, toTwo.Id], log.Select(e => e.RowId));
        Assert.All(log, e => Assert.Equal(TestSchema.Malu, e.Writer));
        Assert.Equal(["|guangshun|malu|", "*", "|guangshun|malu|xinzhuang|"], log.Select(e => e.Scope));
        Assert.True(log[0].Seq < log[1].Seq && log[1].Seq < log[2].Seq);
        var node = Assert.Single(_world.Hub.Nodes());
        Assert.Equal((TestSchema.Malu, 3L, 3L, TestSchema.SchemaVersion), (node.Node, node.PushAcked, node.ChangesReceived, node.SchemaVersion));
        Assert.Equal(_world.HubTime.GetUtcNow(), node.LastPushUtc);
    }

    [Fact]
    public void ApplyPush_SameBatchTwice_SecondIsDuplicateAndChangesNothing()
    {
        Malu.Insert(Documents, Doc("one"));
        Malu.Insert(Documents, Doc("two"));
        var batch = Pending(Malu);
        _world.Hub.ApplyPush(TestSchema.Malu, batch);
        var rows = HubDocuments();
        var log = Sql.HubLog(_world.Hub);

        var again = _world.Hub.ApplyPush(TestSchema.Malu, Wire.RoundTrip(batch, SyncJsonContext.Default.PushRequest));

        Assert.True(again.Duplicate);
        Assert.Equal((2L, 0, 0), (again.AckedSeq, again.Applied, again.Conflicts));
        Assert.Equal(rows, HubDocuments());
        Assert.Equal(log, Sql.HubLog(_world.Hub));
        Assert.Equal(2, _world.Hub.MaxSequence());
        Assert.Equal(2, _world.Hub.Nodes().Single().ChangesReceived);
        Assert.Equal(0, _world.Hub.OpenConflictCount());
    }

    [Fact]
    public void ApplyPush_OldBatchReplayedAfterNewerOnes_ChangesNothing()
    {
        var row = Malu.Insert(Documents, Doc("v1"));
        var first = Pending(Malu);
        _world.Hub.ApplyPush(TestSchema.Malu, first);
        Malu.AckPush(first, new PushResponse { AckedSeq = first.LastSeq });
        Malu.Update(Documents, row.Id, Set("title", "v2"));
        PushAndAck(Malu);
        Malu.Delete(Documents, row.Id);
        PushAndAck(Malu);
        var rows = HubDocuments();
        var max = _world.Hub.MaxSequence();

        var replay = _world.Hub.ApplyPush(TestSchema.Malu, first);

        Assert.True(replay.Duplicate);
        Assert.Equal(3, replay.AckedSeq);
        Assert.Equal(rows, HubDocuments());
        var atHub = _world.Hub.Get(Documents, row.Id)!;
        Assert.True(atHub.Deleted);
        Assert.Equal("v2", atHub.Text("title"));
        Assert.Equal(max, _world.Hub.MaxSequence());
        Assert.Equal(0, _world.Hub.OpenConflictCount());
    }

    [Fact]
    public void ApplyPush_EachAcceptedVersion_GetsANewHigherHubSequence()
    {
        var a = Malu.Insert(Documents, Doc("a1"));
        PushAndAck(Malu);
        var seqA1 = Sql.HubLog(_world.Hub).Single(e => e.RowId == a.Id).Seq;
        var b = Malu.Insert(Documents, Doc("b1"));
        PushAndAck(Malu);
        var seqB = Sql.HubLog(_world.Hub).Single(e => e.RowId == b.Id).Seq;
        Malu.Update(Documents, a.Id, Set("title", "a2"));
        PushAndAck(Malu);

        var log = Sql.HubLog(_world.Hub);
        var seqA2 = log.Single(e => e.RowId == a.Id).Seq;
        Assert.True(seqA1 < seqB && seqB < seqA2, $"{seqA1} < {seqB} < {seqA2}");
        Assert.Equal(2, log.Count); // one entry per row: its latest version
        Assert.Equal(seqA2, _world.Hub.MaxSequence());
        Assert.Equal("a2", _world.Hub.Get(Documents, a.Id)!.Text("title"));
    }

    [Fact]
    public void ApplyPush_FastForward_HubKeepsItsOwnLineageInPrev()
    {
        var row = Malu.Insert(Documents, Doc("v1"));
        PushAndAck(Malu);
        var v2 = Malu.Update(Documents, row.Id, Set("title", "v2"))!;

        var response = PushAndAck(Malu);

        Assert.Equal((1, 0), (response.Applied, response.Conflicts));
        var atHub = _world.Hub.Get(Documents, row.Id)!;
        Assert.Equal((v2.Hlc, row.Hlc, "v2"), (atHub.Hlc, atHub.PrevHlc, atHub.Text("title")));
    }

    [Fact]
    public void ApplyPush_RowOwnedByAnotherNode_RejectedWhileRestOfBatchApplies()
    {
        var theirs = Malu.Insert(Documents, Doc("Malu's notice", To(Guangshun)));
        PushAndAck(Malu);
        var guangshun = _world.Edge(Guangshun).Store;
        guangshun.ApplyPulled(_world.Hub.Pull(Guangshun, new PullRequest { NodeId = Guangshun, Cursor = 0 }));
        guangshun.Update(Documents, theirs.Id, Set("title", "hijacked"));
        var ours = guangshun.Insert(Documents, Doc("Guangshun's own notice"));

        var response = PushAndAck(guangshun);

        Assert.Equal((1, 0), (response.Applied, response.Conflicts));
        var rejected = Assert.Single(response.Rejected);
        Assert.Equal((Documents, theirs.Id), (rejected.Table, rejected.Id));
        Assert.Equal("node 'guangshun' may not change a row owned by 'malu'", rejected.Reason);
        var atHub = _world.Hub.Get(Documents, theirs.Id)!;
        Assert.Equal(("Malu's notice", theirs.Hlc), (atHub.Text("title"), atHub.Hlc));
        Assert.Equal("Guangshun's own notice", _world.Hub.Get(Documents, ours.Id)!.Text("title"));
        Assert.Equal(Guangshun, Sql.Text(_world.Hub, "SELECT node FROM hub_rejected WHERE row_id = @r", ("@r", theirs.Id)));
        Assert.Equal(1, _world.Hub.Nodes().Single(n => n.Node == Guangshun).Rejected);
        // The township keeps the refusal for its technicians and does not try again.
        Assert.Equal(1, guangshun.RejectedCount());
        Assert.Equal(rejected.Reason, Sql.Text(guangshun, "SELECT reason FROM _sync_rejected WHERE row_id = @r", ("@r", theirs.Id)));
        Assert.Equal(0, guangshun.PendingRowCount());
    }

    [Fact]
    public void ApplyPush_RowCreatedOnBehalfOfAnotherNode_Rejected()
    {
        var forged = new SyncChange
        {
            Table = Documents, Id = Guid.CreateVersion7().ToString(), Hlc = new Hlc(SyncWorld.Start.ToUnixTimeMilliseconds(), 0, TestSchema.Malu).ToString(),
            Origin = Guangshun, Data = Doc("forged"),
        };
        var batch = new PushRequest { NodeId = TestSchema.Malu, BatchId = "malu:1-1", FirstSeq = 1, LastSeq = 1, Changes = [forged] };

        var response = _world.Hub.ApplyPush(TestSchema.Malu, Wire.RoundTrip(batch, SyncJsonContext.Default.PushRequest));

        Assert.Equal("node 'malu' may not create a row on behalf of 'guangshun'", Assert.Single(response.Rejected).Reason);
        Assert.Equal(0, response.Applied);
        Assert.Null(_world.Hub.Get(Documents, forged.Id));
        Assert.Equal(0, _world.Hub.MaxSequence());
        Assert.Equal(1, response.AckedSeq);
    }

    [Theory]
    [InlineData("table", "unknown table 'people'")]
    [InlineData("id", "row id is not a UUID")]
    [InlineData("hlc", "malformed hlc stamp")]
    [InlineData("prev", "malformed prev stamp")]
    [InlineData("origin", "malformed origin")]
    [InlineData("future", "hlc stamp is more than a day in the future (check the township's clock)")]
    [InlineData("required", "column 'title' is required")]
    [InlineData("type", "column 'title' must be text")]
    public void ApplyPush_MalformedChange_RejectedWithReasonWhileValidOneApplies(string defect, string reason)
    {
        var now = SyncWorld.Start.ToUnixTimeMilliseconds();
        var good = Malu.Insert(Documents, Doc("valid"));
        var id = Guid.CreateVersion7().ToString();
        var hlc = new Hlc(now, 1, TestSchema.Malu).ToString();
        var bad = new SyncChange
        {
            Table = defect == "table" ? "people" : Documents,
            Id = defect == "id" ? "42" : id,
            Hlc = defect switch
            {
                "hlc" => "yesterday",
                "future" => new Hlc(SyncWorld.Start.AddDays(2).ToUnixTimeMilliseconds(), 0, TestSchema.Malu).ToString(),
                _ => hlc,
            },
            Prev = defect == "prev" ? "x" : null,
            Origin = defect == "origin" ? "Malu" : TestSchema.Malu,
            Data = defect switch
            {
                "required" => new JsonObject { ["body"] = "no title" },
                "type" => new JsonObject { ["title"] = 5 },
                _ => Doc("bad"),
            },
        };
        var batch = Pending(Malu);
        batch.Changes.Add(bad);

        var response = _world.Hub.ApplyPush(TestSchema.Malu, Wire.RoundTrip(batch, SyncJsonContext.Default.PushRequest));

        Assert.Equal(1, response.Applied);
        var rejected = Assert.Single(response.Rejected);
        Assert.Equal((bad.Id, reason), (rejected.Id, rejected.Reason));
        Assert.Equal(1, Sql.CountRows(_world.Hub));
        Assert.Equal("valid", _world.Hub.Get(Documents, good.Id)!.Text("title"));
        Assert.Equal(reason, Sql.Text(_world.Hub, "SELECT reason FROM hub_rejected WHERE row_id = @r", ("@r", bad.Id)));
        Assert.Single(Sql.HubLog(_world.Hub));
    }

    [Fact]
    public void ApplyPush_HubHoldsNewerConcurrentEdit_HubVersionWinsAndPushedLoserKept()
    {
        var row = Malu.Insert(Documents, Doc("original"));
        PushAndAck(Malu);
        _world.Edge(TestSchema.Malu).Time.Advance(TimeSpan.FromSeconds(1));
        var edgeEdit = Malu.Update(Documents, row.Id, Set("title", "malu's edit"))!;
        _world.HubTime.Advance(TimeSpan.FromSeconds(2));
        var hubEdit = _world.Hub.Update(Documents, row.Id, Set("title", "county's edit"))!;

        var response = PushAndAck(Malu);

        Assert.Equal((0, 1, 2L), (response.Applied, response.Conflicts, response.AckedSeq));
        var atHub = _world.Hub.Get(Documents, row.Id)!;
        Assert.Equal(("county's edit", hubEdit.Hlc), (atHub.Text("title"), atHub.Hlc));
        var conflict = Assert.Single(Sql.Rows(_world.Hub, "SELECT winner_hlc, loser_hlc, loser_json, detected_node, status FROM hub_conflicts"));
        Assert.Equal(new string?[] { hubEdit.Hlc, edgeEdit.Hlc }, conflict[..2]);
        Assert.Equal(("malu's edit", edgeEdit.Hlc), (RowIo.FromJson(conflict[2]!).Text("title"), RowIo.FromJson(conflict[2]!).Hlc));
        Assert.Equal(new string?[] { "hub", "open" }, conflict[3..]);
        Assert.Equal(1, _world.Hub.OpenConflictCount());
    }

    [Fact]
    public void ApplyPush_PushedEditNewerThanConcurrentHubEdit_PushedWinsAndHubLoserKept()
    {
        var row = Malu.Insert(Documents, Doc("original"));
        PushAndAck(Malu);
        _world.HubTime.Advance(TimeSpan.FromSeconds(1));
        var hubEdit = _world.Hub.Update(Documents, row.Id, Set("title", "county's edit"))!;
        var seqBefore = _world.Hub.MaxSequence();
        _world.Edge(TestSchema.Malu).Time.Advance(TimeSpan.FromSeconds(2));
        var edgeEdit = Malu.Update(Documents, row.Id, Set("title", "malu's edit"))!;

        var response = PushAndAck(Malu);

        Assert.Equal((1, 1), (response.Applied, response.Conflicts));
        var atHub = _world.Hub.Get(Documents, row.Id)!;
        Assert.Equal(("malu's edit", edgeEdit.Hlc, hubEdit.Hlc), (atHub.Text("title"), atHub.Hlc, atHub.PrevHlc));
        Assert.True(_world.Hub.MaxSequence() > seqBefore);
        var loser = RowIo.FromJson(Sql.Text(_world.Hub, "SELECT loser_json FROM hub_conflicts WHERE winner_hlc = @w", ("@w", edgeEdit.Hlc))!);
        Assert.Equal(("county's edit", hubEdit.Hlc), (loser.Text("title"), loser.Hlc));
    }

    [Fact]
    public void ApplyPush_RetryOfUnacknowledgedBatch_IsDuplicateAndAcksIt()
    {
        Malu.Insert(Documents, Doc("sent once"));
        var batch = Pending(Malu);
        _world.Hub.ApplyPush(TestSchema.Malu, batch); // the response never reaches malu
        var max = _world.Hub.MaxSequence();

        var retry = Pending(Malu);
        var response = _world.Hub.ApplyPush(TestSchema.Malu, retry);
        Malu.AckPush(retry, response);

        Assert.Equal(batch.BatchId, retry.BatchId);
        Assert.True(response.Duplicate);
        Assert.Equal(max, _world.Hub.MaxSequence());
        Assert.Equal(0, Malu.PendingRowCount());
        Assert.Single(Sql.HubLog(_world.Hub));
    }

    [Fact]
    public void ApplyPush_RetryAfterLostAckWithFurtherEdit_FastForwardsWithoutConflict()
    {
        var row = Malu.Insert(Documents, Doc("v1"));
        _world.Hub.ApplyPush(TestSchema.Malu, Pending(Malu)); // applied, acknowledgement lost
        var v2 = Malu.Update(Documents, row.Id, Set("title", "v2"))!;

        var retry = Pending(Malu);
        var response = _world.Hub.ApplyPush(TestSchema.Malu, retry);

        var change = Assert.Single(retry.Changes);
        Assert.Equal((v2.Hlc, (string?)null), (change.Hlc, change.Prev));
        Assert.Equal([row.Hlc], change.Chain);
        Assert.Equal((false, 1, 0), (response.Duplicate, response.Applied, response.Conflicts));
        var atHub = _world.Hub.Get(Documents, row.Id)!;
        Assert.Equal(("v2", v2.Hlc, row.Hlc), (atHub.Text("title"), atHub.Hlc, atHub.PrevHlc));
        Assert.Equal(0, _world.Hub.OpenConflictCount());
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("1e30")]
    public void ApplyPush_IntegerColumnNotWhole_RejectedWhileRestOfBatchApplies(string pages)
    {
        using var world = new SyncWorld(provider: provider, schema: CreateWithTallies());
        var hub = world.Hub;
        var edge = world.Edge(TestSchema.Malu).Store;
        var good = edge.Insert(Tallies, new() { ["label"] = "fine", ["pages"] = 3 });
        var batch = edge.ReadPending(500, SchemaVersion)!;
        var json = System.Text.Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(batch, SyncJsonContext.Default.PushRequest));
        var badId = Guid.CreateVersion7().ToString();
        var badHlc = new Hlc(SyncWorld.Start.ToUnixTimeMilliseconds(), 9, TestSchema.Malu).ToString();
        // A township on a different build sends a fractional page count.
        var bad = "{\"table\":\"tallies\",\"id\":\"" + badId + "\",\"hlc\":\"" + badHlc
            + "\",\"origin\":\"malu\",\"data\":{\"label\":\"odd\",\"pages\":" + pages + "}},";
        json = json.Replace("\"changes\":[", "\"changes\":[" + bad, StringComparison.Ordinal);
        var wire = System.Text.Json.JsonSerializer.Deserialize(json, SyncJsonContext.Default.PushRequest)!;
        Assert.Equal(2, wire.Changes.Count);

        var response = hub.ApplyPush(TestSchema.Malu, wire);

        Assert.Equal(1, response.Applied);
        var rejected = Assert.Single(response.Rejected);
        Assert.Equal((badId, "column 'pages' must be integer"), (rejected.Id, rejected.Reason));
        Assert.Equal(3, hub.Get(Tallies, good.Id)!.Integer("pages"));
        Assert.Null(hub.Get(Tallies, badId));
        Assert.Equal(batch.LastSeq, response.AckedSeq);
    }

    [Fact]
    public void ApplyPush_ByteLimitedBatchesWithInterleavedEdits_EveryRowArrivesOnceWithoutConflict()
    {
        var a = Malu.Insert(Documents, Doc("a v1"));                          // seq 1
        var b = Malu.Insert(Documents, Doc("b", body: new string('b', 4_000))); // seq 2
        var a2 = Malu.Update(Documents, a.Id, Set("title", "a v2"))!;         // seq 3
        var applied = new List<string>();

        while (Malu.ReadPending(500, SchemaVersion, maxBytes: 3_000) is { } batch)
        {
            var response = _world.Hub.ApplyPush(TestSchema.Malu, Wire.RoundTrip(batch, SyncJsonContext.Default.PushRequest));
            Malu.AckPush(batch, response);
            Assert.Equal((batch.LastSeq, 0), (response.AckedSeq, response.Conflicts));
            applied.Add($"{batch.FirstSeq}-{batch.LastSeq}:{string.Join(',', batch.Changes.Select(c => c.ToRow().Text("title")))}:{response.Applied}");
        }

        // a (already at v2) goes first and the batch ends before b's first entry; a's later entry is re-sent and skipped.
        Assert.Equal(["1-1:a v2:1", "2-2:b:1", "3-3:a v2:0"], applied);
        Assert.Equal((a2.Hlc, "a v2"), (_world.Hub.Get(Documents, a.Id)!.Hlc, _world.Hub.Get(Documents, a.Id)!.Text("title")));
        Assert.NotNull(_world.Hub.Get(Documents, b.Id));
        Assert.Equal(0, _world.Hub.OpenConflictCount());
        Assert.Equal(0, Malu.PendingRowCount());
    }
}
