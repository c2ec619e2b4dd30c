using System.Text.Json;
using System.Text.Json.Serialization;
using EGovEdge.Office.Booking;

namespace EGovEdge.Office.Meetings;

public sealed class RoomInput
{
    public string? Name { get; set; }
    public string? Location { get; set; }
    public int? Capacity { get; set; }
    public string? Devices { get; set; }

    /// <summary>Bookings wait for a dispatcher at the owner node instead of being confirmed automatically.</summary>
    public bool NeedsApproval { get; set; }
}

public sealed class RoomDto
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Location { get; init; }
    public int Capacity { get; init; }
    public string? Devices { get; init; }
    public bool NeedsApproval { get; init; }

    /// <summary>The node that owns the room and confirms its bookings.</summary>
    public required string OwnerNode { get; init; }
}

public sealed class MeetingInput
{
    public string? RoomId { get; set; }
    public string? Title { get; set; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public string? Agenda { get; set; }
    public string? Host { get; set; }

    /// <summary>Invited staff (usernames).</summary>
    public List<string>? Attendees { get; set; }

    /// <summary>Invited units (township codes or "hub").</summary>
    public List<string>? AttendeeUnits { get; set; }

    /// <summary>Repeat weekly (周例会): each occurrence becomes its own meeting, linked by a series id.</summary>
    public RecurrenceInput? Recurrence { get; set; }
}

/// <summary>
/// A weekly recurrence: every <see cref="IntervalWeeks"/> weeks on the same weekday and time, until a date (China time,
/// inclusive) or for a number of occurrences; at most <see cref="MeetingService.MaxOccurrences"/>.
/// </summary>
public sealed class RecurrenceInput
{
    /// <summary>Weeks between occurrences (1 = every week).</summary>
    public int IntervalWeeks { get; set; } = 1;

    /// <summary>Number of occurrences including the first (give this or <see cref="Until"/>).</summary>
    public int? Count { get; set; }

    /// <summary>Last day (China time) an occurrence may fall on (give this or <see cref="Count"/>).</summary>
    public DateOnly? Until { get; set; }
}

/// <summary>The answer to booking a series: the occurrences booked (confirmed or tentative) and those refused, each with its date.</summary>
public sealed class SeriesBookingDto
{
    public required string SeriesId { get; init; }
    public IReadOnlyList<MeetingDto> Booked { get; init; } = [];
    public IReadOnlyList<RefusedOccurrenceDto> Refused { get; init; } = [];
}

public sealed class RefusedOccurrenceDto
{
    /// <summary>The occurrence's day in China time.</summary>
    public DateOnly Date { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }

    /// <summary>Stored reason code (<c>clash</c>).</summary>
    public required string Reason { get; init; }

    /// <summary>The reason in the request's language.</summary>
    public required string ReasonText { get; init; }
}

/// <summary>
/// A person-level clash (人员冲突): an invited person (attendee or host) already has another meeting overlapping this one.
/// A warning only; the booking is not refused.
/// </summary>
public sealed class PersonClashDto
{
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public required string MeetingId { get; init; }
    public required string Title { get; init; }
    public string RoomName { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public BookingStatus Status { get; init; }

    /// <summary>The warning in the request's language, e.g. "李建国 在该时段已有会议：《…》 09:00–11:00".</summary>
    public required string Message { get; init; }
}

public sealed class MeetingDto
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string RoomId { get; init; }
    public string RoomName { get; init; } = "";
    public required string RoomNode { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public string? Agenda { get; init; }
    public string? Host { get; init; }
    public IReadOnlyList<string> Attendees { get; init; } = [];
    public IReadOnlyList<string> AttendeeUnits { get; init; } = [];
    public required string RequestedBy { get; init; }
    public DateTimeOffset RequestedUtc { get; init; }
    public required string OriginNode { get; init; }
    public BookingStatus Status { get; init; }
    public string? DeclineReason { get; init; }
    public string? DecidedBy { get; init; }
    public string? MinutesDocId { get; init; }
    public DateTimeOffset? ClosedUtc { get; init; }
    public int Sequence { get; init; }

    /// <summary>The series (周例会) this meeting is an occurrence of, if any.</summary>
    public string? SeriesId { get; init; }
}

public sealed class AttendanceDto
{
    public required string Username { get; init; }
    public string? DisplayName { get; init; }
    public required string Kind { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed class MaterialDto
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? ContentType { get; init; }
    public long Size { get; init; }
    public required string Sha256 { get; init; }
    public required string UploadedBy { get; init; }
    public DateTimeOffset UploadedUtc { get; init; }
    public bool Archived { get; init; }
}

public sealed class MaterialInput
{
    public string? Name { get; set; }
    public string? ContentType { get; set; }

    /// <summary>The file, base64.</summary>
    public string? Data { get; set; }
}

public sealed class MeetingDetail
{
    public required MeetingDto Meeting { get; init; }
    public IReadOnlyList<AttendanceDto> Attendance { get; init; } = [];
    public IReadOnlyList<MaterialDto> Materials { get; init; } = [];
    public required AttendanceStats Stats { get; init; }
}

/// <summary>Attendance of one meeting: invited people, registered, on leave, signed in, and the rate (signed in / invited).</summary>
public sealed class AttendanceStats
{
    public int Invited { get; init; }
    public int Accepted { get; init; }
    public int OnLeave { get; init; }
    public int SignedIn { get; init; }
    public double Rate { get; init; }
}

public sealed class RespondInput
{
    /// <summary>accept, leave or signin.</summary>
    public string? Kind { get; set; }
    public string? Reason { get; set; }
}

public sealed class DecisionInput
{
    /// <summary>true confirms, false declines.</summary>
    public bool Confirm { get; set; }
    public string? Reason { get; set; }
}

public sealed class FeedKeyDto
{
    public required string Key { get; init; }
    public required string Url { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RoomInput))]
[JsonSerializable(typeof(RoomDto))]
[JsonSerializable(typeof(List<RoomDto>))]
[JsonSerializable(typeof(MeetingInput))]
[JsonSerializable(typeof(MeetingDto))]
[JsonSerializable(typeof(List<MeetingDto>))]
[JsonSerializable(typeof(MeetingDetail))]
[JsonSerializable(typeof(MaterialInput))]
[JsonSerializable(typeof(MaterialDto))]
[JsonSerializable(typeof(RespondInput))]
[JsonSerializable(typeof(AttendanceDto))]
[JsonSerializable(typeof(DecisionInput))]
[JsonSerializable(typeof(FeedKeyDto))]
[JsonSerializable(typeof(RecurrenceInput))]
[JsonSerializable(typeof(SeriesBookingDto))]
[JsonSerializable(typeof(PersonClashDto))]
[JsonSerializable(typeof(List<PersonClashDto>))]
public sealed partial class MeetingJsonContext : JsonSerializerContext;
