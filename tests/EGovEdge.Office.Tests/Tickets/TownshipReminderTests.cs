using System.Text.Json.Nodes;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.Notices;
using EGovEdge.Office.Tickets;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Tickets;

/// <summary>
/// The level-0 reminder is written by the node that holds the ticket (a township also while offline), every escalation
/// by the hub; never a level twice, on either side, before or after sync.
/// </summary>
public sealed class TownshipReminderTests : IDisposable
{
    private const string Gs = "guangshun";
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void Offline_township_reminds_its_handler_once_and_the_hub_only_escalates()
    {
        var hub = _w.Hub;
        var edge = _w.Edge(Gs);
        var created = hub.Create(TicketWorld.Complaint(urgency: TicketUrgency.Emergency), TicketActor.Resident);
        var id = created.Id;
        hub.Act(id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = Gs }, TicketWorld.Clerk("hub"));
        _w.World.Sync(Gs);
        var deadline = edge.Load(id)!.Value.Status.EscalationDeadline;
        Assert.Equal(deadline, hub.Load(id)!.Value.Status.EscalationDeadline);

        // From here the township is offline. Before the reminder window nobody writes anything.
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal(0, hub.RunEscalation());

        // 1½ hours before the deadline (emergency: 8 hours, reminder 2 hours before).
        _w.World.Time.Advance(TimeSpan.FromHours(6.5));
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal(1, edge.RunEscalation());
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal(0, hub.RunEscalation());
        var remind = Assert.Single(Steps(edge, id));
        Assert.Equal(TicketActions.Remind, remind.Action);
        Assert.Equal(0, remind.Level);
        Assert.Equal(Gs, remind.Node);
        Assert.Equal("system", remind.Actor);
        Assert.Equal(deadline, remind.DeadlineUtc);
        Assert.Empty(Steps(hub, id));

        // The notice is at the township, for its staff, with the hub unreachable.
        var inbox = NoticesAt(_w.World.Edge(Gs)).List(new NoticeReader("clerk-" + Gs, Gs));
        var notice = Assert.Single(inbox.Items, n => n.SourceId == id && n.Title == _w.Text["Notice_Remind", created.Number].Value);
        Assert.Equal([Gs], notice.Units);
        Assert.Equal("system", notice.Sender);
        Assert.Equal("/tickets/" + id, notice.Link);
        Assert.False(notice.Read);

        // Synced: the hub holds the township's reminder and still writes none.
        _w.World.Sync(Gs);
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal([(0, Gs)], Steps(hub, id).Select(e => (e.Level ?? -1, e.Node)));

        // Past the deadline, offline again: the hub escalates to the unit head, the township writes nothing.
        _w.World.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal(1, hub.RunEscalation());
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal([(0, Gs)], Steps(edge, id).Select(e => (e.Level ?? -1, e.Node)));

        // A quarter of the hour limit after the deadline: level 2 (county supervisor), again only at the hub.
        _w.World.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal(1, hub.RunEscalation());
        _w.World.Sync(Gs);
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal(0, edge.RunEscalation());

