using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace EGovEdge.Office.Printing;

/// <summary>Makes PDFsharp's output repeatable: the same input gives the same bytes (sealed digests depend on it).</summary>
internal static partial class PdfDeterminism
{
    /// <summary>
    /// Draws the laid-out A4 <paramref name="pages"/> into one PDF with fixed metadata (title, creator, dates from
    /// <paramref name="stamp"/>, trailer /ID from <paramref name="documentId"/>, a hex string) and returns its bytes with the
    /// random parts fixed: the same input always gives the same bytes.
    /// </summary>
    public static byte[] Write(string title, DateTime stamp, string documentId, IEnumerable<List<Action<XGraphics>>> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        using var pdf = new PdfDocument();
        pdf.Info.Title = title;
        pdf.Info.Creator = "EGovEdge";
        pdf.Info.CreationDate = stamp;
        pdf.Info.ModificationDate = stamp;
        // PDFsharp writes each character of the id as one byte of the trailer's /ID.
        var idBytes = Encoding.Latin1.GetString(Convert.FromHexString(documentId));
        pdf.Internals.FirstDocumentID = idBytes;
        pdf.Internals.SecondDocumentID = idBytes;
        foreach (var ops in pages)
        {
            var page = pdf.AddPage();
            page.Width = XUnit.FromMillimeter(A4WidthMm);
            page.Height = XUnit.FromMillimeter(A4HeightMm);
            using var gfx = XGraphics.FromPdfPage(page);
            foreach (var op in ops) op(gfx);
        }
        using var stream = new MemoryStream();
        pdf.Save(stream, closeStream: false);
        var bytes = stream.ToArray();
        FixRandomParts(bytes, documentId);
        return bytes;
    }

    public const double A4WidthMm = 210, A4HeightMm = 297;

    /// <summary>
    /// PDFsharp tags embedded font subsets with six random letters ("/QHLXYZ+GBSN00LP") and writes random XMP
    /// xmpMM:DocumentID / InstanceID uuids. Each is replaced in place and with the same length (so the cross-reference
    /// offsets stay right) by a value derived from <paramref name="documentId"/> and the font name or uuid kind. Only
    /// /BaseFont and /FontName values (plain dictionaries, never in streams) and the uncompressed XMP stream are touched.
    /// </summary>
    public static void FixRandomParts(byte[] pdf, string documentId)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var text = Encoding.Latin1.GetString(pdf);
        foreach (Match m in SubsetTag().Matches(text))
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(documentId + "/" + m.Groups["font"].Value));
            var at = m.Groups["tag"].Index;
            for (var i = 0; i < 6; i++) pdf[at + i] = (byte)('A' + hash[i] % 26);
        }
        foreach (Match m in XmpUuid().Matches(text))
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(documentId + "/" + m.Groups["kind"].Value));
            Encoding.ASCII.GetBytes(new Guid(hash.AsSpan(0, 16)).ToString("D")).CopyTo(pdf, m.Groups["uuid"].Index);
        }
    }

    [GeneratedRegex(@"<xmpMM:(?<kind>DocumentID|InstanceID)>uuid:(?<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})<")]
    private static partial Regex XmpUuid();

    [GeneratedRegex(@"/(?:BaseFont|FontName)\s*/(?<tag>[A-Z]{6})\+(?<font>[A-Za-z0-9_.#\-]+)")]
    private static partial Regex SubsetTag();
}
