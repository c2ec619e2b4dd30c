using System.Security.Claims;
using System.Text.Json.Serialization;
using EGovEdge.Office.Identity;

namespace EGovEdge.Office.Tickets;

/// <summary>Who acts: a signed-in staff member, a resident on the portal, or the escalation service.</summary>
public sealed record TicketActor(string Username, string DisplayName, string Unit, IReadOnlyList<string> Roles)
{
    public static TicketActor Resident { get; } = new("portal", "", "", []);

    public static TicketActor System { get; } = new("system", "", "", []);

    public bool Has(params string[] roles) => roles.Any(r => Roles.Contains(r));

    public bool IsStaff => Has(Identity.Roles.Clerk, Identity.Roles.Leader, Identity.Roles.Supervisor, Identity.Roles.Admin);

    public static TicketActor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new TicketActor(user.Identity?.Name ?? "", user.DisplayNameOf(), user.FindFirstValue(StaffClaims.Unit) ?? "",
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList());
    }
}

/// <summary>A new complaint, suggestion, enquiry or petition (portal, counter, API).</summary>
public sealed class TicketInput
{
    public string? Kind { get; set; }
    public string? Category { get; set; }
    public string? Urgency { get; set; }
    public string? Channel { get; set; }
    /// <summary>The township the matter concerns (a code); routing hint for the dispatcher.</summary>
    public string? Township { get; set; }
    public string? Description { get; set; }
    public string? Address { get; set; }
    public string? Lat { get; set; }
    public string? Long { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? IdNumber { get; set; }
    public string? Email { get; set; }
    /// <summary>The resident agrees to the (anonymised) reply being published.</summary>
    public bool? IsPublic { get; set; }
    public string? ServiceCode { get; set; }
    public string? MediaUrl { get; set; }
    /// <summary>Petitions: the number (or id) of an earlier petition on the same matter; refused when that one is final (复核).</summary>
    public string? SameMatterOf { get; set; }
}

/// <summary>A photo attached by a resident.</summary>
public sealed record TicketPhoto(string ContentType, ReadOnlyMemory<byte> Data);

/// <summary>The receipt: the query code is shown once and stored only hashed.</summary>
public sealed class TicketCreated
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string QueryCode { get; init; }
    public DateTimeOffset AcceptedUtc { get; init; }
    public DateTimeOffset DueUtc { get; init; }
}

/// <summary>POST /api/tickets/{id}/actions: one transition.</summary>
public sealed class TicketActionInput
{
    public string? Action { get; set; }
    public string? ToUnit { get; set; }
    public string? Opinion { get; set; }
    public string? LegalBasis { get; set; }
    public string? Reply { get; set; }
    public string? ReasonCode { get; set; }
    public string? ResponsibleBody { get; set; }
    public string? Satisfaction { get; set; }
    public string? Adoption { get; set; }
    public int? Days { get; set; }
    public bool? Approved { get; set; }
    public DateTimeOffset? DeadlineUtc { get; set; }
    /// <summary>复查/复核 applications: when the application was received (defaults to now).</summary>
    public DateTimeOffset? ReceivedUtc { get; set; }
}

public sealed class TicketEventDto
{
    public required string Id { get; init; }
    public required string Action { get; init; }
    public required string Node { get; init; }
    public required string Actor { get; init; }
    public string? ActorName { get; init; }
    public DateTimeOffset AtUtc { get; init; }
    public string? ToUnit { get; init; }
    public string? Opinion { get; init; }
    public string? LegalBasis { get; init; }
    public string? Reply { get; init; }
    public string? ReasonCode { get; init; }
    public string? ResponsibleBody { get; init; }
    public string? Satisfaction { get; init; }
    public string? Adoption { get; init; }
    public int? Days { get; init; }
    public bool Approved { get; init; }
    public int? Level { get; init; }
    public DateTimeOffset? DeadlineUtc { get; init; }
    public DateTimeOffset? ReceivedUtc { get; init; }
    public bool Applied { get; init; }
}

