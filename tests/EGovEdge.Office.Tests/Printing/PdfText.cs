using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace EGovEdge.Office.Tests.Printing;

/// <summary>Reads a PDF back with PDFsharp's reader and extracts the text of each page through the fonts' ToUnicode maps.</summary>
internal static partial class PdfText
{
    public static PdfDocument Open(byte[] pdf) => PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);

    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        using var doc = Open(pdf);
        var pages = new List<string>();
        foreach (var page in doc.Pages)
        {
            var maps = new Dictionary<string, Dictionary<int, string>>(StringComparer.Ordinal);
            var fonts = page.Resources.Elements.GetDictionary("/Font");
            if (fonts is not null)
            {
                foreach (var key in fonts.Elements.Keys)
                {
                    var font = fonts.Elements.GetDictionary(key);
                    var toUnicode = font?.Elements.GetReference("/ToUnicode")?.Value as PdfDictionary;
                    maps[key] = toUnicode?.Stream is { } s ? ParseCMap(Encoding.ASCII.GetString(s.UnfilteredValue)) : [];
                }
            }
            var sb = new StringBuilder();
            string? current = null;
            Walk(ContentReader.ReadContent(page), sb, maps, ref current);
            pages.Add(sb.ToString());
        }
        return pages;
    }

    private static void Walk(CSequence seq, StringBuilder sb, Dictionary<string, Dictionary<int, string>> maps, ref string? font)
    {
        foreach (var item in seq)
        {
            if (item is not COperator op) continue;
            if (op.OpCode.Name == "Tf" && op.Operands.Count > 0 && op.Operands[0] is CName name) font = name.Name;
            if (op.OpCode.Name is "Tj" or "TJ" or "'" or "\"")
            {
                foreach (var operand in op.Operands)
                {
                    foreach (var s in operand is CArray array ? array.OfType<CString>() : operand is CString one ? [one] : [])
                    {
                        var map = font is not null && maps.TryGetValue(font, out var m) ? m : [];
                        var bytes = s.Value.Select(c => (byte)c).ToArray();
                        for (var i = 0; i + 1 < bytes.Length; i += 2)
                        {
                            var gid = (bytes[i] << 8) | bytes[i + 1];
                            sb.Append(map.TryGetValue(gid, out var text) ? text : "?");
                        }
                    }
                }
            }
        }
    }

    private static Dictionary<int, string> ParseCMap(string cmap)
    {
        var map = new Dictionary<int, string>();
        foreach (Match block in BfChar().Matches(cmap))
        {
            foreach (Match pair in Pair().Matches(block.Groups[1].Value))
            {
                map[int.Parse(pair.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = Utf16(pair.Groups[2].Value);
            }
        }
        foreach (Match block in BfRange().Matches(cmap))
        {
            foreach (Match range in Range().Matches(block.Groups[1].Value))
            {
                var lo = int.Parse(range.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var hi = int.Parse(range.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var start = int.Parse(range.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                for (var g = lo; g <= hi; g++) map[g] = char.ConvertFromUtf32(start + g - lo);
            }
        }
        return map;
    }

    private static string Utf16(string hex)
    {
        var chars = new char[hex.Length / 4];
        for (var i = 0; i < chars.Length; i++) chars[i] = (char)int.Parse(hex.AsSpan(i * 4, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new string(chars);
    }

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Pair();

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Range();
}
