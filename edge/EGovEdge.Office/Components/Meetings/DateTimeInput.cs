using System.Globalization;
using EGovEdge.Office.Booking;

namespace EGovEdge.Office.Components.Meetings;

/// <summary>Values of datetime-local inputs: China wall-clock text "yyyy-MM-ddTHH:mm" to and from UTC instants.</summary>
public static class DateTimeInput
{
    private static readonly string[] Formats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss.fff"];

    public static DateTimeOffset? Parse(string? value) =>
        DateTime.TryParseExact(value?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? BookingTime.FromChina(local)
            : null;

    public static string Format(DateTimeOffset utc) => BookingTime.ToChina(utc).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
}
