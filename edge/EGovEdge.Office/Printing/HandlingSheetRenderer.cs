using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EGovEdge.Office.Localization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace EGovEdge.Office.Printing;

/// <summary>One workflow step as printed on the sheet: the step's Chinese name, who handled it, when, where, the opinion.</summary>
public sealed record HandlingSheetEntry(string Name, string Actor, DateTimeOffset AtUtc, string Node, string? Opinion);

/// <summary>
/// What the handling sheet shows: 发文稿纸 for an outgoing document, 收文处理单 for an incoming one, with the document's
/// header facts and every workflow step in order.
/// </summary>
public sealed record HandlingSheetDocument
{
    public required bool Incoming { get; init; }
    /// <summary>发文机关 (outgoing) or 来文机关 (incoming).</summary>
    public required string Organ { get; init; }
    public string? Number { get; init; }
    public required string Title { get; init; }
    /// <summary>密级; shown as 无 when empty.</summary>
    public string? Secrecy { get; init; }
    public string? Urgency { get; init; }
    /// <summary>成文日期 as yyyy-MM-dd (shown as 2026年11月27日).</summary>
    public string? DateWritten { get; init; }
    /// <summary>档号.</summary>
    public string? ArchivalCode { get; init; }
    public required IReadOnlyList<HandlingSheetEntry> Steps { get; init; }

    public string SheetTitle => Incoming ? "收文处理单" : "发文稿纸";
}

/// <summary>
/// Renders a <see cref="HandlingSheetDocument"/> with PDFsharp and the fonts of <see cref="PdfFonts"/> (a missing font is
/// an error naming its Debian package, never a substitution): A4, the sheet's title, a ruled header block and a ruled
/// table of the steps (环节, 办理人, 时间 in China time, 节点, 意见) whose cells break Chinese text with
/// <see cref="ChineseLineBreaker"/>; rows flow onto further pages under a repeated table header; "— 1 —" page numbers.
/// The same sheet always gives the same bytes (document id, font subset tags and XMP ids derived from the content).
/// </summary>
public sealed class HandlingSheetRenderer
{
    private const double PageWidthMm = 210, PageHeightMm = 297, MarginMm = 20, BottomMm = 25;
    private const double TitleSize = 22, CellSize = 10.5, PageNumberSize = 12;

    /// <summary>Column titles and widths (mm) of the step table; the widths add up to the 170 mm text width.</summary>
    private static readonly (string Title, double WidthMm)[] Columns = [("环节", 20), ("办理人", 24), ("时间", 31), ("节点", 27), ("意见", 68)];

    public byte[] Render(HandlingSheetDocument sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        PdfFonts.EnsureReady();
        var layout = new Layout(sheet);
        layout.Run();
        var stamp = DateOnly.TryParseExact(sheet.DateWritten, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var written)
            ? written.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
            : new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return PdfDeterminism.Write(sheet.SheetTitle + "：" + sheet.Title, stamp, DocumentId(sheet), layout.Pages);
    }

