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
public sealed partial class MeetingJsonContext : JsonSerializerContext;
