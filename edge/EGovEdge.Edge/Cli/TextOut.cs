using System.Globalization;
using System.Text;
using EGovEdge.Office.Localization;

namespace EGovEdge.Edge.Cli;

/// <summary>Plain-text output for people: columns aligned by display width (a Chinese character takes two cells), China time.</summary>
public static class TextOut
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Terminal cells a string takes: 2 for East Asian wide and full-width characters, 0 for combining marks.</summary>
    public static int Width(string? s)
    {
        if (string.IsNullOrEmpty(s)) return 0;
        var w = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            var v = rune.Value;
            var cat = Rune.GetUnicodeCategory(rune);
            if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) continue;
            w += v is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or (>= 0x3400 and <= 0x4DBF)
                or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
                or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x20000 and <= 0x3FFFD)
                ? 2
                : 1;
        }
        return w;
    }

    public static string PadRight(string? s, int width) => (s ?? "") + new string(' ', Math.Max(0, width - Width(s)));

    public static string PadLeft(string? s, int width) => new string(' ', Math.Max(0, width - Width(s))) + (s ?? "");

    /// <summary>"label  value" lines with the values in one column.</summary>
    public static void Pairs(TextWriter w, IEnumerable<(string Label, string Value)> pairs, string indent = "  ")
    {
        var list = pairs.ToList();
        var width = list.Count == 0 ? 0 : list.Max(p => Width(p.Label));
        foreach (var (label, value) in list) w.WriteLine(indent + PadRight(label, width) + "  " + value);
    }

    /// <summary>A table with a header; <paramref name="rightAligned"/> marks numeric columns.</summary>
    public static void Table(TextWriter w, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null, string indent = "  ")
    {
        var all = rows.ToList();
        var widths = header.Select((h, i) => Math.Max(Width(h), all.Count == 0 ? 0 : all.Max(r => Width(r.ElementAtOrDefault(i))))).ToArray();
        void Line(IReadOnlyList<string> cells)
        {
            var sb = new StringBuilder(indent);
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = cells.ElementAtOrDefault(i) ?? "";
                var last = i == widths.Length - 1;
                sb.Append(rightAligned?.Contains(i) == true ? PadLeft(cell, widths[i]) : last ? cell : PadRight(cell, widths[i]));
                if (!last) sb.Append("  ");
            }
            w.WriteLine(sb.ToString().TrimEnd());
        }
        Line(header);
        Line(widths.Select(x => new string('-', x)).ToList());
        foreach (var r in all) Line(r);
    }

    /// <summary>China time the way the UI writes it, with seconds: 2026年11月27日 09:05:03.</summary>
    public static string Time(DateTimeOffset? utc) =>
        utc is null ? "—" : ChinaTime.ToChina(utc.Value).ToString("yyyy年M月d日 HH:mm:ss", Inv);

    public static string Number(long n) => n.ToString("N0", Inv);

    public static string Bytes(long n) => n switch
    {
        < 1024 => n.ToString(Inv) + " B",
        < 1024 * 1024 => (n / 1024.0).ToString("0.#", Inv) + " KB",
        < 1024L * 1024 * 1024 => (n / (1024.0 * 1024)).ToString("0.#", Inv) + " MB",
        _ => (n / (1024.0 * 1024 * 1024)).ToString("0.##", Inv) + " GB",
    };

    public static string Duration(long ms) => ms < 1000
        ? ms.ToString(Inv) + " ms"
        : ms < 60_000 ? (ms / 1000.0).ToString("0.0", Inv) + " s" : Clock(TimeSpan.FromMilliseconds(ms));

    /// <summary>0:07, 3:25, 1:02:03.</summary>
    public static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(Inv, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(Inv, $"{t.Minutes}:{t.Seconds:00}");

    public static string OneLine(string? s, int max = 160)
    {
        if (string.IsNullOrEmpty(s)) return "—";
        var flat = s.ReplaceLineEndings(" ");
        return flat.Length > max ? flat[..(max - 1)] + "…" : flat;
    }
}
