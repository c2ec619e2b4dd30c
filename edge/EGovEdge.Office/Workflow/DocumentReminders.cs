using EGovEdge.Office.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Workflow;

/// <summary>EGov:Documents. Automatic 催办 of incoming documents whose handling deadline (承办期限) nears or has passed.</summary>
public sealed class DocumentReminderOptions
{
    /// <summary>Minutes between two looks at the deadlines (at least 1).</summary>
    public int ReminderCheckMinutes { get; set; } = 10;

    /// <summary>
    /// Hours before the end of the deadline day (24:00 China time) from which the "deadline near" reminder is due;
    /// the default 24 reminds on the deadline day itself.
    /// </summary>
    public int ReminderLeadHours { get; set; } = 24;

    public TimeSpan CheckInterval => TimeSpan.FromMinutes(Math.Max(1, ReminderCheckMinutes));

    public TimeSpan Lead => TimeSpan.FromHours(Math.Max(0, ReminderLeadHours));
}

/// <summary>
/// At every node (hub and townships alike), every <see cref="DocumentReminderOptions.CheckInterval"/>: 催办 of the
/// documents this node handles as an addressee, once when the deadline nears and once when it has passed
/// (<see cref="WorkflowService.RunDeadlineReminders"/>). Each node looks only at its own receipts, so no reminder is
/// written twice.
/// </summary>
public sealed class DocumentReminderService(WorkflowService workflow, TimeProvider time, IOptions<DocumentReminderOptions> options,
    ILogger<DocumentReminderService> log) : PeriodicWork(time, log)
{
    protected override string Name => "Document deadline reminders";

    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override int RunRound() => workflow.RunDeadlineReminders();
}
