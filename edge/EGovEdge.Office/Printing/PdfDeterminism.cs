using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EGovEdge.Office.Printing;

/// <summary>Makes PDFsharp's output repeatable: the same input gives the same bytes (sealed digests depend on it).</summary>
internal static partial class PdfDeterminism
{
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
