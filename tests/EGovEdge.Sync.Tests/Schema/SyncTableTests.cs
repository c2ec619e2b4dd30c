using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Tests.TestSupport;

namespace EGovEdge.Sync.Tests.Schema;

public class SyncTableTests
{
    private static readonly SyncTable Table = TestSchema.DocumentsTable;

    [Fact]
    public void Sanitize_UnknownColumns_AreDroppedAndMissingOnesAreNull()
    {
        var clean = Table.Sanitize(new JsonObject { ["title"] = "Flood notice", ["secret"] = "x", ["hlc"] = "forged" }, out var error);

        Assert.Null(error);
        Assert.Equal(["title", "doc_type", "urgency", "body", "recipients"], clean.Select(p => p.Key));
        Assert.Equal("Flood notice", clean["title"]!.GetValue<string>());
        Assert.Null(clean["body"]);
    }

    [Fact]
    public void Sanitize_MissingRequiredColumn_ReportsIt()
    {
        Table.Sanitize(new JsonObject { ["body"] = "text" }, out var error);

        Assert.Equal("column 'title' is required", error);
    }

    [Fact]
    public void Sanitize_WrongKind_ReportsItAndNullsTheValue()
    {
        var clean = Table.Sanitize(new JsonObject { ["title"] = "ok", ["urgency"] = 3 }, out var error);

        Assert.Equal("column 'urgency' must be text", error);
        Assert.Null(clean["urgency"]);
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Sanitize_IntegerColumnWholeNumberFromJson_KeptAsInt64(string json, long expected)
    {
        var clean = TestSchema.TalliesTable.Sanitize(JsonNode.Parse($$"""{"label": "x", "pages": {{json}}}""")!.AsObject(), out var error);

        Assert.Null(error);
        Assert.Equal(expected, clean["pages"]!.GetValue<long>());
    }

    [Fact]
    public void Sanitize_IntegerColumnFromClrInt_KeptAsInt64()
    {
        var clean = TestSchema.TalliesTable.Sanitize(new JsonObject { ["label"] = "x", ["pages"] = 42 }, out var error);

        Assert.Null(error);
        Assert.Equal(42L, clean["pages"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("\"42\"")]
    [InlineData("1.5")]
    [InlineData("1e30")]
    [InlineData("9223372036854775808")]
    [InlineData("true")]
    public void Sanitize_IntegerColumnNotAWholeInt64_ReportsIt(string json)
    {
        var clean = TestSchema.TalliesTable.Sanitize(JsonNode.Parse($$"""{"label": "x", "pages": {{json}}}""")!.AsObject(), out var error);

        Assert.Equal("column 'pages' must be integer", error);
        Assert.Null(clean["pages"]);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("hlc")]
    [InlineData("prev_hlc")]
    [InlineData("origin")]
    [InlineData("deleted")]
    [InlineData("Title")]
    [InlineData("drop table")]
    public void Constructor_ReservedOrInvalidColumn_Throws(string column) =>
        Assert.Throws<ArgumentException>(() => new SyncTable("documents", [new SyncColumn(column)], _ => Scopes.Everyone));

    [Fact]
    public void Constructor_InvalidTableName_Throws() =>
        Assert.Throws<ArgumentException>(() => new SyncTable("documents; --", [new SyncColumn("title")], _ => Scopes.Everyone));

    [Fact]
    public void Indexer_UnknownTable_ThrowsKeyNotFound() =>
        Assert.Throws<KeyNotFoundException>(() => TestSchema.Create()["people"]);
}
