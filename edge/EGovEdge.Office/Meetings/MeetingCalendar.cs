using EGovEdge.Office.Booking;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace EGovEdge.Office.Meetings;

/// <summary>
/// A user's meetings as an iCalendar feed (RFC 5545) in China time with a VTIMEZONE, stable UIDs and SEQUENCE.
/// Every occurrence of a weekly series (周例会) is its own VEVENT with its own status (no RRULE, so a refused or
/// cancelled occurrence needs no EXDATE), marked with the series id in X-EGOV-SERIES.
/// </summary>
public static class MeetingCalendar
{
    public const string TimeZoneId = "Asia/Shanghai";

    public static string Build(IEnumerable<MeetingDto> meetings, string calendarName, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(meetings);
        var calendar = new Calendar { ProductId = "-//EGovEdge//Meetings//ZH", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", calendarName);
        calendar.AddProperty("X-WR-TIMEZONE", TimeZoneId);
        calendar.AddTimeZone(new VTimeZone(TimeZoneId));
        foreach (var m in meetings)
        {
            var e = new CalendarEvent
            {
                Uid = $"{m.Id}@egovedge",
                Summary = m.Title,
                Description = m.Agenda ?? "",
                Location = m.RoomName,
                DtStart = new CalDateTime(BookingTime.ToChina(m.Start), TimeZoneId),
                DtEnd = new CalDateTime(BookingTime.ToChina(m.End), TimeZoneId),
                DtStamp = new CalDateTime(m.RequestedUtc.UtcDateTime, "UTC"),
                Sequence = m.Sequence,
                Status = m.Status switch
                {
                    BookingStatus.Confirmed => EventStatus.Confirmed,
                    BookingStatus.Tentative => EventStatus.Tentative,
                    _ => EventStatus.Cancelled,
                },
            };
            e.AddProperty("X-EGOV-NODE", nodeId);
            if (m.SeriesId is { } series) e.AddProperty("X-EGOV-SERIES", series);
            calendar.Events.Add(e);
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
