using System.Globalization;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Tickets;

/// <summary>A ticket row as the rules see it.</summary>
public sealed class TicketRecord
{
    public required string Id { get; init; }
    public required string Origin { get; init; }
    public required string Number { get; init; }
    public required string Kind { get; init; }
    public required string Category { get; init; }
    public required string Urgency { get; init; }
    public required string Channel { get; init; }
    public required string Unit { get; init; }
    public string? Township { get; init; }
    public required string Description { get; init; }
    public string? Address { get; init; }
    public string? Lat { get; init; }
    public string? Lng { get; init; }
    public string? ResidentName { get; init; }
    public string? ResidentPhone { get; init; }
    public string? ResidentIdNumber { get; init; }
    public string? ResidentEmail { get; init; }
    public bool IsPublic { get; init; }
    public required string QueryHash { get; init; }
    public DateTimeOffset AcceptedUtc { get; init; }
    public string? FiledBy { get; init; }
    public string? ServiceCode { get; init; }
    public string? MediaUrl { get; init; }
    public bool HasPhoto { get; init; }
    /// <summary>The petition this one raises again ("same matter"), linked by the clerk at filing.</summary>
    public string? SameMatterOf { get; init; }

    public bool IsPetition => Kind == TicketKinds.Petition;

    public static TicketRecord From(SyncRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new TicketRecord
        {
            Id = row.Id,
            Origin = row.Origin,
            Number = row.Text("number") ?? "",
            Kind = row.Text("kind") ?? TicketKinds.Complaint,
            Category = row.Text("category") ?? "other",
            Urgency = row.Text("urgency") ?? TicketUrgency.Normal,
            Channel = row.Text("channel") ?? TicketChannels.Portal,
            Unit = row.Text("unit") ?? row.Origin,
            Township = row.Text("township"),
            Description = row.Text("description") ?? "",
            Address = row.Text("address"),
            Lat = row.Text("lat"),
            Lng = row.Text("lng"),
            ResidentName = row.Text("resident_name"),
            ResidentPhone = row.Text("resident_phone"),
            ResidentIdNumber = row.Text("resident_id_number"),
            ResidentEmail = row.Text("resident_email"),
            IsPublic = row.Integer("is_public") == 1,
            QueryHash = row.Text("query_hash") ?? "",
            AcceptedUtc = TicketRules.Parse(row.Text("accepted_utc")) ?? DateTimeOffset.MinValue,
            FiledBy = row.Text("filed_by"),
            ServiceCode = row.Text("service_code"),
            MediaUrl = row.Text("media_url"),
            HasPhoto = row.Integer("has_photo") == 1,
            SameMatterOf = row.Text("same_matter_of"),
        };
    }
}

/// <summary>One <c>ticket_events</c> row. <see cref="Applied"/> is set by the fold: false when the event did not fit the state it met (e.g. written offline by a unit the ticket had already left).</summary>
public sealed class TicketEvent
{
    public required string Id { get; init; }
    public required string Hlc { get; init; }
    public required string Origin { get; init; }
    public required string TicketId { get; init; }
    public required string Action { get; init; }
    public required string Node { get; init; }
    public required string Actor { get; init; }
    public string? ActorName { get; init; }
    public DateTimeOffset AtUtc { get; init; }
    public string? Unit { get; init; }
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
    public DateTimeOffset? DueUtc { get; init; }
    /// <summary>复查/复核 applications: when the petitioner's application was received.</summary>
    public DateTimeOffset? ReceivedUtc { get; init; }
    public bool Applied { get; set; } = true;

    public static TicketEvent From(SyncRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new TicketEvent
        {
            Id = row.Id,
            Hlc = row.Hlc,
            Origin = row.Origin,
            TicketId = row.Text("ticket_id") ?? "",
            Action = row.Text("action") ?? "",
            Node = row.Text("node") ?? row.Origin,
            Actor = row.Text("actor") ?? "",
            ActorName = row.Text("actor_name"),
            AtUtc = TicketRules.Parse(row.Text("at_utc")) ?? DateTimeOffset.MinValue,
            Unit = row.Text("unit"),
            ToUnit = row.Text("to_unit"),
            Opinion = row.Text("opinion"),
            LegalBasis = row.Text("legal_basis"),
            Reply = row.Text("reply"),
            ReasonCode = row.Text("reason_code"),
            ResponsibleBody = row.Text("responsible_body"),
            Satisfaction = row.Text("satisfaction"),
            Adoption = row.Text("adoption"),
            Days = row.Integer("days") is { } d ? (int)d : null,
            Approved = row.Integer("approved") == 1,
            Level = row.Integer("level") is { } l ? (int)l : null,
            DeadlineUtc = TicketRules.Parse(row.Text("deadline_utc")),
            DueUtc = TicketRules.Parse(row.Text("due_utc")),
            ReceivedUtc = TicketRules.Parse(row.Text("received_utc")),
        };
    }
}

