namespace EGovEdge.Office.Supervision;

/// <summary>
/// The supervisors' figures for one period [<see cref="FromUtc"/>, <see cref="ToUtc"/>) (whole China days
/// <see cref="From"/> … <see cref="To"/>), per unit (a township, or "hub" for the county organs) and in total. Computed
/// from what this node holds: at the hub that is every township; at a township only its own and what reached it.
/// </summary>
public sealed class SupervisionReport
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required DateTimeOffset FromUtc { get; init; }
    public required DateTimeOffset ToUtc { get; init; }
    public required DateTimeOffset GeneratedUtc { get; init; }

    /// <summary>The node that computed the report ("hub" sees the whole county).</summary>
    public required string Node { get; init; }

    public IReadOnlyList<UnitFigures> Units { get; init; } = [];
    public required UnitFigures Total { get; init; }

    /// <summary>Staff actions per user (audit entries), busiest first.</summary>
    public IReadOnlyList<UserUsage> Users { get; init; } = [];

    /// <summary>Per China month of the period: documents issued, reminders and warnings (for the trend charts).</summary>
    public IReadOnlyList<MonthFigures> Months { get; init; } = [];

    /// <summary>Per township: last sync, lag, rejected rows (hub only; empty on a township node).</summary>
    public IReadOnlyList<SyncHealthRow> Sync { get; init; } = [];

    public bool SyncAvailable { get; init; }

    /// <summary>False until the ticket module provides its figures (<see cref="ITicketStatistics"/>).</summary>
    public bool TicketsAvailable { get; init; }

    public required SavingsMethod Method { get; init; }
}

/// <summary>The figures of one unit (or the total).</summary>
public sealed class UnitFigures
{
    public required string Unit { get; init; }
    public required string Name { get; set; }

    /// <summary>核发: outgoing documents of this organ whose dispatch step falls in the period.</summary>
    public int Issued { get; set; }

    /// <summary>流转 (received): documents this organ signed for (签收) in the period, one per document and recipient.</summary>
    public int Circulated { get; set; }

    /// <summary>阅毕: readings recorded in the period by this organ's staff after 传阅.</summary>
    public int Readings { get; set; }

    /// <summary>Documents of this organ signed off (签发) in the period.</summary>
    public int SignedOff { get; set; }

    /// <summary>Median hours from creation (拟稿) to sign-off, over <see cref="SignedOff"/>; null when none.</summary>
    public double? SignOffMedianHours { get; set; }

    /// <summary>Average hours from creation to sign-off; null when none.</summary>
    public double? SignOffAverageHours { get; set; }

    /// <summary>
    /// Incoming documents of this organ overdue at the end of the period (or now, if earlier): a 承办 deadline whose
    /// China date has passed, and no reply (答复) recorded by then.
    /// </summary>
    public int OverdueDocuments { get; set; }

    /// <summary>Notices (kind notice) shown in the period, by the sending unit.</summary>
    public int Notices { get; set; }

    /// <summary>Reminders (提醒) shown in the period, by the sending unit.</summary>
    public int Reminders { get; set; }

    /// <summary>Early warnings (预警) shown in the period, by the sending unit.</summary>
    public int Warnings { get; set; }

    /// <summary>催办 steps on documents recorded by this unit in the period.</summary>
    public int DocumentReminders { get; set; }

    /// <summary>SMS queued in the period by this unit that went out (logged, sent or delivered).</summary>
    public int SmsSent { get; set; }

    public int SmsFailed { get; set; }

    /// <summary>Audit entries in the period by staff (not "system") at this unit's node.</summary>
    public int Actions { get; set; }

    /// <summary>Distinct staff with at least one action in the period.</summary>
    public int ActiveUsers { get; set; }

    /// <summary>Enabled accounts of the unit (now).</summary>
    public int Accounts { get; set; }

    /// <summary>Documents saved from paper: <see cref="Issued"/> + <see cref="Circulated"/>.</summary>
    public int PaperlessDocuments { get; set; }

    public decimal Sheets { get; set; }
    public decimal PaperYuan { get; set; }
    public decimal ConsumablesYuan { get; set; }
    public decimal TransportYuan { get; set; }
    public decimal OtherYuan { get; set; }
    public decimal SavedYuan { get; set; }

    /// <summary>Conflicts detected in the period that involve a version written at this unit.</summary>
    public int Conflicts { get; set; }

    /// <summary>Of <see cref="Conflicts"/>, those still without a resolution.</summary>
    public int OpenConflicts { get; set; }

    /// <summary>Inspections of this unit dated in the period.</summary>
    public int Inspections { get; set; }

    public int? OverdueTickets { get; set; }
    public int? TicketsClosedOnTime { get; set; }
    public double? TicketSatisfaction { get; set; }
}

public sealed record UserUsage(string Unit, string Username, string DisplayName, int Actions);

public sealed record MonthFigures(string Month, int Issued, int Circulated, int Reminders, int Warnings);

/// <summary>One township's sync health as the hub sees it.</summary>
public sealed record SyncHealthRow(string Node, string Name, DateTimeOffset? LastSyncUtc, long Lag, long Rejected, long ChangesReceived, long ChangesSent);

/// <summary>The unit prices the savings were computed with (shown on the page and in the CSV).</summary>
public sealed record SavingsMethod(decimal SheetsPerDocument, bool UsePdfPageCounts, decimal PaperYuanPerSheet, decimal ConsumablesYuanPerSheet,
    decimal TransportYuanPerDocument, decimal OtherYuanPerDocument);

/// <summary>Ticket (complaints and petitions) figures of one unit in a period.</summary>
public sealed record TicketFigures(int Overdue, int ClosedOnTime, double? AverageSatisfaction);

/// <summary>
/// Ticket statistics per unit, provided by the ticket module. The default registration answers null ("not available")
/// until the real one is wired.
/// </summary>
public interface ITicketStatistics
{
    /// <summary>Figures per unit code for [fromUtc, toUtc), or null when tickets are not available on this node.</summary>
    IReadOnlyDictionary<string, TicketFigures>? For(DateTimeOffset fromUtc, DateTimeOffset toUtc);
}

/// <summary>The default: tickets are not available.</summary>
public sealed class NoTicketStatistics : ITicketStatistics
{
    public IReadOnlyDictionary<string, TicketFigures>? For(DateTimeOffset fromUtc, DateTimeOffset toUtc) => null;
}
