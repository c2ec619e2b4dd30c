using System.Security.Cryptography;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace EGovEdge.Office.Printing;

/// <summary>Where the seal goes on the rendered document: page (0-based) and centre in millimetres from the top-left corner.</summary>
public sealed record SealPosition(int Page, double CenterXmm, double CenterYmm, double DiameterMm);

/// <summary>
/// GB/T 9704-2012 layout with PDFsharp: A4, a 156 mm × 225 mm text area (天头 37 mm, 订口 28 mm) on a grid of 22 lines ×
/// 28 characters; red 发文机关标志, 发文字号 and red separator line, 2号 title, 主送机关, 3号 body, 附件说明, 署名 and
/// 成文日期 with room for the seal, 附注, the colophon (抄送, 印发机关 and 印发日期 between rules) and "— 1 —" page numbers.
/// The same input always gives the same bytes: dates come from <see cref="PrintableDocument.PrintedDate"/> and the
/// document id from a hash of the content.
/// </summary>
public sealed partial class GbDocumentRenderer : IDocumentRenderer
{
    public const double PageWidthMm = 210, PageHeightMm = 297, TopMm = 37, LeftMm = 28, AreaWidthMm = 156, AreaHeightMm = 225;
    public const int LinesPerPage = 22, CharsPerLine = 28;
    public const double SealDiameterMm = 42;
    private const double LinePitchMm = AreaHeightMm / LinesPerPage;
    private const double BodySize = 16, TitleSize = 22, PageNumberSize = 14;
    private static readonly double CharPitch = Pt(AreaWidthMm / CharsPerLine);
    private static readonly XColor Red = XColor.FromArgb(230, 0, 18);

    public byte[] RenderPdf(PrintableDocument document) => Render(document).Pdf;

    /// <summary>Renders the PDF and tells where the seal belongs (null for 纪要, which carries none).</summary>
    public (byte[] Pdf, SealPosition? Seal) Render(PrintableDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        PdfFonts.EnsureReady();
        var layout = new Layout(document);
        layout.Run();
        var stamp = document.PrintedDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return (PdfDeterminism.Write(document.Title, stamp, DocumentId(document), layout.Pages), layout.Seal);
    }

    /// <summary>
    /// Characters of the document the fonts cannot draw (e.g. rare characters outside GB 2312), which would print as
    /// empty boxes: the workflow shows them before 印制 so the clerk can fix the text. Empty when everything prints.
    /// </summary>
    public static IReadOnlyList<string> MissingCharacters(PrintableDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        PdfFonts.EnsureReady();
        var song = new XFont(PdfFonts.Song, BodySize, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
        var kai = new XFont(PdfFonts.Kai, BodySize, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
        var missing = new List<string>();
        void Check(string? text, XFont font)
        {
            foreach (var rune in (text ?? "").EnumerateRunes())
            {
                if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune)) continue;
                if (PdfSharp.Fonts.GlyphHelper.GlyphIndexFromCodePoint(rune.Value, font) == 0 && !missing.Contains(rune.ToString())) missing.Add(rune.ToString());
            }
        }
        foreach (var text in new[] { document.CopyNumber, document.Urgency, document.OrganBanner, document.DocNumber, document.Title, document.Body,
                     document.SignatureOrgan, document.Note, document.PrintedBy, "签发人：附件：抄送：印发年月日（）—0123456789" }
                     .Concat(document.MainRecipients).Concat(document.AttachmentTitles).Concat(document.CopyTo))
        {
            Check(text, song);
        }
        foreach (var signer in document.Signers) Check(signer, kai);
        return missing;
    }

