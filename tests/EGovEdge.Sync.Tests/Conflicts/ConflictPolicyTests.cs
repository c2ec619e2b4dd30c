using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Tests.Conflicts;

public class ConflictPolicyTests
{
    private const string RowId = "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    private const long T = 1_772_438_400_000;

    private static string H(long offsetMs, string node, int counter = 0) => new Hlc(T + offsetMs, counter, node).ToString();

    private static SyncRow Row(string hlc, string? prev = null, bool deleted = false, string title = "t") => new()
    {
        Table = "documents",
        Id = RowId,
        Hlc = hlc,
        PrevHlc = prev,
        Origin = "malu",
        Deleted = deleted,
        Data = new() { ["title"] = title },
    };

    [Fact]
    public void Decide_NoLocalRow_Inserts() =>
        Assert.Equal(ApplyDecision.Insert, ConflictPolicy.Decide(null, Row(H(0, "malu")), null, localUnshared: true));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_SameVersion_Skips(bool unshared) =>
        Assert.Equal(ApplyDecision.Skip, ConflictPolicy.Decide(Row(H(0, "malu")), Row(H(0, "malu")), null, unshared));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_IncomingBuiltOnLocal_FastForwards(bool unshared)
    {
        var local = Row(H(0, "malu"));
        var incoming = Row(H(10, "guangshun"), prev: local.Hlc);

        Assert.Equal(ApplyDecision.FastForward, ConflictPolicy.Decide(local, incoming, null, unshared));
    }

    [Fact]
    public void Decide_IncomingChainContainsLocal_FastForwardsWhateverTheClockOrder()
    {
        // The sender held our version (its acknowledgement was lost) and built on it: descent decides, not stamp order.
        var local = Row(H(5_000, "malu"));
        var incoming = Row(H(4_000, "malu"), prev: H(0, "malu"));

        Assert.Equal(ApplyDecision.FastForward, ConflictPolicy.Decide(local, incoming, [H(1_000, "malu"), local.Hlc], localUnshared: true));
    }

    [Fact]
    public void Decide_IncomingIsAnOlderLocalVersion_Skips()
    {
        var local = Row(H(20, "malu"), prev: H(10, "malu"));
        var incoming = Row(H(10, "malu"));

        Assert.Equal(ApplyDecision.Skip, ConflictPolicy.Decide(local, incoming, null, localUnshared: true, localChain: [H(10, "malu")]));
    }

    [Fact]
    public void Decide_ConcurrentNewerWhileNothingUnshared_FastForwards() =>
        Assert.Equal(ApplyDecision.FastForward,
            ConflictPolicy.Decide(Row(H(10, "malu"), prev: H(0, "malu")), Row(H(20, "guangshun"), prev: H(0, "malu")), null, localUnshared: false));

    [Fact]
    public void Decide_ConcurrentOlderWhileNothingUnshared_Skips() =>
        Assert.Equal(ApplyDecision.Skip,
            ConflictPolicy.Decide(Row(H(20, "malu"), prev: H(0, "malu")), Row(H(10, "guangshun"), prev: H(0, "malu")), null, localUnshared: false));

    [Fact]
    public void Decide_ConcurrentWithUnsharedLocal_LaterHlcWins()
    {
        var local = Row(H(10, "malu"), prev: H(0, "malu"));
        var later = Row(H(20, "guangshun"), prev: H(0, "malu"));
        var earlier = Row(H(5, "guangshun"), prev: H(0, "malu"));

        Assert.Equal(ApplyDecision.IncomingWins, ConflictPolicy.Decide(local, later, null, localUnshared: true));
        Assert.Equal(ApplyDecision.LocalWins, ConflictPolicy.Decide(local, earlier, null, localUnshared: true));
    }

    [Fact]
    public void Decide_SameWallAndCounter_NodeIdBreaksTheTie()
    {
        var local = Row(H(10, "guangshun"), prev: H(0, "malu"));
        var incoming = Row(H(10, "malu"), prev: H(0, "malu"));

        Assert.Equal(ApplyDecision.IncomingWins, ConflictPolicy.Decide(local, incoming, null, localUnshared: true));
        Assert.Equal(ApplyDecision.LocalWins, ConflictPolicy.Decide(incoming, local, null, localUnshared: true));
    }

    [Fact]
    public void Decide_OlderDeleteAgainstNewerUpdate_DeleteWinsBothWays()
    {
        var delete = Row(H(10, "malu"), prev: H(0, "malu"), deleted: true);
        var update = Row(H(99, "guangshun"), prev: H(0, "malu"));

        Assert.Equal(ApplyDecision.IncomingWins, ConflictPolicy.Decide(update, delete, null, localUnshared: true));
        Assert.Equal(ApplyDecision.LocalWins, ConflictPolicy.Decide(delete, update, null, localUnshared: true));
        Assert.Equal(ApplyDecision.FastForward, ConflictPolicy.Decide(update, delete, null, localUnshared: false));
        Assert.Equal(ApplyDecision.Skip, ConflictPolicy.Decide(delete, update, null, localUnshared: false));
    }

    [Fact]
    public void Compare_Versions_DeletedFirstThenHlcAndAntisymmetric()
    {
        var rows = new[]
        {
            Row(H(1, "a")), Row(H(2, "a")), Row(H(2, "b")), Row(H(0, "a"), deleted: true), Row(H(3, "z"), deleted: true),
        };
        foreach (var a in rows)
        {
            foreach (var b in rows)
            {
                Assert.Equal(Math.Sign(ConflictPolicy.Compare(a, b)), -Math.Sign(ConflictPolicy.Compare(b, a)));
            }
        }
        var sorted = rows.Order(Comparer<SyncRow>.Create(ConflictPolicy.Compare)).Select(r => (r.Hlc, r.Deleted)).ToList();
        Assert.Equal([(H(1, "a"), false), (H(2, "a"), false), (H(2, "b"), false), (H(0, "a"), true), (H(3, "z"), true)], sorted);
    }

    [Fact]
    public void MakeId_SamePair_SameIdOnEveryNodeAndOrderMatters()
    {
        var id = ConflictRecord.MakeId("documents", RowId, H(2, "a"), H(1, "b"));

        Assert.Equal(id, ConflictRecord.MakeId("documents", RowId, H(2, "a"), H(1, "b")));
        Assert.NotEqual(id, ConflictRecord.MakeId("documents", RowId, H(1, "b"), H(2, "a")));
        Assert.Matches("^[0-9a-f]{32}$", id);
    }
}
