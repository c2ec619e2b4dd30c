using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Office.Tickets;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TicketInput))]
[JsonSerializable(typeof(TicketCreated))]
[JsonSerializable(typeof(TicketActionInput))]
[JsonSerializable(typeof(TicketDetail))]
[JsonSerializable(typeof(IReadOnlyList<TicketNoticeDto>))]
[JsonSerializable(typeof(IReadOnlyList<TicketSummary>))]
[JsonSerializable(typeof(TrackResult))]
[JsonSerializable(typeof(IReadOnlyList<OutcomeDto>))]
[JsonSerializable(typeof(TicketStats))]
[JsonSerializable(typeof(CalendarDayInput))]
[JsonSerializable(typeof(IReadOnlyList<CalendarDayDto>))]
[JsonSerializable(typeof(List<Open311Service>))]
[JsonSerializable(typeof(List<Open311Request>))]
[JsonSerializable(typeof(List<Open311Created>))]
[JsonSerializable(typeof(List<Open311Error>))]
public sealed partial class TicketJsonContext : JsonSerializerContext;

/// <summary>PUT /api/tickets/calendar: a holiday (working false) or a make-up working day (true).</summary>
public sealed class CalendarDayInput
{
    public string? Day { get; set; }
    public bool Working { get; set; }
    public string? Name { get; set; }
}

public sealed record CalendarDayDto(string Day, bool Working, string? Name);
