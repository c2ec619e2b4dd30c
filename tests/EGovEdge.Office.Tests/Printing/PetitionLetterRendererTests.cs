using System.Text;
using EGovEdge.Office.Printing;

namespace EGovEdge.Office.Tests.Printing;

/// <summary>The letter renderer of petition notices: deterministic bytes, the expected text in order, Chinese-numeral dates.</summary>
public sealed class PetitionLetterRendererTests
{
    internal static PetitionLetter Sample() => new()
    {
        Organ = "长顺县信访局",
        Title = "信访事项受理告知书",
        Number = "长信访受〔2026〕12号",
        Addressee = "李四",
        Body = "您于2026年11月27日以来信形式提出的信访事项（登记编号：长顺12345-2026-000001），经审查，符合受理条件，本机关决定予以受理。\n本机关将自受理之日起六十日内办结。",
        LegalBasis = "根据《信访工作条例》的规定，特此告知。",
        IssuedBy = "长顺县信访局",
        Date = new DateOnly(2026, 11, 27),
    };

    [Theory]
    [InlineData(2026, 11, 27, "二〇二六年十一月二十七日")]
    [InlineData(2026, 1, 5, "二〇二六年一月五日")]
    [InlineData(2030, 10, 10, "二〇三〇年十月十日")]
    [InlineData(2027, 12, 20, "二〇二七年十二月二十日")]
    [InlineData(2026, 2, 31 - 3, "二〇二六年二月二十八日")]
    public void ChineseNumeralDate_writes_the_date_of_a_notice(int y, int m, int d, string expected) =>
        Assert.Equal(expected, PetitionLetterRenderer.ChineseNumeralDate(new DateOnly(y, m, d)));

    [Fact]
    public void Render_same_letter_twice_gives_the_same_bytes_and_a_change_changes_them()
    {
        var a = new PetitionLetterRenderer().Render(Sample());
        var b = new PetitionLetterRenderer().Render(Sample());
        Assert.Equal(a, b);
        Assert.NotEqual(a, new PetitionLetterRenderer().Render(Sample() with { Number = "长信访受〔2026〕13号" }));
    }

    [Fact]
    public void Render_letter_is_A4_with_heading_number_addressee_body_basis_issuer_and_date_in_order()
    {
        var pdf = new PetitionLetterRenderer().Render(Sample());
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        using (var doc = PdfText.Open(pdf))
        {
            Assert.Equal(1, doc.PageCount);
            Assert.Equal(595.28, doc.Pages[0].Width.Point, 1);
            Assert.Equal(841.89, doc.Pages[0].Height.Point, 1);
        }
        var text = string.Concat(PdfText.Pages(pdf));
        string[] inOrder =
        [
            "长顺县信访局", "长信访受〔2026〕12号", "信访事项受理告知书", "李四：", "符合受理条件", "六十日内办结", "《信访工作条例》",
            "长顺县信访局", "二○二六年十一月二十七日", "— 1 —",
        ];
        var at = 0;
        foreach (var part in inOrder)
        {
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' missing after position {at} in: {text}");
            at = found + part.Length;
        }
    }

    [Fact]
    public void Render_long_body_flows_onto_a_second_page()
    {
        var body = string.Join("\n", Enumerable.Repeat("经调查核实，该村征地补偿款已按照县人民政府批准的方案足额拨付到村集体账户，村民小组应当依法分配。", 30));
        var pdf = new PetitionLetterRenderer().Render(Sample() with { Body = body });
        using var doc = PdfText.Open(pdf);
        Assert.True(doc.PageCount >= 2);
        Assert.Contains("二○二六年十一月二十七日", PdfText.Pages(pdf)[^1], StringComparison.Ordinal);
    }
}