/// <summary>What the events say about a ticket now: its state, who has it, and the two clocks.</summary>
public sealed class TicketStatus
{
    public TicketState State { get; internal set; }

    /// <summary>The township (or "hub") that has it for handling; null while with the node that accepted it.</summary>
    public string? Unit { get; internal set; }

    /// <summary>Uninterrupted clock: from acceptance (registration for petitions) to <see cref="OverallDue"/>.</summary>
    public DateTimeOffset OverallStart { get; internal set; }
    public DateTimeOffset OverallDue { get; internal set; }

    /// <summary>Per-stage clock: resets when the ticket changes hands (dispatch, return, reopen) or is escalated.</summary>
    public DateTimeOffset StageStart { get; internal set; }
    public DateTimeOffset? StageDue { get; internal set; }

    /// <summary>限时督办 deadline set by the county supervisor.</summary>
    public DateTimeOffset? SupervisionDue { get; internal set; }

    public TicketEvent? PendingExtension { get; internal set; }
    public int ExtensionDays { get; internal set; }
    public DateTimeOffset? DispatchedUtc { get; internal set; }
    public DateTimeOffset? SignedUtc { get; internal set; }
    public TicketEvent? LastReply { get; internal set; }
    public TicketEvent? LastCallback { get; internal set; }
    public DateTimeOffset? ClosedUtc { get; internal set; }
    public TicketEvent? Closing { get; internal set; }
    public int Reopens { get; internal set; }
    public int EscalationLevel { get; internal set; }

    /// <summary>Petitions: the statutory stage and its deadline (acceptance, 处理意见, the 复查/复核 application windows and handling).</summary>
    public PetitionStage Stage { get; internal set; }
    public DateTimeOffset? PetitionDeadline { get; internal set; }
    public TicketEvent? ReviewApplication { get; internal set; }
    public TicketEvent? ReviewDecision { get; internal set; }
    public TicketEvent? ReReviewApplication { get; internal set; }
    public TicketEvent? ReReviewDecision { get; internal set; }

    /// <summary>复核 done: the matter is final and the same matter is not accepted again.</summary>
    public bool IsFinal => ReReviewDecision is not null;

    internal HashSet<string> Escalations { get; } = new(StringComparer.Ordinal);

    public bool IsOpen => State is not (TicketState.Closed or TicketState.NotAccepted);

    /// <summary>Whether the clocks run (not while waiting for the resident's callback, nor after closing).</summary>
    public bool IsRunning => State is TicketState.Registered or TicketState.Accepted or TicketState.Dispatched or TicketState.Handling or TicketState.Returned
        or TicketState.Review or TicketState.ReReview;

    /// <summary>The deadline escalation watches: the supervision deadline when earlier, else the overall one.</summary>
    public DateTimeOffset EscalationDeadline => SupervisionDue is { } s && s < OverallDue ? s : OverallDue;

    public bool IsOverdue(DateTimeOffset now) => IsRunning && now > EscalationDeadline;

    public bool IsStageOverdue(DateTimeOffset now) => IsRunning && StageDue is { } d && now > d;

    public bool HasEscalation(int level, DateTimeOffset deadline) => Escalations.Contains(Key(level, deadline));

    internal static string Key(int level, DateTimeOffset deadline) => level.ToString(CultureInfo.InvariantCulture) + "@" + TicketRules.Iso(deadline);
}

/// <summary>A reminder (level 0) or an escalation (1 unit head, 2 county supervisor) that is due now.</summary>
public sealed record EscalationStep(int Level, DateTimeOffset Deadline, string Unit);

/// <summary>
/// The pure rules: deadlines (working days with the holiday calendar; hours for emergencies; natural days for
/// petitions, as 《信访工作条例》 counts them), the fold of events into a <see cref="TicketStatus"/>, and which
/// reminders and escalations are due at a given instant.
/// </summary>
public sealed class TicketRules(WorkingCalendar calendar, TicketOptions options)
{
    public WorkingCalendar Calendar { get; } = calendar;

    public TicketOptions Options { get; } = options;

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>The SLA rule for a non-petition ticket (first match).</summary>
    public TicketSlaRule RuleFor(string kind, string category, string urgency) =>
        Options.Rules.Concat(TicketOptions.DefaultRules).FirstOrDefault(r =>
            (r.Kind is null || r.Kind == kind) && (r.Category is null || r.Category == category) && (r.Urgency is null || r.Urgency == urgency))
        ?? new TicketSlaRule { WorkingDays = 13 };

