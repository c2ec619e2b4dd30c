using System.Security.Cryptography;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace EGovEdge.Office.Printing;

/// <summary>
/// A written notice to one person in the style of an official letter (信函): the issuing organ as heading, the title,
/// the number (e.g. 长信访受〔2026〕12号), the addressee, the body paragraphs, the legal-basis sentence, the issuing body
/// and the date written in Chinese numerals (二〇二六年十一月二十七日).
/// </summary>
public sealed record PetitionLetter
{
    public required string Organ { get; init; }
    public required string Title { get; init; }
    public required string Number { get; init; }
    public required string Addressee { get; init; }
    /// <summary>Paragraphs separated by line breaks; each is indented by two characters.</summary>
    public required string Body { get; init; }
    public required string LegalBasis { get; init; }
    public required string IssuedBy { get; init; }
    public required DateOnly Date { get; init; }
}

/// <summary>
/// Renders a <see cref="PetitionLetter"/> with PDFsharp and the same Debian TrueType fonts as the GB/T 9704 renderer
/// (<see cref="PdfFonts"/>: a missing font is an error, never a substitution): A4, the GB/T 9704 text area (天头 37 mm,
/// 订口 28 mm, 156 mm wide, 22 lines of 28 characters), red organ name and rule, 2号 title, 3号 body, "— 1 —" page numbers.
/// The same letter always gives the same bytes (document id, font subset tags and XMP ids derived from the content).
/// </summary>
public sealed partial class PetitionLetterRenderer
{
    private const double PageWidthMm = 210, PageHeightMm = 297, TopMm = 37, LeftMm = 28, AreaWidthMm = 156, AreaHeightMm = 225;
    private const int LinesPerPage = 22, CharsPerLine = 28;
    private const double LinePitchMm = AreaHeightMm / LinesPerPage;
    private const double BodySize = 16, TitleSize = 22, OrganSize = 26, PageNumberSize = 14;
    private static readonly double CharPitch = Pt(AreaWidthMm / CharsPerLine);
    private static readonly XColor Red = XColor.FromArgb(230, 0, 18);

    /// <summary>二〇二六年十一月二十七日: the date as a written notice carries it (Chinese numerals, 〇 for zero).</summary>
    public static string ChineseNumeralDate(DateOnly date)
    {
        const string digits = "〇一二三四五六七八九";
        var year = string.Concat(date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => digits[c - '0']));
        return year + "年" + Small(date.Month) + "月" + Small(date.Day) + "日";

