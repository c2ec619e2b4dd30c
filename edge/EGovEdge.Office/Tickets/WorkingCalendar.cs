using System.Globalization;

namespace EGovEdge.Office.Tickets;

/// <summary>
/// Working days in China (UTC+8, no daylight saving): Monday–Friday unless a day is a public holiday; weekend days
/// that are make-up working days (调休) count as working. Pure: built from the built-in calendar plus the hub's
/// <c>holiday_calendar</c> rows. A deadline of N working days is the end (24:00 China time) of the N-th working day
/// after the day it starts; hours are natural hours (emergencies).
/// </summary>
public sealed class WorkingCalendar
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private readonly Dictionary<DateOnly, bool> _overrides;

    /// <param name="overrides">Date → true for a make-up working day, false for a holiday.</param>
    public WorkingCalendar(IEnumerable<KeyValuePair<DateOnly, bool>>? overrides = null)
    {
        _overrides = new Dictionary<DateOnly, bool>();
        foreach (var (d, w) in overrides ?? []) _overrides[d] = w;
    }

    /// <summary>
    /// 2026 public holidays and make-up working days (国务院办公厅 notice on the 2026 holiday arrangements, as
    /// announced in November 2025; confirm each year and correct through the hub's holiday calendar).
    /// </summary>
    public static IReadOnlyList<(DateOnly Date, bool Working, string Name)> Builtin2026 { get; } = Build2026();

    public static WorkingCalendar Default { get; } = new(Builtin2026.Select(h => new KeyValuePair<DateOnly, bool>(h.Date, h.Working)));

    public bool IsWorkingDay(DateOnly day) =>
        _overrides.TryGetValue(day, out var working) ? working : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public static DateOnly ChinaDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(China).DateTime);

    /// <summary>24:00 China time at the end of <paramref name="day"/>, in UTC.</summary>
    public static DateTimeOffset EndOf(DateOnly day) =>
        new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), China).ToUniversalTime();

    /// <summary>The end of the <paramref name="days"/>-th working day after the day of <paramref name="from"/> (0: the end of that day).</summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var day = ChinaDate(from);
        var left = days;
        while (left > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) left--;
        }
        return EndOf(day);
    }

    /// <summary>Working days after the day of <paramref name="from"/> up to and including the day of <paramref name="to"/> (0 when not later).</summary>
    public int WorkingDaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var a = ChinaDate(from);
        var b = ChinaDate(to);
        var n = 0;
        for (var d = a.AddDays(1); d <= b; d = d.AddDays(1))
        {
            if (IsWorkingDay(d)) n++;
        }
        return n;
    }

    /// <summary>Natural days (petitions): the end of the day <paramref name="days"/> days after the day of <paramref name="from"/>.</summary>
    public static DateTimeOffset AddNaturalDays(DateTimeOffset from, int days) => EndOf(ChinaDate(from).AddDays(days));

    /// <summary>Natural hours (emergencies: 8 hours means 8 hours, nights and holidays included).</summary>
    public static DateTimeOffset AddHours(DateTimeOffset from, int hours) => from + TimeSpan.FromHours(hours);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDay(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static List<(DateOnly, bool, string)> Build2026()
    {
        var list = new List<(DateOnly, bool, string)>();
        void Off(int month, int from, int to, string name)
        {
            for (var d = from; d <= to; d++) list.Add((new DateOnly(2026, month, d), false, name));
        }
        void On(int month, int day, string name) => list.Add((new DateOnly(2026, month, day), true, name + "调休上班"));
        Off(1, 1, 3, "元旦");
        On(1, 4, "元旦");
        Off(2, 15, 23, "春节");
        On(2, 14, "春节");
        On(2, 28, "春节");
        Off(4, 4, 6, "清明节");
        Off(5, 1, 5, "劳动节");
        On(5, 9, "劳动节");
        Off(6, 19, 21, "端午节");
        Off(9, 25, 27, "中秋节");
        Off(10, 1, 7, "国庆节");
        On(9, 20, "国庆节");
        On(10, 10, "国庆节");
        return list;
    }
}