    /// <summary>Hour-based (emergency) deadline rather than day-based.</summary>
    public bool IsHourBased(TicketRecord t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return !t.IsPetition && RuleFor(t.Kind, t.Category, t.Urgency).Hours is not null;
    }

    /// <summary>The deadline counted from <paramref name="from"/> for a complaint, suggestion or enquiry.</summary>
    public DateTimeOffset SlaDue(TicketRecord t, DateTimeOffset from)
    {
        ArgumentNullException.ThrowIfNull(t);
        var rule = RuleFor(t.Kind, t.Category, t.Urgency);
        return rule.Hours is { } h ? WorkingCalendar.AddHours(from, h) : Calendar.AddWorkingDays(from, rule.WorkingDays ?? 13);
    }

    /// <summary>Extends a deadline: working days (natural days for petitions), counted from the deadline's own day.</summary>
    public DateTimeOffset Extend(TicketRecord t, DateTimeOffset due, int days)
    {
        ArgumentNullException.ThrowIfNull(t);
        var day = due.AddTicks(-1);
        return t.IsPetition ? WorkingCalendar.AddNaturalDays(day, days) : Calendar.AddWorkingDays(day, days);
    }

    public DateTimeOffset SignDue(TicketRecord t, DateTimeOffset dispatched) =>
        IsHourBased(t) ? WorkingCalendar.AddHours(dispatched, Options.EmergencySignHours) : Calendar.AddWorkingDays(dispatched, Options.SignWorkingDays);

    public DateTimeOffset ReturnDue(TicketRecord t, DateTimeOffset dispatched) =>
        IsHourBased(t) ? WorkingCalendar.AddHours(dispatched, Options.EmergencyReturnHours) : Calendar.AddWorkingDays(dispatched, Options.ReturnWorkingDays);

