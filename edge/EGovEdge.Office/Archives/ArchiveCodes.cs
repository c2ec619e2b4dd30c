using System.Globalization;
using System.Text.RegularExpressions;

namespace EGovEdge.Office.Archives;

/// <summary>
/// 档号 of a 文书 item per DA/T 22-2015: <c>全宗号-WS·年度-保管期限代码-件号</c>, e.g. <c>GS01-WS·2026-Y-0007</c>; 件号 has
/// four digits (more once past 9999) and runs gap-free per 全宗, 年度 and 保管期限.
/// </summary>
public static partial class ArchiveCodes
{
    /// <summary>门类代码 of 文书档案.</summary>
    public const string Category = "WS";

    public static string Format(string fonds, long year, string retention, long itemNo) =>
        string.Create(CultureInfo.InvariantCulture, $"{fonds}-{Category}·{year}-{retention}-{itemNo:D4}");

    /// <summary>1-16 ASCII letters or digits (the 档号's parts are separated by '-').</summary>
    public static bool IsValidFonds(string? fonds) => fonds is not null && Fonds().IsMatch(fonds);

    /// <summary>The 全宗号 used when none is configured: the node id in capitals, letters and digits only.</summary>
    public static string DefaultFonds(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var code = new string(nodeId.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return code.Length == 0 ? "X" : code[..Math.Min(16, code.Length)];
    }

    /// <summary>The parts of a well-formed 档号; null otherwise.</summary>
    public static (string Fonds, int Year, string Retention, int ItemNo)? Parse(string? code)
    {
        var m = code is null ? null : Code().Match(code);
        if (m is null || !m.Success) return null;
        return (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value,
            int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,16}$")]
    private static partial Regex Fonds();

    [GeneratedRegex(@"^([A-Za-z0-9]{1,16})-WS·(\d{4})-(Y|D30|D10)-(\d{4,6})$")]
    private static partial Regex Code();
}