    /// <summary>成文日期 / 印发日期 as GB/T 9704-2012 prints them: Arabic numerals, year in full, no leading zeros.</summary>
    public static string ChineseDate(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    private static double Pt(double mm) => mm * 72 / 25.4;

    /// <summary>A deterministic 16-byte document id from the content (PDF trailer /ID).</summary>
    private static string DocumentId(PrintableDocument d)
    {
        var sb = new StringBuilder();
        void Add(string? s) => sb.Append(s?.Length ?? -1).Append(':').Append(s).Append('|');
        Add(d.CopyNumber); Add(d.Urgency); Add(d.OrganBanner); Add(d.DocNumber); Add(string.Join('\u001f', d.Signers));
        Add(d.Title); Add(string.Join('\u001f', d.MainRecipients)); Add(d.Body); Add(string.Join('\u001f', d.AttachmentTitles));
        Add(d.SignatureOrgan); Add(ChineseDate(d.DateWritten)); Add(d.Note); Add(string.Join('\u001f', d.CopyTo));
        Add(d.PrintedBy); Add(ChineseDate(d.PrintedDate)); Add(d.IsMinutes ? "1" : "0"); Add(d.Upward ? "1" : "0");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>One laid-out line of the flowing part (主送机关, body, 附件说明): drawn at a baseline given later.</summary>
    private sealed record FlowLine(List<(string Token, double X, XFont Font)> Glyphs);

    private sealed class Layout(PrintableDocument doc)
    {
        private readonly XGraphics _measure = XGraphics.CreateMeasureContext(new XSize(Pt(PageWidthMm), Pt(PageHeightMm)), XGraphicsUnit.Point, XPageDirection.Downwards);
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private readonly XFont _body = new(PdfFonts.Song, BodySize, XFontStyleEx.Regular, Unicode);
        private readonly XFont _kai = new(PdfFonts.Kai, BodySize, XFontStyleEx.Regular, Unicode);
        private readonly XFont _title = new(PdfFonts.Song, TitleSize, XFontStyleEx.Regular, Unicode);
        private readonly XFont _pageNumber = new(PdfFonts.Song, PageNumberSize, XFontStyleEx.Regular, Unicode);
        private static readonly double AreaLeft = Pt(LeftMm), AreaRight = Pt(LeftMm + AreaWidthMm), AreaWidth = Pt(AreaWidthMm);

        public List<List<Action<XGraphics>>> Pages { get; } = [[]];

        public SealPosition? Seal { get; private set; }

        private List<Action<XGraphics>> Page => Pages[^1];

        public void Run()
        {
            var firstLine = Header();
            var flow = Flow();
            var tail = Tail();
            // Paginate the flow on the 22-line grid; the signature block must share its page with some text
            // (no "blank seal"), so the last line moves down with it when the block does not fit.
            var placed = new List<(int Page, int Line, FlowLine Flow)>();
            int page = 0, line = firstLine;
            foreach (var f in flow)
            {
                if (line >= LinesPerPage) { page++; line = 0; }
                if (line == 0 && page > 0 && f.Glyphs.Count == 0) continue; // no blank line at the top of a page
                placed.Add((page, line++, f));
            }
            if (tail > 0 && line + tail > LinesPerPage)
            {
                if (placed.Count > 0 && placed[^1].Line > 0 && line <= LinesPerPage)
                {
                    var last = placed[^1];
                    placed[^1] = (last.Page + 1, 0, last.Flow);
                    page = last.Page + 1;
                    line = 1;
                }
                else
                {
                    page++;
                    line = 0;
                }
            }
            while (Pages.Count <= page) Pages.Add([]);
            foreach (var (p, l, f) in placed) DrawFlow(Pages[p], f, Baseline(l));
            line = SignatureBlock(Pages[page], page, line);
            Colophon(line);
            for (var i = 0; i < Pages.Count; i++) PageNumber(Pages[i], i + 1);
        }

        // ---- 版头 -------------------------------------------------------------------------------------------------

        /// <summary>Lays out the header and title; returns the grid line where 主送机关 starts.</summary>
        private int Header()
        {
            var line = 0;
            if (!string.IsNullOrEmpty(doc.CopyNumber)) Text(Page, doc.CopyNumber, AreaLeft, Baseline(line++), _body, XBrushes.Black);
            if (doc.Urgency is "加急" or "特急") Text(Page, doc.Urgency, AreaLeft, Baseline(line++), _body, XBrushes.Black);

            var bannerTop = Pt(TopMm + (doc.Upward ? 80 : 35));
            var n = Math.Max(1, ChineseLineBreaker.Tokens(doc.OrganBanner).Count);
            var size = Math.Min(Pt(15), AreaWidth / n);
            var banner = new XFont(PdfFonts.Song, size, XFontStyleEx.Regular, Unicode);
            var red = new XSolidBrush(Red);
            var width = Width(doc.OrganBanner, banner, size);
            Text(Page, doc.OrganBanner, AreaLeft + (AreaWidth - width) / 2, bannerTop + size * 0.88, banner, red, size);
            var y = bannerTop + size;

            // 发文字号: two lines below the banner, centred (上行文: left, with 签发人 on the right).
            y += Pt(LinePitchMm) * 2;
            if (!string.IsNullOrEmpty(doc.DocNumber) || doc.Signers.Count > 0)
            {
                var number = doc.DocNumber ?? "";
                if (doc.Upward)
                {
                    Text(Page, number, AreaLeft + CharPitch, y, _body, XBrushes.Black);
                    var names = string.Join("　", doc.Signers);
                    var namesWidth = Width(names, _kai, CharPitch);
                    var label = "签发人：";
                    var right = AreaRight - CharPitch;
                    Text(Page, label, right - namesWidth - Width(label, _body, CharPitch), y, _body, XBrushes.Black);
                    Text(Page, names, right - namesWidth, y, _kai, XBrushes.Black);
                }
                else
                {
                    Text(Page, number, AreaLeft + (AreaWidth - Width(number, _body, CharPitch)) / 2, y, _body, XBrushes.Black);
                }
                y += Pt(1.5);
            }
            // Red separator line 4 mm below the number, as wide as the text area.
            var rule = y + Pt(4);
            Page.Add(g => g.DrawLine(new XPen(Red, Pt(0.5)), AreaLeft, rule, AreaRight, rule));

            // Title: two lines below the separator, centred, 2号.
            var titleBaseline = rule + Pt(LinePitchMm) * 2;
            foreach (var t in ChineseLineBreaker.Break(doc.Title, AreaWidth - 2 * TitleSize, s => Advance(s, _title, TitleSize)))
            {
                var w = Width(t, _title, TitleSize);
                var b = titleBaseline;
                Text(Page, t, AreaLeft + (AreaWidth - w) / 2, b, _title, XBrushes.Black, TitleSize);
                titleBaseline += Pt(LinePitchMm);
            }
            var lastTitle = titleBaseline - Pt(LinePitchMm);
            // The grid line holding the last title line, then one blank line.
            var gridLine = (int)Math.Ceiling((lastTitle - Pt(TopMm)) / Pt(LinePitchMm)) - 1;
            return gridLine + 2;
        }

        // ---- 主体 -------------------------------------------------------------------------------------------------

        private List<FlowLine> Flow()
        {
            var lines = new List<FlowLine>();
            if (doc.MainRecipients.Count > 0) lines.AddRange(Paragraph(string.Join("、", doc.MainRecipients) + "：", 0, 0));
            foreach (var raw in doc.Body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                var p = raw.Trim().Trim('\u3000');
                if (p.Length > 0) lines.AddRange(Paragraph(p, 2 * CharPitch, 0));
            }
            if (doc.AttachmentTitles.Count > 0)
            {
                lines.Add(new FlowLine([]));
                const string label = "附件：";
                var labelWidth = Width(label, _body, CharPitch);
                for (var i = 0; i < doc.AttachmentTitles.Count; i++)
                {
                    var number = doc.AttachmentTitles.Count == 1 ? "" : $"{i + 1}．";
                    var numberWidth = Width(number, _body, CharPitch);
                    var hang = 2 * CharPitch + labelWidth + numberWidth;
                    var item = Paragraph(doc.AttachmentTitles[i], hang, hang);
                    var first = item[0].Glyphs;
                    if (i == 0) first.Insert(0, (label, AreaLeft + 2 * CharPitch, _body));
                    if (number.Length > 0) first.Insert(i == 0 ? 1 : 0, (number, AreaLeft + 2 * CharPitch + labelWidth, _body));
                    lines.AddRange(item);
                }
            }
            return lines;
        }

        /// <summary>A paragraph broken on the grid: the first line indented by <paramref name="first"/>, the others by <paramref name="rest"/> (points).</summary>
        private List<FlowLine> Paragraph(string text, double first, double rest)
        {
            var result = new List<FlowLine>();
            var broken = ChineseLineBreaker.Break(text, AreaWidth - rest, s => Advance(s, _body, CharPitch), first - rest);
            for (var i = 0; i < broken.Count; i++)
            {
                var x = AreaLeft + (i == 0 ? first : rest);
                var glyphs = new List<(string, double, XFont)>();
                foreach (var token in ChineseLineBreaker.Tokens(broken[i]))
                {
                    glyphs.Add((token, x, _body));
                    x += Advance(token, _body, CharPitch);
                }
                result.Add(new FlowLine(glyphs));
            }
            return result;
        }

        /// <summary>Lines the block after the flow needs: blank lines for the seal, 署名, 成文日期, 附注.</summary>
        private int Tail() => (doc.IsMinutes ? 0 : 4) + (string.IsNullOrWhiteSpace(doc.Note) ? 0 : 1);

        private int SignatureBlock(List<Action<XGraphics>> page, int pageIndex, int line)
        {
            if (!doc.IsMinutes)
            {
                var date = ChineseDate(doc.DateWritten);
                var dateWidth = Width(date, _body, CharPitch);
                var organWidth = Width(doc.SignatureOrgan, _body, CharPitch);
                double center;
                if (organWidth > dateWidth) center = AreaRight - 2 * CharPitch - organWidth / 2; // 署名右空二字，日期居中
                else center = AreaRight - 4 * CharPitch - dateWidth / 2;                          // 日期右空四字，署名居中
                Text(page, doc.SignatureOrgan, center - organWidth / 2, Baseline(line + 2), _body, XBrushes.Black);
                Text(page, date, center - dateWidth / 2, Baseline(line + 3), _body, XBrushes.Black);
                // The seal presses on 署名 and 日期, which sit below its centre; its top stays within one line of the text.
                var centerY = TopMm + LinePitchMm * (line + 2) + LinePitchMm * 0.3;
                Seal = new SealPosition(pageIndex, center * 25.4 / 72, centerY, SealDiameterMm);
                line += 4;
            }
            if (!string.IsNullOrWhiteSpace(doc.Note))
            {
                var note = doc.Note.Trim();
                if (!note.StartsWith('（')) note = "（" + note + "）";
                Text(page, note, AreaLeft + 2 * CharPitch, Baseline(line++), _body, XBrushes.Black);
            }
            return line;
        }

        // ---- 版记 -------------------------------------------------------------------------------------------------

        private void Colophon(int usedLines)
        {
            var copy = new List<FlowLine>();
            if (doc.CopyTo.Count > 0)
            {
                const string label = "抄送：";
                var labelWidth = Width(label, _body, CharPitch);
                copy = Paragraph(string.Join("，", doc.CopyTo) + "。", CharPitch + labelWidth, CharPitch + labelWidth);
                copy[0].Glyphs.Insert(0, (label, AreaLeft + CharPitch, _body));
                // Right margin of one character: re-break when a line would touch it.
            }
            var count = copy.Count + 1;
            if (usedLines > LinesPerPage - count) Pages.Add([]);
            var page = Page;
            var first = LinesPerPage - count;
            var thick = new XPen(XColors.Black, Pt(0.35));
            var thin = new XPen(XColors.Black, Pt(0.25));
            var top = Pt(TopMm + LinePitchMm * first);
            page.Add(g => g.DrawLine(thick, AreaLeft, top, AreaRight, top));
            for (var i = 0; i < copy.Count; i++) DrawFlow(page, copy[i], Baseline(first + i));
            if (copy.Count > 0)
            {
                var between = Pt(TopMm + LinePitchMm * (LinesPerPage - 1));
                page.Add(g => g.DrawLine(thin, AreaLeft, between, AreaRight, between));
            }
            var printed = ChineseDate(doc.PrintedDate) + "印发";
            Text(page, doc.PrintedBy, AreaLeft + CharPitch, Baseline(LinesPerPage - 1), _body, XBrushes.Black);
            Text(page, printed, AreaRight - CharPitch - Width(printed, _body, CharPitch), Baseline(LinesPerPage - 1), _body, XBrushes.Black);
            var bottom = Pt(TopMm + AreaHeightMm);
            page.Add(g => g.DrawLine(thick, AreaLeft, bottom, AreaRight, bottom));
        }

        private void PageNumber(List<Action<XGraphics>> page, int number)
        {
            var text = $"— {number} —";
            var width = _measure.MeasureString(text, _pageNumber).Width;
            var y = Pt(TopMm + AreaHeightMm + 7) + PageNumberSize * 0.85;
            // Odd pages: right, one character in; even pages: left, one character in.
            var x = number % 2 == 1 ? AreaRight - PageNumberSize - width : AreaLeft + PageNumberSize;
            page.Add(g => g.DrawString(text, _pageNumber, XBrushes.Black, x, y, XStringFormats.BaseLineLeft));
        }

        // ---- helpers ----------------------------------------------------------------------------------------------

        private static double Baseline(int gridLine) => Pt(TopMm + LinePitchMm * (gridLine + 1) - LinePitchMm * 0.3);

        private static void DrawFlow(List<Action<XGraphics>> page, FlowLine line, double baseline)
        {
            foreach (var (token, x, font) in line.Glyphs)
            {
                page.Add(g => g.DrawString(token, font, XBrushes.Black, x, baseline, XStringFormats.BaseLineLeft));
            }
        }

        /// <summary>Draws text on the character grid: each CJK character takes one pitch, other runs their natural width.</summary>
        private void Text(List<Action<XGraphics>> page, string text, double x, double baseline, XFont font, XBrush brush, double? pitch = null)
        {
            var p = pitch ?? CharPitch;
            foreach (var token in ChineseLineBreaker.Tokens(text))
            {
                var at = x;
                page.Add(g => g.DrawString(token, font, brush, at, baseline, XStringFormats.BaseLineLeft));
                x += Advance(token, font, p);
            }
        }

        private double Width(string text, XFont font, double pitch) => ChineseLineBreaker.Tokens(text).Sum(t => Advance(t, font, pitch));

        private double Advance(string token, XFont font, double pitch) =>
            token.Length == 1 && token[0] >= '\u2E80' ? pitch : _measure.MeasureString(token, font).Width;
    }
}