    /// <summary>Folds the events (in HLC order) over the ticket; events that do not fit are marked not applied.</summary>
    public TicketStatus Fold(TicketRecord t, IEnumerable<TicketEvent> events)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(events);
        var s = new TicketStatus
        {
            State = t.IsPetition ? TicketState.Registered : TicketState.Accepted,
            OverallStart = t.AcceptedUtc,
            StageStart = t.AcceptedUtc,
            OverallDue = t.IsPetition ? WorkingCalendar.AddNaturalDays(t.AcceptedUtc, Options.PetitionAcceptDays) : SlaDue(t, t.AcceptedUtc),
        };
        foreach (var e in events.OrderBy(e => e.Hlc, StringComparer.Ordinal))
        {
            e.Applied = Apply(t, s, e);
        }
        s.StageDue = s.State switch
        {
            TicketState.Registered => s.OverallDue,
            TicketState.Dispatched => SignDue(t, s.StageStart),
            TicketState.Accepted or TicketState.Handling or TicketState.Returned or TicketState.Review or TicketState.ReReview => s.OverallDue,
            _ => null,
        };
        if (t.IsPetition) (s.Stage, s.PetitionDeadline) = Stage(s);
        return s;
    }

    private bool Apply(TicketRecord t, TicketStatus s, TicketEvent e)
    {
        var owner = e.Node == t.Origin;
        var atUnit = s.Unit is not null && e.Node == s.Unit;
        switch (e.Action)
        {
            case TicketActions.Accept when s.State == TicketState.Registered && (owner || atUnit):
                s.State = s.Unit is null ? TicketState.Accepted : TicketState.Handling;
                s.OverallDue = WorkingCalendar.AddNaturalDays(e.AtUtc, Options.PetitionCloseDays);
                s.StageStart = e.AtUtc;
                return true;
            case TicketActions.NotAccept when s.State == TicketState.Registered && (owner || atUnit) && !string.IsNullOrWhiteSpace(e.LegalBasis):
                s.State = TicketState.NotAccepted;
                s.ClosedUtc = e.AtUtc;
                s.Closing = e;
                return true;
            case TicketActions.Dispatch when owner && !string.IsNullOrEmpty(e.ToUnit) && s.State is TicketState.Registered or TicketState.Accepted
                or TicketState.Returned or TicketState.Dispatched or TicketState.Handling:
                if (s.State != TicketState.Registered) s.State = TicketState.Dispatched;
                s.Unit = e.ToUnit;
                s.StageStart = e.AtUtc;
                s.DispatchedUtc = e.AtUtc;
                s.PendingExtension = null;
                // The dispatch carries the deadlines so far: a unit that never saw the earlier events folds the same clocks.
                if (e.DueUtc is { } due) s.OverallDue = due;
                if (e.DeadlineUtc is { } sup) s.SupervisionDue = sup;
                // Level 0: the reminder for the carried deadline was already written (by a unit the receiver never hears from).
                if (e.Level == 0) s.Escalations.Add(TicketStatus.Key(0, s.EscalationDeadline));
                return true;
            case TicketActions.Sign when s.State == TicketState.Dispatched && atUnit:
                s.State = TicketState.Handling;
                s.SignedUtc = e.AtUtc;
                return true;
            case TicketActions.Sign when s.State == TicketState.Registered && atUnit:
                s.SignedUtc = e.AtUtc; // a forwarded petition: the unit signs, then decides on acceptance
                return true;
            case TicketActions.Return when s.State is TicketState.Dispatched or TicketState.Handling && atUnit && !string.IsNullOrWhiteSpace(e.LegalBasis):
                s.State = TicketState.Returned;
                s.Unit = null;
                s.StageStart = e.AtUtc;
                s.PendingExtension = null;
                return true;
            case TicketActions.ExtensionRequest when s.State is TicketState.Handling or TicketState.Accepted && s.PendingExtension is null
                && (atUnit || (s.Unit is null && owner)) && e.Days is > 0:
                s.PendingExtension = e;
                return true;
            case TicketActions.ExtensionDecision when s.PendingExtension is not null && s.IsRunning:
                if (e.Approved)
                {
                    var days = s.PendingExtension.Days ?? 0;
                    s.OverallDue = Extend(t, s.OverallDue, days);
                    s.ExtensionDays += days;
                }
                s.PendingExtension = null;
                return true;
            case TicketActions.Reply when (s.State == TicketState.Handling && atUnit) || (s.State is TicketState.Accepted or TicketState.Returned && owner):
                s.State = TicketState.Replied;
                s.LastReply = e;
                s.PendingExtension = null;
                return true;
            case TicketActions.Callback when s.State == TicketState.Replied && owner && e.Satisfaction is not null:
                s.LastCallback = e;
                if (e.Satisfaction == Satisfaction.Unsatisfied)
                {
                    s.Reopens++;
                    s.State = s.Unit is null ? TicketState.Accepted : TicketState.Handling;
                    s.StageStart = e.AtUtc;
                }
                else
                {
                    s.State = TicketState.Closed;
                    s.ClosedUtc = e.AtUtc;
                    s.Closing = e;
                }
                return true;
            case TicketActions.Close when s.State == TicketState.Replied && owner:
                s.State = TicketState.Closed;
                s.ClosedUtc = e.AtUtc;
                s.Closing = e;
                return true;
            case TicketActions.Supervise when s.IsOpen && e.DeadlineUtc is not null:
                s.SupervisionDue = e.DeadlineUtc;
                return true;
            case TicketActions.Remind when e.DeadlineUtc is { } d && (e.Node == NodeIds.Hub || e.Node == (s.Unit ?? t.Origin)):
                s.Escalations.Add(TicketStatus.Key(0, d));
                return true;
            case TicketActions.Escalate when e.DeadlineUtc is { } d && e.Level is { } level && e.Node == NodeIds.Hub:
                s.Escalations.Add(TicketStatus.Key(level, d));
                s.EscalationLevel = Math.Max(s.EscalationLevel, level);
                s.StageStart = e.AtUtc;
                return true;
            case TicketActions.ReviewApply when t.IsPetition && s.State is TicketState.Replied or TicketState.Closed && s.LastReply is { } reply
                && s.ReviewApplication is null && (owner || atUnit || e.Node == NodeIds.Hub) && InWindow(e.ReceivedUtc, reply.AtUtc):
                s.ReviewApplication = e;
                StartReview(s, TicketState.Review, e.ReceivedUtc!.Value);
                return true;
            case TicketActions.ReviewDecision when s.State == TicketState.Review && e.Node == NodeIds.Hub && !string.IsNullOrWhiteSpace(e.Reply):
                s.ReviewDecision = e;
                s.State = TicketState.Closed;
                s.ClosedUtc = e.AtUtc;
                s.Closing = e;
                return true;
            case TicketActions.ReReviewApply when s.State == TicketState.Closed && s.ReviewDecision is { } review && s.ReReviewApplication is null
                && (owner || atUnit || e.Node == NodeIds.Hub) && InWindow(e.ReceivedUtc, review.AtUtc):
                s.ReReviewApplication = e;
                StartReview(s, TicketState.ReReview, e.ReceivedUtc!.Value);
                return true;
            case TicketActions.ReReviewDecision when s.State == TicketState.ReReview && e.Node == NodeIds.Hub && !string.IsNullOrWhiteSpace(e.Reply):
                s.ReReviewDecision = e;
                s.State = TicketState.Closed;
                s.ClosedUtc = e.AtUtc;
                s.Closing = e;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The last moment a 复查 (复核) application may be received: the end of the 30th day after the opinion.</summary>
    public DateTimeOffset ApplicationDeadline(DateTimeOffset opinionIssued) => WorkingCalendar.AddNaturalDays(opinionIssued, Options.PetitionReviewApplyDays);

    /// <summary>Whether an application received at <paramref name="received"/> is inside the window opened by the opinion.</summary>
    public bool InWindow(DateTimeOffset? received, DateTimeOffset opinionIssued) =>
        received is { } r && r >= WorkingCalendar.EndOf(WorkingCalendar.ChinaDate(opinionIssued).AddDays(-1)) && r <= ApplicationDeadline(opinionIssued);

    /// <summary>复查 and 复核 go to the body above (the county hub) and run 30 days from receiving the application.</summary>
    private void StartReview(TicketStatus s, TicketState state, DateTimeOffset received)
    {
        s.State = state;
        s.Unit = NodeIds.Hub;
        s.StageStart = received;
        s.OverallStart = received;
        s.OverallDue = WorkingCalendar.AddNaturalDays(received, Options.PetitionReviewDays);
        s.ClosedUtc = null;
        s.Closing = null;
        s.PendingExtension = null;
        s.SupervisionDue = null;
    }

    private (PetitionStage, DateTimeOffset?) Stage(TicketStatus s) => s.State switch
    {
        TicketState.Registered => (PetitionStage.Acceptance, s.OverallDue),
        TicketState.NotAccepted => (PetitionStage.NotAccepted, null),
        TicketState.Review => (PetitionStage.Review, s.OverallDue),
        TicketState.ReReview => (PetitionStage.ReReview, s.OverallDue),
        TicketState.Replied or TicketState.Closed when s.ReReviewDecision is not null => (PetitionStage.Final, null),
        TicketState.Replied or TicketState.Closed when s.ReviewDecision is { } review => (PetitionStage.ReReviewWindow, ApplicationDeadline(review.AtUtc)),
        TicketState.Replied or TicketState.Closed when s.LastReply is { } reply => (PetitionStage.ReviewWindow, ApplicationDeadline(reply.AtUtc)),
        _ => (PetitionStage.Handling, s.OverallDue),
    };

    /// <summary>
    /// The reminders and escalations due at <paramref name="now"/> that are not recorded yet for the current deadline:
    /// a reminder the day before (a quarter of the time before, for hour limits), level 1 (unit head) when the
    /// deadline passes, level 2 (county supervisor) one working day later (a quarter of the time, for hour limits).
    /// </summary>
    public IReadOnlyList<EscalationStep> DueSteps(TicketRecord t, TicketStatus s, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(s);
        if (!s.IsRunning) return [];
        var deadline = s.EscalationDeadline;
        var unit = s.Unit ?? t.Origin;
        TimeSpan lead;
        DateTimeOffset second;
        if (IsHourBased(t))
        {
            var hours = RuleFor(t.Kind, t.Category, t.Urgency).Hours ?? 8;
            lead = TimeSpan.FromMinutes(Math.Max(30, hours * 15));
            second = deadline + lead;
        }
        else
        {
            lead = TimeSpan.FromDays(1);
            second = t.IsPetition ? deadline + TimeSpan.FromDays(1) : Calendar.AddWorkingDays(deadline.AddTicks(-1), 1);
        }
        var steps = new List<EscalationStep>();
        if (now >= deadline - lead && now <= deadline && !s.HasEscalation(0, deadline)) steps.Add(new EscalationStep(0, deadline, unit));
        if (now > deadline && !s.HasEscalation(1, deadline)) steps.Add(new EscalationStep(1, deadline, unit));
        if (now > second && !s.HasEscalation(2, deadline)) steps.Add(new EscalationStep(2, deadline, NodeIds.Hub));
        return steps;
    }

    /// <summary>
    /// Whether <paramref name="node"/> writes <paramref name="step"/>: the reminder (level 0) is written by the node that
    /// holds the ticket (its unit: a township for its own tickets, also offline; the hub for the county's units), every
    /// escalation by the hub. Derived from the unit alone, so the hub never reminds for a township's ticket and no level
    /// is written by two nodes.
    /// </summary>
    public static bool Writes(string node, EscalationStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Level == 0 ? node == step.Unit : node == NodeIds.Hub;
    }
}
