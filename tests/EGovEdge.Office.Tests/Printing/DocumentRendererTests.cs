using System.Text;
using EGovEdge.Office.Printing;
using PdfSharp.Pdf;

namespace EGovEdge.Office.Tests.Printing;

/// <summary>The GB/T 9704 renderer: real PDFs from the Debian CJK fonts, read back with PDFsharp's reader.</summary>
public sealed class DocumentRendererTests
{
    private readonly GbDocumentRenderer _renderer = new();

    [Fact]
    public void Fonts_DebianTrueTypeFontsPresent()
    {
        Assert.Empty(PdfFonts.Check());
    }

    [Fact]
    public void RenderPdf_SameInputTwice_ByteIdentical()
    {
        var a = _renderer.RenderPdf(PrintingSamples.Notice());
        var b = new GbDocumentRenderer().RenderPdf(PrintingSamples.Notice());

        Assert.Equal(a, b);
        Assert.NotEqual(a, _renderer.RenderPdf(PrintingSamples.Notice() with { Title = "长顺县人民政府关于做好2026年冬春森林防火工作的通知（修订）" }));
    }

    [Fact]
    public void RenderPdf_Notice_A4WithEveryElementInOrder()
    {
        var pdf = _renderer.RenderPdf(PrintingSamples.Notice());

        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        using (var doc = PdfText.Open(pdf))
        {
            // Header, title and body take the first page; the signature block and colophon follow on page 2.
            Assert.Equal(2, doc.PageCount);
            Assert.Equal(595.28, doc.Pages[0].Width.Point, 1);
            Assert.Equal(841.89, doc.Pages[0].Height.Point, 1);
            Assert.Equal(new DateTime(2026, 11, 28), doc.Info.CreationDate.Date);
            var fonts = doc.Pages[0].Resources.Elements.GetDictionary("/Font")!;
            var baseFonts = fonts.Elements.Keys.Select(k => fonts.Elements.GetDictionary(k)!.Elements.GetName("/BaseFont")).ToList();
            Assert.Contains(baseFonts, f => f.EndsWith("+AR PL SungtiL GB", StringComparison.Ordinal));
        }
        var text = string.Concat(PdfText.Pages(pdf));
        string[] inOrder =
        [
            "000123", "特急", "长顺县人民政府文件", "长府发〔2026〕12号", "长顺县人民政府关于做好2026年冬春森林防火工作的通知",
            "各乡镇人民政府、县直各部门：", "冬春季节是森林火灾易发期", "一、提高思想认识", "附件：1．长顺县森林防火责任分解表",
            "2．森林火灾应急处置流程", "长顺县人民政府", "2026年11月27日", "（此件公开发布）", "抄送：县委办公室，县人大常委会办公室，县政协办公室。",
            "长顺县人民政府办公室", "2026年11月28日印发", "— 2 —",
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
    public void RenderPdf_LongBody_PaginatesWithPageNumbers()
    {
        var one = _renderer.RenderPdf(PrintingSamples.Short());
        var pdf = _renderer.RenderPdf(PrintingSamples.Notice(PrintingSamples.LongBody(30)));

        var pages = PdfText.Pages(pdf);
        Assert.Single(PdfText.Pages(one));
        Assert.True(pages.Count >= 4, $"{pages.Count} pages");
        for (var i = 0; i < pages.Count; i++) Assert.Contains($"— {i + 1} —", pages[i], StringComparison.Ordinal);
        // Every paragraph is printed once, in order, across the pages.
        var all = string.Concat(pages);
        for (var i = 1; i <= 30; i++) Assert.Contains($"{i}．各乡镇要建立健全", all, StringComparison.Ordinal);
        // The signature block shares its page with body text, and the colophon is on the last page.
        Assert.Contains("2026年11月27日", pages[^1], StringComparison.Ordinal);
        Assert.Contains("印发", pages[^1], StringComparison.Ordinal);
        Assert.Contains("森林火灾应急处置流程", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void RenderPdf_Minutes_NoSealPositionNoSignature()
    {
        var (pdf, seal) = _renderer.Render(PrintingSamples.Notice() with
        {
            OrganBanner = "长顺县人民政府常务会议纪要", IsMinutes = true, DocNumber = null, AttachmentTitles = [], Note = null,
        });

        Assert.Null(seal);
        var text = PdfText.Pages(pdf)[0];
        Assert.Contains("长顺县人民政府常务会议纪要", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026年11月27日", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Notice_SealPositionOverSignatureBlock()
    {
        var (pdf, seal) = _renderer.Render(PrintingSamples.Short());

        Assert.Single(PdfText.Pages(pdf));
        Assert.NotNull(seal);
        Assert.Equal(0, seal.Page);
        Assert.InRange(seal.CenterXmm, 28 + 156 / 2.0, 28 + 156);
        Assert.InRange(seal.CenterYmm, 37, 37 + 225);
    }

    [Fact]
    public void RenderPdf_Upward_NumberLeftAndSigner()
    {
        var text = PdfText.Pages(_renderer.RenderPdf(PrintingSamples.Notice() with { Upward = true, Signers = ["张三"], Title = "长顺县人民政府关于申请道路维修资金的请示" }))[0];

        Assert.Contains("长府发〔2026〕12号", text, StringComparison.Ordinal);
        Assert.Contains("签发人：张三", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChineseDate_NoLeadingZeros()
    {
        Assert.Equal("2026年1月5日", GbDocumentRenderer.ChineseDate(new DateOnly(2026, 1, 5)));
        Assert.Equal("2026年11月27日", GbDocumentRenderer.ChineseDate(new DateOnly(2026, 11, 27)));
    }

    [Fact]
    public void FontCheck_MissingOrNotTrueType_NamesFontAndPackage()
    {
        var dir = Directory.CreateTempSubdirectory("egov-fonts-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "gkai00mp.ttf"), "OTTO\0\0\0\0\0\0\0\0"u8.ToArray()); // CFF outlines: unusable
            var problems = PdfFonts.CheckDirectory(dir);

            Assert.Equal(2, problems.Count);
            Assert.Contains("fonts-arphic-gbsn00lp", problems[0], StringComparison.Ordinal);
            Assert.Contains("missing", problems[0], StringComparison.Ordinal);
            Assert.Contains("no TrueType outlines", problems[1], StringComparison.Ordinal);
            Assert.Empty(PdfFonts.CheckDirectory("/usr/share/fonts/truetype/arphic-gbsn00lp") is var song && song.Count == 1 ? [] : song);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>The sealed copy: the seal drawn on a copy at the reserved position; the original stays as it was.</summary>
public sealed class SealStampTests
{
    [Fact]
    public void Stamp_DrawsSealOnACopy_OriginalUnchanged()
    {
        var renderer = new GbDocumentRenderer();
        var (pdf, position) = renderer.Render(PrintingSamples.Short());
        var original = (byte[])pdf.Clone();

        var stamped = SealStamp.Stamp(pdf, position!, "长顺县人民政府", "公章");

        Assert.Equal(original, pdf);
        Assert.NotEqual(pdf, stamped);
        var text = Assert.Single(PdfText.Pages(stamped));
        Assert.Contains("公章", text, StringComparison.Ordinal);
        foreach (var ch in "长顺县人民政府") Assert.Contains(ch.ToString(), text, StringComparison.Ordinal);
        Assert.Equal(original, renderer.RenderPdf(PrintingSamples.Short()));
    }
}

public sealed class MissingCharacterTests
{
    [Fact]
    public void MissingCharacters_CommonTextNone_RareCharacterNamed()
    {
        Assert.Empty(GbDocumentRenderer.MissingCharacters(PrintingSamples.Notice()));

        var missing = GbDocumentRenderer.MissingCharacters(PrintingSamples.Notice() with { MainRecipients = ["𠀀村民委员会"] });

        Assert.Equal(["𠀀"], missing);
    }
}
