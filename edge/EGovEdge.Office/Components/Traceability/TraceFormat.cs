using System.Globalization;

namespace EGovEdge.Office.Components.Traceability;

/// <summary>Dates of traceability records the Chinese way (2026年11月27日), ISO in English.</summary>
public static class TraceFormat
{
    public static string Date(string? isoDate)
    {
        if (!DateOnly.TryParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return isoDate ?? "";
        return CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh"
            ? d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
            : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
