namespace EGovEdge.Office.Tickets;

/// <summary>Case types. Petitions (信访) are their own type: statutory natural-day clocks and stricter privacy.</summary>
public static class TicketKinds
{
    public const string Complaint = "complaint";   // 投诉 (also criticism, reports)
    public const string Suggestion = "suggestion"; // 建言献策
    public const string Enquiry = "enquiry";       // 咨询 / 求助
    public const string Petition = "petition";     // 信访

    public static readonly IReadOnlyList<string> All = [Complaint, Suggestion, Enquiry, Petition];
}

/// <summary>Service categories (Open311 service codes).</summary>
public static class TicketCategories
{
    public static readonly IReadOnlyList<string> All =
        ["urban", "environment", "agriculture", "social", "transport", "market", "housing", "education", "health", "other"];
}

public static class TicketUrgency
{
    public const string Normal = "normal";
    public const string Urgent = "urgent";
    public const string Emergency = "emergency";

    public static readonly IReadOnlyList<string> All = [Normal, Urgent, Emergency];
}

/// <summary>How a case came in. Petitions use 来信/来访/网上/电话/12345 transfer.</summary>
public static class TicketChannels
{
    public const string Portal = "portal";
    public const string Counter = "counter";   // filed by a township clerk on a resident's behalf
    public const string Open311 = "open311";
    public const string Letter = "letter";     // 来信
    public const string Visit = "visit";       // 来访
    public const string Online = "online";     // 网上
    public const string Phone = "phone";       // 电话
    public const string Hotline = "12345";     // 12345 转办

    public static readonly IReadOnlyList<string> All = [Portal, Counter, Open311, Letter, Visit, Online, Phone, Hotline];
}

/// <summary>Derived states (never stored: folded from the append-only events).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<TicketState>))]
public enum TicketState
{
    /// <summary>信访 登记: waiting for the 15-day acceptance decision.</summary>
    Registered,
    /// <summary>受理.</summary>
    Accepted,
    /// <summary>派单: waiting for the unit to sign for it.</summary>
    Dispatched,
    /// <summary>签收 → 办理.</summary>
    Handling,
    /// <summary>退单: back with the dispatcher.</summary>
    Returned,
    /// <summary>答复: waiting for the callback.</summary>
    Replied,
    /// <summary>办结.</summary>
    Closed,
    /// <summary>不予受理 (petitions).</summary>
    NotAccepted,
}

/// <summary>Event actions (one append-only <c>ticket_events</c> row each).</summary>
public static class TicketActions
{
    public const string Accept = "accept";                   // 信访 受理
    public const string NotAccept = "not_accept";            // 信访 不予受理 (legal basis)
    public const string Dispatch = "dispatch";               // 派单
    public const string Sign = "sign";                       // 签收
    public const string Return = "return";                   // 退单 (legal basis, within the limit)
    public const string ExtensionRequest = "extension_request"; // 延期申请
    public const string ExtensionDecision = "extension_decision"; // 延期审批 (approved = 1/0)
    public const string Reply = "reply";                     // 答复
    public const string Callback = "callback";               // 回访 (满意/基本满意/不满意)
    public const string Close = "close";                     // 办结 without callback (unreachable)
    public const string Supervise = "supervise";             // 限时督办: a supervision deadline
    public const string Remind = "remind";                   // 催办 (system)
    public const string Escalate = "escalate";               // 升级 (system): level 1 unit head, 2 county supervisor

    /// <summary>Actions only the node that accepted the ticket may take.</summary>
    public static readonly IReadOnlyList<string> OwnerOnly = [Accept, NotAccept, Dispatch, Callback, Close];

    /// <summary>Actions staff may take through the UI and API (the rest are the system's).</summary>
    public static readonly IReadOnlyList<string> Manual =
        [Accept, NotAccept, Dispatch, Sign, Return, ExtensionRequest, ExtensionDecision, Reply, Callback, Close, Supervise];
}

