using System.Globalization;

namespace EGovEdge.Office.Booking;

/// <summary>Stored timestamps: ISO-8601 UTC round-trip text ("O"), fixed width, so text order is time order on SQLite and PostgreSQL.</summary>
public static class BookingTime
{
    public static string Text(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : DateTimeOffset.MinValue;

    public static DateTimeOffset? ParseOrNull(string? s) => string.IsNullOrEmpty(s) ? null : Parse(s);

    /// <summary>A China-time wall clock value (as typed into a datetime-local input) as a UTC instant.</summary>
    public static DateTimeOffset FromChina(DateTime local) =>
        new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.FromHours(8)).ToUniversalTime();

    /// <summary>The China-time wall clock of an instant (for datetime-local inputs).</summary>
    public static DateTime ToChina(DateTimeOffset utc) => utc.ToOffset(TimeSpan.FromHours(8)).DateTime;
}