/// <summary>A ticket in a staff list: personal data masked.</summary>
public class TicketSummary
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string Kind { get; init; }
    public required string Category { get; init; }
    public required string Urgency { get; init; }
    public required string Channel { get; init; }
    public string? Township { get; init; }
    public required string OriginNode { get; init; }
    /// <summary>Who has it: a township code, "hub", or the origin while not dispatched.</summary>
    public required string Handler { get; init; }
    public TicketState State { get; init; }
    public string ResidentName { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Preview { get; init; } = "";
    public DateTimeOffset AcceptedUtc { get; init; }
    public DateTimeOffset OverallDue { get; init; }
    public DateTimeOffset StageStart { get; init; }
    public DateTimeOffset? StageDue { get; init; }
    public DateTimeOffset? SupervisionDue { get; init; }
    public DateTimeOffset? ClosedUtc { get; init; }
    public bool Overdue { get; init; }
    public bool StageOverdue { get; init; }
    public int EscalationLevel { get; init; }
    public bool ExtensionPending { get; init; }
    /// <summary>Working days used on the uninterrupted clock (hours for emergencies: see <see cref="ElapsedHours"/>).</summary>
    public int WorkingDaysUsed { get; init; }
    public double ElapsedHours { get; init; }
    public double StageHours { get; init; }
}

/// <summary>One ticket for its handlers: the full record (phone unmasked for the owner and handling unit) and its timeline.</summary>
public sealed class TicketDetail : TicketSummary
{
    public required string Description { get; init; }
    public string? Address { get; init; }
    public string? Lat { get; init; }
    public string? Lng { get; init; }
    public string? IdNumber { get; init; }
    public string? Email { get; init; }
    public bool IsPublic { get; init; }
    public bool HasPhoto { get; init; }
    public string? MediaUrl { get; init; }
    public string? FiledBy { get; init; }
    public string? Reply { get; init; }
    public string? ReasonCode { get; init; }
    public string? ResponsibleBody { get; init; }
    public string? Satisfaction { get; init; }
    public string? Adoption { get; init; }
    public int ExtensionDays { get; init; }
    public int Reopens { get; init; }
    public IReadOnlyList<TicketEventDto> Events { get; init; } = [];
    /// <summary>Petitions: the statutory stage (受理, 办理, 复查/复核 windows and handling, 终结) and its deadline.</summary>
    public PetitionStage Stage { get; init; }
    public DateTimeOffset? StageDeadline { get; init; }
    /// <summary>The earlier petition on the same matter (id and number), when linked at filing.</summary>
    public string? SameMatterOf { get; init; }
    public string? SameMatterNumber { get; init; }
    /// <summary>Actions this user may take here now.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];
}

/// <summary>A written notice of a petition (GET /api/tickets/{id}/notices); the PDF at <see cref="Url"/>.</summary>
public sealed class TicketNoticeDto
{
    public required string Id { get; init; }
    public required string TicketId { get; init; }
    public required string Kind { get; init; }
    public required string Number { get; init; }
    public required string Title { get; init; }
    public required string Node { get; init; }
    public DateTimeOffset IssuedUtc { get; init; }
    public required string IssuedBy { get; init; }
    public string? IssuedByName { get; init; }
    public long Size { get; init; }
    public required string Sha256 { get; init; }
    public string Url => $"/api/tickets/{TicketId}/notices/{Id}.pdf";
}

/// <summary>What a resident sees with number + query code.</summary>
public sealed class TrackResult
{
    public required string Number { get; init; }
    public required string Kind { get; init; }
    public required string Category { get; init; }
    public TicketState State { get; init; }
    public DateTimeOffset AcceptedUtc { get; init; }
    public DateTimeOffset DueUtc { get; init; }
    public DateTimeOffset? ClosedUtc { get; init; }
    public string? Reply { get; init; }
    public string? ReasonCode { get; init; }
    public string? ResponsibleBody { get; init; }
    public string? Satisfaction { get; init; }
    public string? Adoption { get; init; }
    public IReadOnlyList<TrackStep> Steps { get; init; } = [];
}

