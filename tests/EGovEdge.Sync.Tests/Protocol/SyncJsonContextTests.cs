using System.Text.Json;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Protocol;

namespace EGovEdge.Sync.Tests.Protocol;

public class SyncJsonContextTests
{
    private static readonly PushRequest Sample = new()
    {
        NodeId = "malu",
        SchemaVersion = 3,
        BatchId = "malu:4-6",
        FirstSeq = 4,
        LastSeq = 6,
        Changes =
        [
            new SyncChange
            {
                Table = "documents", Id = "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", Hlc = "0001772438400000.00002@malu",
                Prev = "0001772438400000.00000@malu", Chain = ["0001772438400000.00001@malu"], Origin = "malu", Deleted = true,
                Data = new JsonObject { ["title"] = "标题 with unicode", ["body"] = null },
            },
            new SyncChange { Table = "documents", Id = "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", Hlc = "0001772438400001.00000@malu", Origin = "malu" },
        ],
    };

    [Fact]
    public void PushRequest_Serialized_IsCamelCaseAndOmitsNullProperties()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Sample, SyncJsonContext.Default.PushRequest))!.AsObject();

        Assert.Equal(["nodeId", "schemaVersion", "batchId", "firstSeq", "lastSeq", "changes"], json.Select(p => p.Key));
        var second = json["changes"]![1]!.AsObject();
        Assert.False(second.ContainsKey("prev"));
        Assert.False(second.ContainsKey("chain"));
        Assert.True(json["changes"]![0]!["data"]!.AsObject().ContainsKey("body")); // a null column value is data, not an absent property
    }

    [Fact]
    public void PushRequest_RoundTrip_KeepsEveryField()
    {
        var back = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(Sample, SyncJsonContext.Default.PushRequest), SyncJsonContext.Default.PushRequest)!;

        Assert.Equal((Sample.NodeId, 3, Sample.BatchId, 4L, 6L), (back.NodeId, back.SchemaVersion, back.BatchId, back.FirstSeq, back.LastSeq));
        var c = back.Changes[0];
        Assert.Equal((Sample.Changes[0].Hlc, Sample.Changes[0].Prev, true, "malu"), (c.Hlc, c.Prev, c.Deleted, c.Origin));
        Assert.Equal(Sample.Changes[0].Chain, c.Chain);
        Assert.Equal("标题 with unicode", c.ToRow().Text("title"));
        Assert.True(c.Data.ContainsKey("body"));
        Assert.Null(c.Data["body"]);
        Assert.Null(back.Changes[1].Prev);
        Assert.Empty(back.Changes[1].Data);
    }

    [Fact]
    public void PullResponse_RoundTrip_KeepsSequencesAndPaging()
    {
        var page = new PullResponse { NextCursor = 17, HasMore = true, Changes = [SyncChange.FromRow(Sample.Changes[0].ToRow(), "p", seq: 17)] };

        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(page, SyncJsonContext.Default.PullResponse), SyncJsonContext.Default.PullResponse)!;

        Assert.Equal((17L, true), (back.NextCursor, back.HasMore));
        Assert.Equal((17L, "p"), (back.Changes.Single().Seq, back.Changes.Single().Prev));
    }

    [Fact]
    public void PushRequest_MissingRequiredProperty_IsRefused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"batchId":"x:1-1","changes":[]}""", SyncJsonContext.Default.PushRequest));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"nodeId":"malu","batchId":"x","changes":[{"table":"documents","id":"x","origin":"malu"}]}""", SyncJsonContext.Default.PushRequest));
    }

    [Fact]
    public void PullRequest_Serialized_AlwaysCarriesLimitAndIncludeOwn()
    {
        // The receiving side must never depend on init-only defaults (System.Text.Json source generation drops them).
        var json = JsonNode.Parse(JsonSerializer.Serialize(new PullRequest { NodeId = "malu", Cursor = 9 }, SyncJsonContext.Default.PullRequest))!.AsObject();

        Assert.Equal(500, json["limit"]!.GetValue<int>());
        Assert.False(json["includeOwn"]!.GetValue<bool>());
        Assert.Equal(9, json["cursor"]!.GetValue<long>());
    }

    [Fact]
    public void PushResponse_Serialized_AlwaysCarriesRejectedList()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(new PushResponse { AckedSeq = 3 }, SyncJsonContext.Default.PushResponse))!.AsObject();

        Assert.Empty(json["rejected"]!.AsArray());
        Assert.False(json["duplicate"]!.GetValue<bool>());
    }
}
