using EGovEdge.Office.Traceability;
using EGovEdge.Sync;

namespace EGovEdge.Office.Tests.Traceability;

/// <summary>Short codes, GTIN-style codes and what a buyer may type or scan.</summary>
public sealed class TraceCodesTests
{
    [Theory]
    [InlineData("400638133393", '1')]
    [InlineData("629104150021", '3')]
    public void CheckDigit_MatchesGs1Examples(string twelve, char expected) =>
        Assert.Equal(expected, TraceCodes.CheckDigit(twelve));

    [Fact]
    public void Gtin_Is13DigitsInTheRestrictedRangeWithAValidCheckDigit_AndDiffersPerNodeAndNumber()
    {
        var codes = new[] { TraceCodes.Gtin("guangshun", 1), TraceCodes.Gtin("guangshun", 2), TraceCodes.Gtin("malu", 1), TraceCodes.Gtin(NodeIds.Hub, 1) };
        Assert.All(codes, c =>
        {
            Assert.True(TraceCodes.IsValidGtin13(c), c);
            Assert.StartsWith("2" + TraceCodes.CountyDigits, c, StringComparison.Ordinal);
        });
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.False(TraceCodes.IsValidGtin13(codes[0][..12] + (char)('0' + (codes[0][12] - '0' + 1) % 10)));
    }

    [Fact]
    public void ShortCodes_AreUniquePerNode_UseTheUnambiguousAlphabet_AndCarryTheNodeTag()
    {
        var codes = Enumerable.Range(0, 20_000).Select(i => TraceCodes.ShortCode("guangshun", i)).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c =>
        {
            Assert.Equal(8, c.Length);
            Assert.DoesNotContain(c, ch => ch is '0' or 'O' or '1' or 'I' or 'L');
            Assert.True(TraceCodes.BelongsTo(c, "guangshun"));
            Assert.False(TraceCodes.BelongsTo(c, "malu"));
        });
        // Consecutive batches do not get consecutive (guessable) codes.
        Assert.NotEqual(codes[0][..7], codes[1][..7]);
        Assert.NotEqual(TraceCodes.NodeTag("guangshun"), TraceCodes.NodeTag("malu"));
        Assert.NotEqual(TraceCodes.NodeTag(NodeIds.Hub), TraceCodes.NodeTag("malu"));
    }

    [Theory]
    [InlineData("https://zw.changshun.example/portal/trace/ABCD2345", "ABCD2345")]
    [InlineData("/portal/trace/abcd2345?utm=x", "ABCD2345")]
    [InlineData(" abcd-2345 ", "ABCD2345")]
    [InlineData("ABCD 2345", "ABCD2345")]
    [InlineData("ABCD0345", null)]
    [InlineData("ABC", null)]
    [InlineData("", null)]
    public void Normalize_AcceptsWhatPeopleTypeOrScan(string input, string? expected) =>
        Assert.Equal(expected, TraceCodes.Normalize(input));

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("0851-6123456", "085****3456")]
    [InlineData("张三", "张**")]
    [InlineData("", null)]
    public void MaskContact_HidesTheMiddleOfANumber(string contact, string? expected) =>
        Assert.Equal(expected, TraceService.MaskContact(contact));

    [Fact]
    public void Qr_EncodesThePublicUrl_RelativeWhenNoBaseIsConfigured()
    {
        Assert.Equal("https://zw.example.gov.cn/portal/trace/ABCD2345", TraceQr.Payload("https://zw.example.gov.cn/", "ABCD2345"));
        Assert.Equal("/portal/trace/ABCD2345", TraceQr.Payload(null, "ABCD2345"));
        var svg = TraceQr.Svg("/portal/trace/ABCD2345");
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        var png = TraceQr.Png("/portal/trace/ABCD2345");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
