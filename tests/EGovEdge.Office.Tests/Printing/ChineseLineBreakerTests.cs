using EGovEdge.Office.Printing;

namespace EGovEdge.Office.Tests.Printing;

public sealed class ChineseLineBreakerTests
{
    private static double Measure(string token) => token.Length == 1 && token[0] >= '\u2E80' ? 1 : token.Length * 0.5;

    [Fact]
    public void Break_PureChinese_28CharactersPerLine()
    {
        var text = new string('森', 60);

        var lines = ChineseLineBreaker.Break(text, 28, Measure);

        Assert.Equal([28, 28, 4], lines.Select(l => l.Length));
    }

    [Fact]
    public void Break_ClosingPunctuationNeverStartsALine()
    {
        // The 29th character is a comma: the 28th character moves down with it.
        var text = new string('林', 28) + "，防火" + new string('山', 30) + "。";

        var lines = ChineseLineBreaker.Break(text, 28, Measure);

        Assert.All(lines, l => Assert.DoesNotContain(l[0], ChineseLineBreaker.Closing));
        Assert.Equal(text, string.Concat(lines));
        Assert.Equal(27, lines[0].Length);
    }

    [Fact]
    public void Break_OpeningPunctuationDoesNotEndALine_AndLatinRunsStayWhole()
    {
        var text = new string('林', 27) + "（一）" + new string('山', 20) + "GB/T9704" + new string('水', 10);

        var lines = ChineseLineBreaker.Break(text, 28, Measure, firstIndent: 0);

        Assert.All(lines, l => Assert.False(l.EndsWith('（')));
        Assert.Contains(lines, l => l.Contains("GB/T9704", StringComparison.Ordinal));
        Assert.Equal(text, string.Concat(lines));
    }

    [Fact]
    public void Break_FirstLineIndent_TwoCharactersLess()
    {
        var lines = ChineseLineBreaker.Break(new string('林', 40), 28, Measure, firstIndent: 2);

        Assert.Equal([26, 14], lines.Select(l => l.Length));
    }
}
