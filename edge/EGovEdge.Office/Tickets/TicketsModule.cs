using System.Security.Claims;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tickets;

/// <summary>
/// The Tickets module (投诉、信访、建言献策): tickets with append-only events, the holiday calendar, resident photos,
/// /api/tickets, Open311 GeoReport v2 at the hub, the reminder and escalation service (every node) and the home page's counts.
/// </summary>
public sealed class TicketsModule : OfficeModule
{
    private static readonly OwnRowsOnlyRules OwnRows = new();

    public override IReadOnlyList<SyncTable> Tables =>
        [TicketsTable.Definition, TicketEventsTable.Definition, TicketMediaTable.Definition, HolidayCalendarTable.Definition, TicketNoticesTable.Definition];

    /// <summary>
    /// A township: files tickets only for itself (never changes the hub's ticket rows); appends events only as itself,
    /// only for tickets it owns or that are with it, never changes an event, and takes owner-only actions (dispatch,
    /// callback, close) only on its own tickets. Its system writes the level-0 reminder only for tickets it holds and
    /// never an escalation (the hub's). It records 复查/复核 applications only for tickets it holds (as any event) but never
    /// decides them, and issues written notices (<c>ticket_notices</c>, insert-only) only as itself for tickets it holds,
    /// never a 复查意见书 or 复核意见书 (the hub's). The holiday calendar is the hub's. The fold additionally ignores any event from
    /// a node the ticket was not with at that point.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        switch (table.Name)
        {
            case HolidayCalendarTable.Name:
                return "only the county hub edits the holiday calendar";
            case TicketsTable.Name:
                if (OwnRows.Check(node, table, existing, incoming) is { } own) return own;
                return incoming.Text("unit") == node || incoming.Deleted ? null : "a township files tickets only for itself";
            case TicketEventsTable.Name:
                if (existing is not null) return "ticket events are append-only";
                if (incoming.Origin != node || incoming.Text("node") != node) return "a township records ticket events only as itself";
                var ticketOrigin = incoming.Text("ticket_origin");
                if (incoming.Text("unit") != node && ticketOrigin != node) return "the ticket is not dispatched to this township";
                if (ticketOrigin != node && incoming.Text("action") is TicketActions.Dispatch or TicketActions.Callback or TicketActions.Close)
                {
                    return "only the node that accepted the ticket dispatches, calls back and closes it";
                }
                return incoming.Text("action") switch
                {
                    TicketActions.Escalate => "only the county hub escalates tickets",
                    TicketActions.ReviewDecision or TicketActions.ReReviewDecision => "only the county hub decides a 复查 or 复核",
                    TicketActions.Remind when incoming.Text("unit") != node || incoming.Text("actor") != "system" || incoming.Integer("level") is not (null or 0) =>
                        "a township's system reminds only for the tickets it holds",
                    _ => null,
                };
            case TicketNoticesTable.Name:
                if (existing is not null) return "ticket notices are insert-only";
                if (incoming.Origin != node || incoming.Text("node") != node) return "a township issues notices only as itself";
                if (incoming.Text("unit") != node && incoming.Text("ticket_origin") != node) return "a township issues notices only for tickets it holds";
                return incoming.Text("kind") is TicketNoticeKinds.Review or TicketNoticeKinds.ReReview
                    ? "only the county hub issues 复查意见书 and 复核意见书"
                    : null;
            case TicketMediaTable.Name:
                if (OwnRows.Check(node, table, existing, incoming) is { } mine) return mine;
                return incoming.Text("unit") == node ? null : "a township attaches media only to its own tickets";
            default:
                return OwnRows.Check(node, table, existing, incoming);
        }
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddOptions<TicketOptions>().BindConfiguration("EGov:Tickets");
        services.AddSingleton<TicketService>();
        services.AddSingleton<EGovEdge.Office.Supervision.ITicketStatistics, TicketStatistics>();
        services.AddSingleton<IWorkSource, TicketWorkSource>();
        services.AddHostedService<TicketEscalationService>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(TicketJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTicketApi();
        endpoints.MapOpen311();
    }

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/tickets", typeof(TicketText), "Nav_Tickets", MudBlazor.Icons.Material.Filled.SupportAgent, Policies.Staff),
        new("/tickets/new", typeof(TicketText), "Nav_FileTicket", MudBlazor.Icons.Material.Filled.PersonAddAlt, Policies.DocumentsWrite, MatchAll: true),
        new("/tickets/supervision", typeof(TicketText), "Nav_Supervision", MudBlazor.Icons.Material.Filled.AlarmOn, Policies.Supervise),
    ];
}

/// <summary>Home page: tickets to sign for, to handle, overdue.</summary>
public sealed class TicketWorkSource(TicketService tickets, IStringLocalizer<TicketText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true) return [];
        var work = tickets.Work();
        return
        [
            new WorkItemCount("tickets.sign", text["Work_Sign"], work.ToSign, "/tickets?box=ToSign", MudBlazor.Icons.Material.Filled.AssignmentReturned),
            new WorkItemCount("tickets.handle", text["Work_Handle"], work.ToHandle, "/tickets?box=ToHandle", MudBlazor.Icons.Material.Filled.SupportAgent),
            new WorkItemCount("tickets.overdue", text["Work_Overdue"], work.Overdue, "/tickets?box=Overdue", MudBlazor.Icons.Material.Filled.AlarmOn),
        ];
    }
}

/// <summary>
/// At every node, every <see cref="TicketOptions.CheckInterval"/>: <see cref="TicketService.RunEscalation"/> writes the
/// steps that are this node's (<see cref="TicketRules.Writes"/>). A township reminds the handler of the tickets it holds
/// before their deadlines, also while the hub is unreachable; the hub reminds for the county's units and writes every
/// escalation after a deadline. Ownership follows the ticket's unit and each step is idempotent (one event per level
/// and deadline), so no level is written twice.
/// </summary>
public sealed class TicketEscalationService(TicketService tickets, TimeProvider time,
    IOptions<TicketOptions> options, ILogger<TicketEscalationService> log) : PeriodicWork(time, log)
{
    protected override string Name => "Ticket escalation";

    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override int RunRound() => tickets.RunEscalation();
}
