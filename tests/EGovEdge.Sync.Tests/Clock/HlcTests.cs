using EGovEdge.Sync.Clock;

namespace EGovEdge.Sync.Tests.Clock;

public class HlcTests
{
    private static readonly Hlc[] Samples =
    [
        new(1_772_438_400_000, 0, "malu"),
        new(1_772_438_400_000, 0, "guangshun"),
        new(1_772_438_400_000, 0, "guang"),
        new(1_772_438_400_000, 9, "malu"),
        new(1_772_438_400_000, 10, "a"),
        new(1_772_438_400_000, 99_999, "hub"),
        new(1_772_438_400_001, 0, "a"),
        new(999, 5, "xinzhuang"),
        new(1_000, 0, "xinzhuang"),
        new(0, 0, "z"),
        new(9_999_999_999_999_999, 99_999, "zz"),
    ];

    [Fact]
    public void ToString_Stamp_HasFixedWidthWallCounterAndNode()
    {
        Assert.Equal("0001772438400000.00007@malu", new Hlc(1_772_438_400_000, 7, "malu").ToString());
        Assert.Equal("0000000000000000.00000@a", new Hlc(0, 0, "a").ToString());
    }

    [Fact]
    public void ToString_ManyStamps_TextSortsLikeStamps()
    {
        var byStamp = Samples.Order().ToList();
        var byText = Samples.OrderBy(h => h.ToString(), StringComparer.Ordinal).ToList();

        Assert.Equal(byStamp, byText);
        foreach (var a in Samples)
        {
            foreach (var b in Samples)
            {
                Assert.Equal(Math.Sign(a.CompareTo(b)), Math.Sign(Hlc.CompareText(a.ToString(), b.ToString())));
            }
        }
    }

    [Fact]
    public void CompareTo_SameWallAndCounter_NodeBreaksTheTie()
    {
        var a = new Hlc(100, 1, "guangshun");
        var b = new Hlc(100, 1, "malu");

        Assert.True(a < b);
        Assert.True(b > a);
        Assert.True(a <= b && b >= a);
        Assert.Equal(0, a.CompareTo(new Hlc(100, 1, "guangshun")));
    }

    [Fact]
    public void CompareTo_HigherCounterOnSameWall_IsLaterWhateverTheNode()
    {
        Assert.True(new Hlc(100, 2, "a") > new Hlc(100, 1, "zzz"));
        Assert.True(new Hlc(101, 0, "a") > new Hlc(100, 99_999, "zzz"));
    }

    [Fact]
    public void Parse_ToStringOutput_RoundTrips()
    {
        foreach (var h in Samples)
        {
            Assert.Equal(h, Hlc.Parse(h.ToString()));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0001772438400000.00007")]
    [InlineData("0001772438400000.00007@")]
    [InlineData("0001772438400000.00007malu")]
    [InlineData("0001772438400000-00007@malu")]
    [InlineData("1772438400000.00007@malu")]
    [InlineData("000177243840000x.00007@malu")]
    [InlineData("0001772438400000.0000x@malu")]
    [InlineData("-001772438400000.00007@malu")]
    [InlineData("+001772438400000.00007@malu")]
    [InlineData(" 001772438400000.00007@malu")]
    [InlineData("0001772438400000. 0007@malu")]
    [InlineData("0001772438400000.00007@Malu")]
    [InlineData("0001772438400000.00007@ma lu")]
    [InlineData("0001772438400000.00007@9malu")]
    [InlineData("0001772438400000.00007@malu@hub")]
    public void TryParse_Garbage_ReturnsFalse(string? text)
    {
        Assert.False(Hlc.TryParse(text, out var hlc));
        Assert.Equal(default, hlc);
    }

    [Theory]
    [InlineData("not a stamp")]
    [InlineData("0001772438400000.00007@")]
    [InlineData("0001772438400000.00007@MALU")]
    public void Parse_Garbage_ThrowsFormatException(string text)
    {
        var ex = Assert.Throws<FormatException>(() => Hlc.Parse(text));
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }
}