public sealed record TrackStep(string Action, DateTimeOffset AtUtc);

/// <summary>A published outcome: no personal data; petitions show neither identity nor the petition text.</summary>
public sealed class OutcomeDto
{
    public required string Number { get; init; }
    public required string Kind { get; init; }
    public required string Category { get; init; }
    public string? Township { get; init; }
    public DateTimeOffset AcceptedUtc { get; init; }
    public DateTimeOffset ClosedUtc { get; init; }
    public string? Summary { get; init; }
    public string Reply { get; init; } = "";
    public required string ReasonCode { get; init; }
    public required string ResponsibleBody { get; init; }
    public string? Satisfaction { get; init; }
    public string? Adoption { get; init; }
}

/// <summary>Counts for the supervisor (建言献策 adoption, petitions by channel, overdue).</summary>
public sealed class TicketStats
{
    public Dictionary<string, int> ByKind { get; init; } = [];
    public Dictionary<string, int> PetitionsByChannel { get; init; } = [];
    public Dictionary<string, int> SuggestionAdoption { get; init; } = [];
    public Dictionary<string, int> Satisfaction { get; init; } = [];
    public int Open { get; init; }
    public int Closed { get; init; }
    public int Overdue { get; init; }
}

/// <summary>Home-page counts for this node.</summary>
public sealed record TicketWork(int ToSign, int ToHandle, int Overdue);

public enum TicketBox
{
    All,
    ToSign,
    ToHandle,
    Overdue,
    Supervised,
    Open,
    Closed,
}

// ---- Open311 GeoReport v2 (field names exactly as the spec) ----

public sealed class Open311Service
{
    [JsonPropertyName("service_code")] public required string ServiceCode { get; init; }
    [JsonPropertyName("service_name")] public required string ServiceName { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = "";
    [JsonPropertyName("metadata")] public bool Metadata { get; init; }
    [JsonPropertyName("type")] public string Type { get; init; } = "realtime";
    [JsonPropertyName("keywords")] public string Keywords { get; init; } = "";
    [JsonPropertyName("group")] public string Group { get; init; } = "";
}

public sealed class Open311Request
{
    [JsonPropertyName("service_request_id")] public required string ServiceRequestId { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("status_notes")] public string? StatusNotes { get; init; }
    [JsonPropertyName("service_name")] public string? ServiceName { get; init; }
    [JsonPropertyName("service_code")] public string? ServiceCode { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("agency_responsible")] public string? AgencyResponsible { get; init; }
    [JsonPropertyName("service_notice")] public string? ServiceNotice { get; init; }
    [JsonPropertyName("requested_datetime")] public string? RequestedDatetime { get; init; }
    [JsonPropertyName("updated_datetime")] public string? UpdatedDatetime { get; init; }
    [JsonPropertyName("expected_datetime")] public string? ExpectedDatetime { get; init; }
    [JsonPropertyName("address")] public string? Address { get; init; }
    [JsonPropertyName("address_id")] public string? AddressId { get; init; }
    [JsonPropertyName("zipcode")] public string? Zipcode { get; init; }
    [JsonPropertyName("lat")] public double? Lat { get; init; }
    [JsonPropertyName("long")] public double? Long { get; init; }
    [JsonPropertyName("media_url")] public string? MediaUrl { get; init; }
}

public sealed class Open311Created
{
    [JsonPropertyName("service_request_id")] public required string ServiceRequestId { get; init; }
    [JsonPropertyName("service_notice")] public string? ServiceNotice { get; init; }
    [JsonPropertyName("account_id")] public string? AccountId { get; init; }
}

public sealed class Open311Error
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
}
