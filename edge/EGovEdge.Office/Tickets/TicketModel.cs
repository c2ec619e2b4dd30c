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
    /// <summary>信访 复查: applied for within 30 days of the 处理意见, handled by the county hub within 30 days.</summary>
    Review,
    /// <summary>信访 复核: applied for within 30 days of the 复查意见, handled by the county hub within 30 days.</summary>
    ReReview,
}

/// <summary>Where a petition stands on its statutory path (derived, with <see cref="TicketStatus.PetitionDeadline"/>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<PetitionStage>))]
public enum PetitionStage
{
    /// <summary>Not a petition.</summary>
    None,
    /// <summary>登记: the acceptance decision is due (15 days).</summary>
    Acceptance,
    /// <summary>办理: accepted, the 处理意见 is due (60 days, +30 with approval).</summary>
    Handling,
    /// <summary>不予受理.</summary>
    NotAccepted,
    /// <summary>处理意见 issued: the petitioner may apply for 复查 until the deadline.</summary>
    ReviewWindow,
    /// <summary>复查 at the body above: the 复查意见 is due.</summary>
    Review,
    /// <summary>复查意见 issued: the petitioner may apply for 复核 until the deadline.</summary>
    ReReviewWindow,
    /// <summary>复核 at the body above: the 复核意见 is due.</summary>
    ReReview,
    /// <summary>复核意见 issued: final; the same matter is not accepted again.</summary>
    Final,
}

/// <summary>Why a petition is not accepted (不予受理, 《信访工作条例》).</summary>
public static class NotAcceptReasons
{
    public const string Litigation = "litigation";        // 属于诉讼、仲裁、行政复议等法定途径
    public const string Decided = "decided";              // 已经依法处理（处理意见、复查、复核）
    public const string OutsideRemit = "outside_remit";   // 不属于本机关职权范围

    public static readonly IReadOnlyList<string> All = [Litigation, Decided, OutsideRemit];
}

/// <summary>The written notices (书面告知) a petition produces, one <c>ticket_notices</c> row and PDF each.</summary>
public static class TicketNoticeKinds
{
    public const string Accept = "accept";           // 受理告知书
    public const string NotAccept = "not_accept";    // 不予受理告知书
    public const string Opinion = "opinion";         // 处理意见书
    public const string Review = "review";           // 复查意见书
    public const string ReReview = "rereview";       // 复核意见书

    public static readonly IReadOnlyList<string> All = [Accept, NotAccept, Opinion, Review, ReReview];

    /// <summary>The notice a petition event issues, or null.</summary>
    public static string? For(string action) => action switch
    {
        TicketActions.Accept => Accept,
        TicketActions.NotAccept => NotAccept,
        TicketActions.Reply => Opinion,
        TicketActions.ReviewDecision => Review,
        TicketActions.ReReviewDecision => ReReview,
        _ => null,
    };
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
    public const string ReviewApply = "review_apply";        // 信访 复查申请 (received_utc), within 30 days of the 处理意见
    public const string ReviewDecision = "review_decision";  // 复查意见 (hub)
    public const string ReReviewApply = "rereview_apply";    // 信访 复核申请 (received_utc), within 30 days of the 复查意见
    public const string ReReviewDecision = "rereview_decision"; // 复核意见 (hub): final

    /// <summary>Actions only the node that accepted the ticket may take.</summary>
    public static readonly IReadOnlyList<string> OwnerOnly = [Accept, NotAccept, Dispatch, Callback, Close];

    /// <summary>Actions staff may take through the UI and API (the rest are the system's).</summary>
    public static readonly IReadOnlyList<string> Manual =
        [Accept, NotAccept, Dispatch, Sign, Return, ExtensionRequest, ExtensionDecision, Reply, Callback, Close, Supervise,
            ReviewApply, ReviewDecision, ReReviewApply, ReReviewDecision];

    /// <summary>The 复查/复核 chain (petitions only).</summary>
    public static readonly IReadOnlyList<string> Chain = [ReviewApply, ReviewDecision, ReReviewApply, ReReviewDecision];
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

    /// <summary>复查 (and 复核) may be applied for within this many days of the 处理意见 (复查意见).</summary>
    public int PetitionReviewApplyDays { get; set; } = 30;

    /// <summary>复查 and 复核 are handled within this many days of receiving the application.</summary>
    public int PetitionReviewDays { get; set; } = 30;

    /// <summary>The hub's petition body: heading and issuer of its written notices.</summary>
    public string PetitionOrgan { get; set; } = "长顺县信访局";

    /// <summary>The hub's notice number prefix: 长信访受〔2026〕12号 (a township uses its short name: 广顺信访受〔2026〕1号).</summary>
    public string PetitionNoticePrefix { get; set; } = "长信访";

    /// <summary>How often the escalation service looks at due tickets.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest photo a resident may attach.</summary>
    public int MaxPhotoBytes { get; set; } = 5 * 1024 * 1024;
}