        // Both sides hold exactly one event per level: the reminder from the township, the escalations from the hub.
        (int, string)[] expected = [(0, Gs), (1, "hub"), (2, "hub")];
        Assert.Equal(expected, Steps(hub, id).Select(e => (e.Level ?? -1, e.Node)).Order());
        Assert.Equal(expected, Steps(edge, id).Select(e => (e.Level ?? -1, e.Node)).Order());
        Assert.All(hub.Load(id)!.Value.Events.Where(e => e.Action is TicketActions.Remind or TicketActions.Escalate), e => Assert.True(e.Applied));
        Assert.Equal(2, edge.Get(id, TicketWorld.Clerk(Gs))!.EscalationLevel);
        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(1, conn.ScalarLong("SELECT COUNT(*) FROM notices WHERE source_id = @id AND origin = @gs", null, ("@id", id), ("@gs", Gs)));
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM hub_rejected WHERE tbl IN ('ticket_events', 'notices')"));
    }

    [Fact]
    public void Dispatch_after_the_hubs_reminder_carries_it_so_the_township_never_reminds_for_that_deadline_again()
    {
        var hub = _w.Hub;
        var edge = _w.Edge(Gs);
        var id = hub.Create(TicketWorld.Complaint(urgency: TicketUrgency.Emergency), TicketActor.Resident).Id;
        _w.World.Sync(Gs);
        Assert.Null(edge.Record(id)); // still with the hub

        // In the reminder window the ticket is the hub's (a county unit): the hub reminds, the township knows nothing of it.
        _w.World.Time.Advance(TimeSpan.FromHours(6.5));
        Assert.Equal(1, hub.RunEscalation());
        Assert.Equal(0, edge.RunEscalation());
        var hubRemind = Assert.Single(Steps(hub, id));
        Assert.Equal(("hub", 0), (hubRemind.Node, hubRemind.Level ?? -1));

        // Dispatched to the township within the window: the dispatch carries the deadline and the reminder written for it.
        var dispatched = hub.Act(id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = Gs }, TicketWorld.Clerk("hub"));
        var dispatch = Assert.Single(hub.Events(id), e => e.Action == TicketActions.Dispatch);
        Assert.Equal(0, dispatch.Level);
        Assert.Equal(hubRemind.DeadlineUtc, dispatched.OverallDue);
        _w.World.Sync(Gs);
        Assert.Empty(Steps(edge, id)); // the hub's reminder (scope: the county) never reached the township
        Assert.True(edge.Load(id)!.Value.Status.HasEscalation(0, hubRemind.DeadlineUtc!.Value));
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal(0, hub.RunEscalation());

        // Past the deadline: the hub escalates; after sync each level exists once.
        _w.World.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal(1, hub.RunEscalation());
        _w.World.Sync(Gs);
        Assert.Equal(0, edge.RunEscalation());
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal([(0, "hub"), (1, "hub")], Steps(hub, id).Select(e => (e.Level ?? -1, e.Node)).Order());
        Assert.Equal([(1, "hub")], Steps(edge, id).Select(e => (e.Level ?? -1, e.Node)));
    }

    [Fact]
    public void Level_zero_belongs_to_the_unit_that_holds_the_ticket_and_escalations_to_the_hub()
    {
        var hub = _w.Hub;
        var deadline = _w.World.Time.GetUtcNow().AddHours(1);
        // Level 0 belongs to the unit that holds the ticket, also for an older deadline; escalations to the hub only.
        Assert.False(TicketRules.Writes("hub", new EscalationStep(0, deadline.AddDays(-5), Gs)));
        Assert.True(TicketRules.Writes(Gs, new EscalationStep(0, deadline, Gs)));
        Assert.False(TicketRules.Writes("baiyun", new EscalationStep(0, deadline, Gs)));
        Assert.True(TicketRules.Writes("hub", new EscalationStep(0, deadline, "hub")));
        Assert.False(TicketRules.Writes(Gs, new EscalationStep(0, deadline, "hub")));
        Assert.True(TicketRules.Writes("hub", new EscalationStep(1, deadline, Gs)));
        Assert.False(TicketRules.Writes(Gs, new EscalationStep(1, deadline, Gs)));
        Assert.False(TicketRules.Writes(Gs, new EscalationStep(2, deadline, "hub")));

        // A ticket the township filed and keeps: the township reminds, the hub does not, even knowing the ticket.
        var edge = _w.Edge(Gs);
        var filed = edge.Create(TicketWorld.Complaint(urgency: TicketUrgency.Emergency), TicketWorld.Clerk(Gs)).Id;
        _w.World.Sync(Gs);
        Assert.NotNull(hub.Record(filed));
        _w.World.Time.Advance(TimeSpan.FromHours(6.5));
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal(1, edge.RunEscalation());
        _w.World.Sync(Gs);
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal([(0, Gs)], Steps(hub, filed).Select(e => (e.Level ?? -1, e.Node)));
    }

    [Fact]
    public void The_hub_accepts_a_townships_own_reminder_and_refuses_its_escalations_and_reminders_for_other_tickets()
    {
        var hub = _w.Hub;
        var mine = hub.Create(TicketWorld.Complaint(), TicketActor.Resident).Id;
        hub.Act(mine, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = Gs }, TicketWorld.Clerk("hub"));
        var other = hub.Create(TicketWorld.Complaint("baiyun"), TicketActor.Resident).Id;
        hub.Act(other, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "baiyun" }, TicketWorld.Clerk("hub"));
        var module = new TicketsModule();
        var events = TicketEventsTable.Definition;

        Assert.Null(module.CheckWrite(Gs, events, null, Step(mine, Gs, TicketActions.Remind, 0, Gs)));
        Assert.Contains("escalates", module.CheckWrite(Gs, events, null, Step(mine, Gs, TicketActions.Escalate, 1, Gs)), StringComparison.Ordinal);
        Assert.NotNull(module.CheckWrite(Gs, events, null, Step(mine, Gs, TicketActions.Escalate, 2, Gs)));
        Assert.NotNull(module.CheckWrite(Gs, events, null, Step(other, "baiyun", TicketActions.Remind, 0, Gs)));
        Assert.NotNull(module.CheckWrite(Gs, events, null, Step(mine, Gs, TicketActions.Remind, 1, Gs)));
        Assert.NotNull(module.CheckWrite(Gs, events, null, Step(mine, Gs, TicketActions.Remind, 0, Gs, actor: "clerk-guangshun")));
        Assert.NotNull(module.CheckWrite(Gs, events, null, Step(mine, Gs, TicketActions.Remind, 0, "baiyun")));

        // Pushed for real: a forged escalation and a reminder for baiyun's ticket are refused and kept aside.
        _w.World.Sync(Gs);
        var store = _w.World.Edge(Gs);
        var deadline = _w.Edge(Gs).Load(mine)!.Value.Status.EscalationDeadline;
        var escalate = store.Insert(TicketEventsTable.Name, Data(mine, Gs, TicketActions.Escalate, 1, Gs, deadline));
        var foreign = store.Insert(TicketEventsTable.Name, Data(other, "baiyun", TicketActions.Remind, 0, Gs, deadline));
        _w.World.Sync(Gs);
        Assert.Null(_w.World.Hub.Get(TicketEventsTable.Name, escalate.Id));
        Assert.Null(_w.World.Hub.Get(TicketEventsTable.Name, foreign.Id));
        Assert.Empty(Steps(hub, mine));
        Assert.Empty(Steps(hub, other));
        Assert.Equal(0, hub.Get(mine, TicketWorld.Supervisor)!.EscalationLevel);
        using var conn = _w.World.Hub.OpenConnection();
        var rejected = new List<string>();
        using (var cmd = conn.Command("SELECT DISTINCT row_id FROM hub_rejected WHERE tbl = 'ticket_events'"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) rejected.Add(r.GetString(0));
        }
        Assert.Equal(new[] { escalate.Id, foreign.Id }.Order(StringComparer.Ordinal), rejected.Order(StringComparer.Ordinal));

        // A township's escalation or another township's reminder that reached the hub anyway is ignored by the fold.
        var (t, _, held) = hub.Load(mine)!.Value;
        var forgedEscalation = TicketEvent.From(Step(mine, Gs, TicketActions.Escalate, 1, Gs, deadline));
        var forgedRemind = TicketEvent.From(Step(mine, "baiyun", TicketActions.Remind, 0, "baiyun", deadline));
        var status = hub.Rules().Fold(t, [.. held, forgedEscalation, forgedRemind]);
        Assert.False(forgedEscalation.Applied);
        Assert.False(forgedRemind.Applied);
        Assert.Equal(0, status.EscalationLevel);
        Assert.False(status.HasEscalation(0, deadline));
        Assert.False(status.HasEscalation(1, deadline));
    }

    /// <summary>The reminders and escalations a node holds for a ticket.</summary>
    private static List<TicketEvent> Steps(TicketService node, string ticketId) =>
        node.Events(ticketId).Where(e => e.Action is TicketActions.Remind or TicketActions.Escalate).ToList();

    private NoticeService NoticesAt(ILocalStore store) => new(store, new SmsOutbox(store, new ScriptedGateway(), _w.World.Time), _w.World.Time, _w.NoticeText);

    private static JsonObject Data(string ticketId, string unit, string action, int level, string node, DateTimeOffset deadline, string actor = "system") => new()
    {
        ["ticket_id"] = ticketId, ["ticket_origin"] = "hub", ["unit"] = unit, ["action"] = action, ["node"] = node, ["actor"] = actor,
        ["at_utc"] = TicketRules.Iso(DateTimeOffset.Parse("2026-11-27T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
        ["level"] = (long)level, ["deadline_utc"] = TicketRules.Iso(deadline),
    };

    private static SyncRow Step(string ticketId, string unit, string action, int level, string node, DateTimeOffset? deadline = null, string actor = "system") => new()
    {
        Table = TicketEventsTable.Name,
        Id = Guid.CreateVersion7().ToString(),
        Hlc = "9999999999999.0000@" + node,
        Origin = node,
        Data = Data(ticketId, unit, action, level, node, deadline ?? new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), actor),
    };
}
