using System.Globalization;
using System.Security;
using System.Text;

namespace EGovEdge.Office.Seals;

/// <summary>
/// Draws a seal as SVG: red circle, the unit's name along the upper arc, a five-pointed star in the centre, the seal's
/// name below it and its code at the bottom. Deterministic: the same text gives the same markup.
/// </summary>
public static class SealImage
{
    public const string Red = "#e60012";
    private const double C = 100;

    public static string Svg(string unitName, string sealName, string sealCode)
    {
        ArgumentNullException.ThrowIfNull(unitName);
        ArgumentNullException.ThrowIfNull(sealName);
        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 200\" width=\"200\" height=\"200\" role=\"img\" aria-label=\"")
          .Append(Escape(unitName + " " + sealName)).Append("\">");
        sb.Append("<circle cx=\"100\" cy=\"100\" r=\"94\" fill=\"none\" stroke=\"").Append(Red).Append("\" stroke-width=\"6\"/>");
        sb.Append("<g fill=\"").Append(Red).Append("\" font-family=\"'AR PL SungtiL GB','Noto Serif CJK SC','SimSun',serif\" font-weight=\"bold\" text-anchor=\"middle\">");

        // Unit name along the upper arc, each character upright to the circle.
        var chars = Chars(unitName);
        var n = chars.Count;
        if (n > 0)
        {
            var size = n <= 8 ? 26 : n <= 12 ? 22 : n <= 16 ? 18 : 15;
            // Baseline radius: the glyphs stand on it and reach outwards to just inside the ring.
            var baseline = 86.0 - size;
            var center = baseline + size / 2.0;
            var span = Math.Min(240.0, n * (size + 3) / center * 180 / Math.PI);
            for (var i = 0; i < n; i++)
            {
                var angle = n == 1 ? 0 : -span / 2 + span * i / (n - 1);
                var rad = angle * Math.PI / 180;
                var x = C + baseline * Math.Sin(rad);
                var y = C - baseline * Math.Cos(rad);
                sb.Append("<text x=\"").Append(F(x)).Append("\" y=\"").Append(F(y)).Append("\" font-size=\"").Append(size)
                  .Append("\" transform=\"rotate(").Append(F(angle)).Append(' ').Append(F(x)).Append(' ').Append(F(y))
                  .Append(")\">").Append(Escape(chars[i])).Append("</text>");
            }
        }

        // Five-pointed star.
        sb.Append("<polygon points=\"");
        for (var i = 0; i < 10; i++)
        {
            var r = i % 2 == 0 ? 28.0 : 11.0;
            var rad = (i * 36 - 90) * Math.PI / 180;
            if (i > 0) sb.Append(' ');
            sb.Append(F(C + r * Math.Cos(rad))).Append(',').Append(F(C + r * Math.Sin(rad)));
        }
        sb.Append("\"/>");

        // Seal name (purpose) below the star, code at the bottom.
        var nameSize = Chars(sealName).Count <= 6 ? 18 : 14;
        sb.Append("<text x=\"100\" y=\"152\" font-size=\"").Append(nameSize).Append("\">").Append(Escape(sealName)).Append("</text>");
        if (!string.IsNullOrEmpty(sealCode))
        {
            sb.Append("<text x=\"100\" y=\"170\" font-size=\"7\" font-family=\"monospace\" font-weight=\"normal\">").Append(Escape(sealCode)).Append("</text>");
        }
        sb.Append("</g></svg>");
        return sb.ToString();
    }

    /// <summary>The SVG as a data URI for an &lt;img&gt; (the pages' CSP allows img-src data:).</summary>
    public static string DataUri(string svg) =>
        "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg ?? ""));

    private static List<string> Chars(string s)
    {
        var list = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(s.Trim());
        while (e.MoveNext()) list.Add(e.GetTextElement());
        return list;
    }

    private static string F(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string s) => SecurityElement.Escape(s) ?? "";
}
