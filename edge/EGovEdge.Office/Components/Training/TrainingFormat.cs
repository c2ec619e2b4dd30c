using System.Globalization;

namespace EGovEdge.Office.Components.Training;

/// <summary>Training dates and periods the Chinese way: 2026年11月27日, 2026年第四季度小考, 2026年下半年中考.</summary>
public static class TrainingFormat
{
    public static string Date(string? isoDate)
    {
        if (!DateOnly.TryParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return isoDate ?? "";
        return CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh"
            ? d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
            : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static string Period(string period)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (period.Length != 7 || CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "zh") return period;
        var year = period[..4];
        return period[5..] switch
        {
            "Q1" => $"{year}年第一季度小考",
            "Q2" => $"{year}年第二季度小考",
            "Q3" => $"{year}年第三季度小考",
            "Q4" => $"{year}年第四季度小考",
            "H1" => $"{year}年上半年中考",
            "H2" => $"{year}年下半年中考",
            _ => period,
        };
    }
}