    /// <summary>A step's time as printed: China time, yyyy-MM-dd HH:mm.</summary>
    public static string TimeOf(DateTimeOffset utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static double Pt(double mm) => mm * 72 / 25.4;

    private static string DocumentId(HandlingSheetDocument s)
    {
        var sb = new StringBuilder("handling-sheet|");
        void Add(string? v) => sb.Append(v?.Length ?? -1).Append(':').Append(v).Append('|');
        Add(s.Incoming ? "in" : "out"); Add(s.Organ); Add(s.Number); Add(s.Title); Add(s.Secrecy); Add(s.Urgency); Add(s.DateWritten); Add(s.ArchivalCode);
        foreach (var e in s.Steps)
        {
            Add(e.Name); Add(e.Actor); Add(e.AtUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)); Add(e.Node); Add(e.Opinion);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())).AsSpan(0, 16));
    }

    private sealed class Layout(HandlingSheetDocument sheet)
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private static readonly double Left = Pt(MarginMm), Right = Pt(PageWidthMm - MarginMm), Top = Pt(MarginMm), Bottom = Pt(PageHeightMm - BottomMm);
        private static readonly double Pad = Pt(1.5), LineHeight = CellSize * 1.45;
        private static readonly XPen Rule = new(XColors.Black, 0.6);
        private readonly XGraphics _measure = XGraphics.CreateMeasureContext(new XSize(Pt(PageWidthMm), Pt(PageHeightMm)), XGraphicsUnit.Point, XPageDirection.Downwards);
        private readonly XFont _title = new(PdfFonts.Song, TitleSize, XFontStyleEx.Regular, Unicode);
        private readonly XFont _cell = new(PdfFonts.Song, CellSize, XFontStyleEx.Regular, Unicode);
        private readonly XFont _pageNumber = new(PdfFonts.Song, PageNumberSize, XFontStyleEx.Regular, Unicode);
        private double _y;
        private int _rowsOnPage;

        public List<List<Action<XGraphics>>> Pages { get; } = [[]];

        private List<Action<XGraphics>> Page => Pages[^1];

        public void Run()
        {
            // Title, centred.
            var titleWidth = Width(sheet.SheetTitle, _title);
            var titleBaseline = Top + TitleSize;
            Draw(sheet.SheetTitle, Left + (Right - Left - titleWidth) / 2, titleBaseline, _title);
            _y = titleBaseline + Pt(6);

            // Header block: label | value | label | value, the title over the full width.
            var label = Pt(24);
            var value = (Right - Left - 2 * label) / 2;
            double[] four = [label, value, label, value];
            double[] two = [label, Right - Left - label];
            Row(four, [sheet.Incoming ? "来文机关" : "发文机关", sheet.Organ, "发文字号", sheet.Number ?? ""], centredColumns: [0, 2]);
            Row(two, ["标题", sheet.Title], centredColumns: [0]);
            Row(four, ["密级", string.IsNullOrWhiteSpace(sheet.Secrecy) ? "无" : sheet.Secrecy.Trim(), "紧急程度", sheet.Urgency ?? ""], centredColumns: [0, 2]);
            Row(four, ["成文日期", DateText(sheet.DateWritten), "档号", sheet.ArchivalCode ?? ""], centredColumns: [0, 2]);
            _y += Pt(5);

            // The step table, its header repeated on every page.
            TableHeader();
            var widths = Columns.Select(c => Pt(c.WidthMm)).ToArray();
            foreach (var step in sheet.Steps)
            {
                StepRow(widths, [step.Name, step.Actor, TimeOf(step.AtUtc), step.Node, step.Opinion ?? ""]);
            }
            for (var i = 0; i < Pages.Count; i++) PageNumber(Pages[i], i + 1);
        }

        private static string DateText(string? date) =>
            DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
                : date ?? "";

        private void TableHeader()
        {
            Row(Columns.Select(c => Pt(c.WidthMm)).ToArray(), Columns.Select(c => c.Title).ToArray(), centredColumns: [0, 1, 2, 3, 4]);
            _rowsOnPage = 0;
        }

        private void NewPage()
        {
            Pages.Add([]);
            _y = Top;
            TableHeader();
        }

        /// <summary>One step: moves to a new page when it does not fit; a step taller than a page is split between pages.</summary>
        private void StepRow(double[] widths, string[] cells)
        {
            var lines = Wrap(widths, cells);
            var total = lines.Max(l => l.Count);
            var capacity = (int)Math.Floor((Bottom - Top - RowHeight(1) - 2 * Pad) / LineHeight);
            var offset = 0;
            while (offset < total)
            {
                var left = total - offset;
                var fit = (int)Math.Floor((Bottom - _y - 2 * Pad) / LineHeight);
                if (fit >= left)
                {
                    Cells(widths, lines, offset, left, []);
                    return;
                }
                if ((_rowsOnPage > 0 && left <= capacity) || fit < 1)
                {
                    NewPage();
                    continue;
                }
                Cells(widths, lines, offset, fit, []);
                offset += fit;
                NewPage();
            }
        }

        private void Row(double[] widths, string[] cells, int[] centredColumns) =>
            Cells(widths, Wrap(widths, cells), 0, int.MaxValue, centredColumns);

        private List<IReadOnlyList<string>> Wrap(double[] widths, string[] cells)
        {
            var lines = new List<IReadOnlyList<string>>();
            for (var i = 0; i < cells.Length; i++)
            {
                var inner = widths[i] - 2 * Pad;
                var cell = new List<string>();
                foreach (var paragraph in cells[i].Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
                {
                    cell.AddRange(ChineseLineBreaker.Break(paragraph, inner, t => _measure.MeasureString(t, _cell).Width));
                }
                lines.Add(cell);
            }
            return lines;
        }

        private static double RowHeight(int lines) => lines * LineHeight + 2 * Pad;

        /// <summary>Draws lines [offset, offset + count) of each cell as one ruled row at the cursor and moves the cursor below it.</summary>
        private void Cells(double[] widths, List<IReadOnlyList<string>> lines, int offset, int count, int[] centredColumns)
        {
            var shown = Math.Max(1, lines.Max(l => Math.Min(count, Math.Max(0, l.Count - offset))));
            var top = _y;
            var bottom = top + RowHeight(shown);
            var x = Left;
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = lines[i];
                for (var k = 0; k < shown && offset + k < cell.Count; k++)
                {
                    var text = cell[offset + k];
                    var at = centredColumns.Contains(i) ? x + (widths[i] - Width(text, _cell)) / 2 : x + Pad;
                    Draw(text, at, top + Pad + LineHeight * k + CellSize * 1.05, _cell);
                }
                x += widths[i];
            }
            var page = Page;
            var rowLeft = Left;
            var rowRight = x;
            page.Add(g => g.DrawRectangle(Rule, rowLeft, top, rowRight - rowLeft, bottom - top));
            x = Left;
            for (var i = 0; i < widths.Length - 1; i++)
            {
                x += widths[i];
                var at = x;
                page.Add(g => g.DrawLine(Rule, at, top, at, bottom));
            }
            _y = bottom;
            _rowsOnPage++;
        }

        private void Draw(string text, double x, double baseline, XFont font)
        {
            if (text.Length == 0) return;
            Page.Add(g => g.DrawString(text, font, XBrushes.Black, x, baseline, XStringFormats.BaseLineLeft));
        }

        private void PageNumber(List<Action<XGraphics>> page, int number)
        {
            var text = $"— {number} —";
            var width = _measure.MeasureString(text, _pageNumber).Width;
            var y = Pt(PageHeightMm - BottomMm + 10);
            var x = Left + (Right - Left - width) / 2;
            page.Add(g => g.DrawString(text, _pageNumber, XBrushes.Black, x, y, XStringFormats.BaseLineLeft));
        }

        private double Width(string text, XFont font) => _measure.MeasureString(text, font).Width;
    }
}
