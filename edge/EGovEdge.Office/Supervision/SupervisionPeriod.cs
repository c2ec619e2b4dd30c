using System.Globalization;
using EGovEdge.Office.Localization;

namespace EGovEdge.Office.Supervision;

/// <summary>Report periods: whole China days (UTC+8, no daylight saving) from <see cref="From"/> to <see cref="To"/> inclusive.</summary>
public readonly record struct SupervisionPeriod(DateOnly From, DateOnly To)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public DateTimeOffset FromUtc => StartUtc(From);

    /// <summary>Exclusive end: midnight China time after <see cref="To"/>.</summary>
    public DateTimeOffset ToUtc => StartUtc(To.AddDays(1));

    public static DateTimeOffset StartUtc(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), China).ToUniversalTime();

    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(ChinaTime.ToChina(time.GetUtcNow()).DateTime);
    }

    public static SupervisionPeriod Month(DateOnly today) => new(new DateOnly(today.Year, today.Month, 1), today);

    public static SupervisionPeriod Quarter(DateOnly today) => new(new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1), today);

    public static SupervisionPeriod Year(DateOnly today) => new(new DateOnly(today.Year, 1, 1), today);

    /// <summary>
    /// Reads ?from=yyyy-MM-dd&amp;to=yyyy-MM-dd (both optional: this month up to today); null and an error message
    /// when a date is malformed, the end is before the start, or the period is longer than <paramref name="maxDays"/>.
    /// </summary>
    public static SupervisionPeriod? TryParse(string? from, string? to, DateOnly today, int maxDays, out string? error)
    {
        error = null;
        var month = Month(today);
        if (!TryDate(from, month.From, out var f)) error = "from must be a date yyyy-MM-dd";
        else if (!TryDate(to, today, out var t)) error = "to must be a date yyyy-MM-dd";
        else if (t < f) error = "to must not be before from";
        else if (t.DayNumber - f.DayNumber + 1 > maxDays) error = $"the period may cover at most {maxDays} days";
        else return new SupervisionPeriod(f, t);
        return null;
    }

    private static bool TryDate(string? s, DateOnly fallback, out DateOnly d)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            d = fallback;
            return true;
        }
        return DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out d);
    }
}
