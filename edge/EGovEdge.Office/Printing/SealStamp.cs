using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace EGovEdge.Office.Printing;

/// <summary>
/// Draws the seal onto a copy of a rendered PDF at the position GB/T 9704 reserves for it (red circle, unit name
/// along the upper arc, star, seal name): the "sealed copy" for viewing and printing. The sealed original stays
/// byte-identical and is what verification checks; this copy is never part of a seal's digest.
/// </summary>
public static class SealStamp
{
    private static readonly XColor Red = XColor.FromArgb(230, 0, 18);

    public static byte[] Stamp(byte[] pdf, SealPosition position, string unitName, string sealName)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(position);
        ArgumentNullException.ThrowIfNull(unitName);
        ArgumentNullException.ThrowIfNull(sealName);
        PdfFonts.EnsureReady();
        using var doc = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Modify);
        if (position.Page < 0 || position.Page >= doc.PageCount) throw new ArgumentOutOfRangeException(nameof(position), "The seal's page is not in the PDF.");
        var page = doc.Pages[position.Page];
        using (var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
        {
            Draw(gfx, Mm(position.CenterXmm), Mm(position.CenterYmm), Mm(position.DiameterMm) / 2, unitName, sealName);
        }
        using var output = new MemoryStream();
        doc.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static double Mm(double mm) => mm * 72 / 25.4;

    private static void Draw(XGraphics gfx, double cx, double cy, double r, string unitName, string sealName)
    {
        var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var red = new XSolidBrush(Red);
        gfx.DrawEllipse(new XPen(Red, r * 0.06), cx - r * 0.97, cy - r * 0.97, r * 1.94, r * 1.94);

        // Unit name along the upper arc, each character turned to the circle.
        var chars = ChineseLineBreaker.Tokens(unitName.Trim()).SelectMany(t => t.Length > 1 && t.All(char.IsAscii) ? t.Select(c => c.ToString()) : [t]).ToList();
        if (chars.Count > 0)
        {
            var size = r * (chars.Count <= 8 ? 0.3 : chars.Count <= 12 ? 0.25 : 0.2);
            var font = new XFont(PdfFonts.Song, size, XFontStyleEx.Regular, unicode);
            var baseline = r * 0.88 - size;
            var center = baseline + size / 2;
            var span = Math.Min(240.0, chars.Count * (size * 1.3) / center * 180 / Math.PI);
            for (var i = 0; i < chars.Count; i++)
            {
                var angle = chars.Count == 1 ? 0 : -span / 2 + span * i / (chars.Count - 1);
                var state = gfx.Save();
                gfx.RotateAtTransform(angle, new XPoint(cx, cy));
                gfx.DrawString(chars[i], font, red, new XRect(cx - size, cy - baseline - size, size * 2, size), XStringFormats.BottomCenter);
                gfx.Restore(state);
            }
        }

        // Five-pointed star.
        var points = new XPoint[10];
        for (var i = 0; i < 10; i++)
        {
            var radius = i % 2 == 0 ? r * 0.28 : r * 0.11;
            var rad = (i * 36 - 90) * Math.PI / 180;
            points[i] = new XPoint(cx + radius * Math.Cos(rad), cy + radius * Math.Sin(rad));
        }
        gfx.DrawPolygon(red, points, XFillMode.Winding);

        if (sealName.Length > 0)
        {
            var nameFont = new XFont(PdfFonts.Song, r * 0.2, XFontStyleEx.Regular, unicode);
            gfx.DrawString(sealName, nameFont, red, new XRect(cx - r, cy + r * 0.38, r * 2, r * 0.26), XStringFormats.Center);
        }
    }
}