        static string Small(int n) => n switch
        {
            < 10 => digits[n].ToString(),
            10 => "十",
            < 20 => "十" + digits[n - 10],
            _ => digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString()),
        };
    }

    public byte[] Render(PetitionLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        PdfFonts.EnsureReady();
        var layout = new Layout(letter);
        layout.Run();
        return PdfDeterminism.Write(letter.Title, letter.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), DocumentId(letter), layout.Pages);
    }

    private static double Pt(double mm) => mm * 72 / 25.4;

    private static string DocumentId(PetitionLetter l)
    {
        var sb = new StringBuilder("petition-letter|");
        void Add(string? s) => sb.Append(s?.Length ?? -1).Append(':').Append(s).Append('|');
        Add(l.Organ); Add(l.Title); Add(l.Number); Add(l.Addressee); Add(l.Body); Add(l.LegalBasis); Add(l.IssuedBy); Add(ChineseNumeralDate(l.Date));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())).AsSpan(0, 16));
    }

    private sealed class Layout(PetitionLetter letter)
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private static readonly double AreaLeft = Pt(LeftMm), AreaRight = Pt(LeftMm + AreaWidthMm), AreaWidth = Pt(AreaWidthMm);
        private readonly XGraphics _measure = XGraphics.CreateMeasureContext(new XSize(Pt(PageWidthMm), Pt(PageHeightMm)), XGraphicsUnit.Point, XPageDirection.Downwards);
        private readonly XFont _body = new(PdfFonts.Song, BodySize, XFontStyleEx.Regular, Unicode);
        private readonly XFont _title = new(PdfFonts.Song, TitleSize, XFontStyleEx.Regular, Unicode);
        private readonly XFont _pageNumber = new(PdfFonts.Song, PageNumberSize, XFontStyleEx.Regular, Unicode);

        public List<List<Action<XGraphics>>> Pages { get; } = [[]];

        public void Run()
        {
            // Heading: the organ in red, centred, a red rule, then the number on the right (信函格式).
            var organBaseline = Pt(TopMm - 12);
            var organSize = Math.Min(OrganSize, AreaWidth / Math.Max(1, ChineseLineBreaker.Tokens(letter.Organ).Count));
            var organ = new XFont(PdfFonts.Song, organSize, XFontStyleEx.Regular, Unicode);
            Centered(Pages[0], letter.Organ, organBaseline, organ, new XSolidBrush(Red), organSize);
            var rule = organBaseline + Pt(5);
            Pages[0].Add(g => g.DrawLine(new XPen(Red, Pt(0.5)), AreaLeft, rule, AreaRight, rule));
            var line = 0;
            Text(Pages[0], letter.Number, AreaRight - Width(letter.Number, _body, CharPitch), Baseline(line++), _body, XBrushes.Black, CharPitch);
            line++;
            foreach (var t in ChineseLineBreaker.Break(letter.Title, AreaWidth - 2 * TitleSize, s => Advance(s, _title, TitleSize)))
            {
                Centered(Pages[0], t, Baseline(line++), _title, XBrushes.Black, TitleSize);
            }
            line++;

            var flow = new List<(string Text, double X)>();
            Paragraph(flow, letter.Addressee + "：", 0, 0);
            foreach (var raw in (letter.Body + "\n" + letter.LegalBasis).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                var p = raw.Trim().Trim('\u3000');
                if (p.Length > 0) Paragraph(flow, p, 2 * CharPitch, 0);
            }
            var page = 0;
            foreach (var (text, x) in flow)
            {
                if (line >= LinesPerPage) { Pages.Add([]); page++; line = 0; }
                Text(Pages[page], text, x, Baseline(line++), _body, XBrushes.Black, CharPitch);
            }
            // Issuing body and date: one blank line, then right-aligned with four characters to spare, date centred under the body.
            if (line + 3 > LinesPerPage) { Pages.Add([]); page++; line = 0; }
            var date = ChineseNumeralDate(letter.Date);
            var dateWidth = Width(date, _body, CharPitch);
            var organWidth = Width(letter.IssuedBy, _body, CharPitch);
            var center = organWidth > dateWidth ? AreaRight - 2 * CharPitch - organWidth / 2 : AreaRight - 4 * CharPitch - dateWidth / 2;
            Text(Pages[page], letter.IssuedBy, center - organWidth / 2, Baseline(line + 1), _body, XBrushes.Black, CharPitch);
            Text(Pages[page], date, center - dateWidth / 2, Baseline(line + 2), _body, XBrushes.Black, CharPitch);
            for (var i = 0; i < Pages.Count; i++) PageNumber(Pages[i], i + 1);
        }

        private void Paragraph(List<(string, double)> flow, string text, double first, double rest)
        {
            var broken = ChineseLineBreaker.Break(text, AreaWidth - rest, s => Advance(s, _body, CharPitch), first - rest);
            for (var i = 0; i < broken.Count; i++) flow.Add((broken[i], AreaLeft + (i == 0 ? first : rest)));
        }

        private void PageNumber(List<Action<XGraphics>> page, int number)
        {
            var text = $"— {number} —";
            var width = _measure.MeasureString(text, _pageNumber).Width;
            var y = Pt(TopMm + AreaHeightMm + 7) + PageNumberSize * 0.85;
            var x = AreaLeft + (AreaWidth - width) / 2;
            page.Add(g => g.DrawString(text, _pageNumber, XBrushes.Black, x, y, XStringFormats.BaseLineLeft));
        }

        private static double Baseline(int gridLine) => Pt(TopMm + LinePitchMm * (gridLine + 1) - LinePitchMm * 0.3);

        private void Centered(List<Action<XGraphics>> page, string text, double baseline, XFont font, XBrush brush, double pitch) =>
            Text(page, text, AreaLeft + (AreaWidth - Width(text, font, pitch)) / 2, baseline, font, brush, pitch);

        private void Text(List<Action<XGraphics>> page, string text, double x, double baseline, XFont font, XBrush brush, double pitch)
        {
            // AR PL SungtiL GB has no glyph for 〇 (U+3007, outside GB 2312): it is drawn as ○ (U+25CB, GB 2312 A1F0), as
            // printed dates commonly do, rather than as an empty box.
            if (text.Contains('〇', StringComparison.Ordinal) && PdfSharp.Fonts.GlyphHelper.GlyphIndexFromCodePoint('〇', font) == 0)
            {
                text = text.Replace('〇', '○');
            }
            foreach (var token in ChineseLineBreaker.Tokens(text))
            {
                var at = x;
                page.Add(g => g.DrawString(token, font, brush, at, baseline, XStringFormats.BaseLineLeft));
                x += Advance(token, font, pitch);
            }
        }

        private double Width(string text, XFont font, double pitch) => ChineseLineBreaker.Tokens(text).Sum(t => Advance(t, font, pitch));

        private double Advance(string token, XFont font, double pitch) =>
            token.Length == 1 && token[0] >= '\u2E80' ? pitch : _measure.MeasureString(token, font).Width;
    }
}
