using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Tests.TestSupport;

namespace EGovEdge.Sync.Tests.Schema;

public class ScopesTests
{
    [Fact]
    public void Of_NodesWithDuplicatesAndInvalidIds_SortedDistinctValidOnly()
    {
        Assert.Equal("|guangshun|malu|", Scopes.Of(["malu", "", "guangshun", "malu", "Bad Id", "9x"]));
    }

    [Fact]
    public void Of_NoValidNodes_ReachesNobody()
    {
        var scope = Scopes.Of(["", "NOPE"]);

        Assert.Equal("||", scope);
        Assert.False(Scopes.Includes(scope, "malu"));
    }

    [Theory]
    [InlineData("*", "malu", true)]
    [InlineData("*", "hub", true)]
    [InlineData("|guangshun|malu|", "malu", true)]
    [InlineData("|guangshun|malu|", "guangshun", true)]
    [InlineData("|guangshun|malu|", "xinzhuang", false)]
    [InlineData("|guangshun|malu|", "ma", false)]
    [InlineData("|guangshun|malu|", "alu", false)]
    public void Includes_Scope_MatchesWholeNodeIdsOnly(string scope, string node, bool expected) =>
        Assert.Equal(expected, Scopes.Includes(scope, node));

    [Fact]
    public void DocumentScope_Everyone_IsStar()
    {
        Assert.Equal(Scopes.Everyone, TestSchema.DocumentScope(Row("malu", TestSchema.To())));
    }

    [Fact]
    public void DocumentScope_AddressedDoc_IsOriginPlusRecipients()
    {
        var scope = TestSchema.DocumentScope(Row("malu", TestSchema.To("xinzhuang", "guangshun")));

        Assert.Equal("|guangshun|malu|xinzhuang|", scope);
    }

    [Fact]
    public void DocumentScope_NoRecipients_IsOriginOnly()
    {
        Assert.Equal("|malu|", TestSchema.DocumentScope(Row("malu", null)));
    }

    private static SyncRow Row(string origin, string? recipients) => new()
    {
        Table = TestSchema.Documents,
        Id = Guid.CreateVersion7().ToString(),
        Hlc = "0001772438400000.00000@" + origin,
        Origin = origin,
        Data = new() { ["title"] = "t", ["recipients"] = recipients },
    };
}
