using System.Globalization;

namespace EGovEdge.Office.Localization;

/// <summary>Shows times in China Standard Time, the Chinese way (2026年11月27日 09:05) or ISO-like in English.</summary>
public static class ChinaTime
{
    private static readonly TimeZoneInfo Zone = FindZone();

    public static DateTimeOffset ToChina(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    public static string Format(DateTimeOffset? utc, CultureInfo? culture = null)
    {
        if (utc is null) return "—";
        var t = ToChina(utc.Value);
        culture ??= CultureInfo.CurrentUICulture;
        return culture.TwoLetterISOLanguageName == "zh"
            ? t.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>A date as in a document's 成文日期: 2026年11月27日 (no leading zeros).</summary>
    public static string FormatDate(DateTimeOffset utc) =>
        ToChina(utc).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("CST+8", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }
}