public static class Satisfaction
{
    public const string Satisfied = "satisfied";         // 满意
    public const string Basic = "basic";                 // 基本满意
    public const string Unsatisfied = "unsatisfied";     // 不满意 → 重办

    public static readonly IReadOnlyList<string> All = [Satisfied, Basic, Unsatisfied];
}

/// <summary>Suggestion adoption (建言献策): counted.</summary>
public static class Adoption
{
    public const string Adopted = "adopted";             // 采纳
    public const string Partly = "partly";               // 部分采纳
    public const string NotAdopted = "not_adopted";      // 未采纳 (with reason)

    public static readonly IReadOnlyList<string> All = [Adopted, Partly, NotAdopted];
}

/// <summary>Reason codes published with every outcome (with the responsible body).</summary>
public static class ReasonCodes
{
    public const string Resolved = "resolved";           // 已解决
    public const string Explained = "explained";         // 已解释说明
    public const string NotOurRemit = "not_our_remit";   // 非本单位职责 (names who is responsible)
    public const string NoBasis = "no_basis";            // 诉求无政策依据
    public const string Referred = "referred";           // 已转有权机关 (诉讼/仲裁/复议 etc.)
    public const string InProgress = "in_progress";      // 已列入计划

    public static readonly IReadOnlyList<string> All = [Resolved, Explained, NotOurRemit, NoBasis, Referred, InProgress];
}

/// <summary>One deadline rule; the first rule that matches (null = any) wins. Either <see cref="Hours"/> (natural hours) or <see cref="WorkingDays"/>.</summary>
public sealed class TicketSlaRule
{
    public string? Kind { get; set; }
    public string? Category { get; set; }
    public string? Urgency { get; set; }
    public int? WorkingDays { get; set; }
    public int? Hours { get; set; }
}

/// <summary>
/// EGov:Tickets. Deadlines per kind, category and urgency in working days (hours for emergencies); petitions use the
/// natural-day limits of 《信访工作条例》 (15 days to accept, 60 to close, up to 30 more with approval).
/// </summary>
public sealed class TicketOptions
{
    /// <summary>Ticket number prefix: 长顺12345-2026-000123 (hub); a township's own numbers add its code.</summary>
    public string NumberPrefix { get; set; } = "长顺12345";

    /// <summary>Local rules (EGov:Tickets:Rules), tried before <see cref="DefaultRules"/>.</summary>
    public IList<TicketSlaRule> Rules { get; } = [];

    /// <summary>Emergencies 8 hours; enquiries 3 working days; urgent 5; everything else 13 (DOMAIN 2.1).</summary>
    public static IReadOnlyList<TicketSlaRule> DefaultRules { get; } =
    [
        new TicketSlaRule { Urgency = TicketUrgency.Emergency, Hours = 8 },
        new TicketSlaRule { Kind = TicketKinds.Enquiry, WorkingDays = 3 },
        new TicketSlaRule { Urgency = TicketUrgency.Urgent, WorkingDays = 5 },
        new TicketSlaRule { WorkingDays = 13 },
    ];

    /// <summary>签收 within (working days; emergencies: <see cref="EmergencySignHours"/>).</summary>
    public int SignWorkingDays { get; set; } = 1;
    public int EmergencySignHours { get; set; } = 1;

    /// <summary>退单 only within this many working days of the dispatch (emergencies: hours).</summary>
    public int ReturnWorkingDays { get; set; } = 2;
    public int EmergencyReturnHours { get; set; } = 2;

    /// <summary>Longest extension (working days) for complaints, suggestions and enquiries.</summary>
    public int MaxExtensionWorkingDays { get; set; } = 13;

    public int PetitionAcceptDays { get; set; } = 15;
    public int PetitionCloseDays { get; set; } = 60;
    public int PetitionMaxExtensionDays { get; set; } = 30;

    /// <summary>How often the escalation service looks at due tickets.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest photo a resident may attach.</summary>
    public int MaxPhotoBytes { get; set; } = 5 * 1024 * 1024;
}
