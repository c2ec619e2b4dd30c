using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Tickets;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Tickets;

public sealed class TicketLifecycleTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void Numbers_are_gap_free_per_year_and_the_query_code_is_stored_hashed()
    {
        var hub = _w.Hub;
        var a = hub.Create(TicketWorld.Complaint(), TicketActor.Resident);
        var b = hub.Create(TicketWorld.Complaint(), TicketActor.Resident);
        Assert.Equal("长顺12345-2026-000001", a.Number);
        Assert.Equal("长顺12345-2026-000002", b.Number);
        var row = _w.World.Hub.Get(TicketsTable.Name, a.Id)!;
        Assert.DoesNotContain(a.QueryCode, row.Data.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(hub.Track(a.Number, a.QueryCode.ToLowerInvariant()));
        Assert.Null(hub.Track(a.Number, b.QueryCode));
        Assert.Null(hub.Track("nope", a.QueryCode));
        // SMS on acceptance to the resident's mobile.
        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(2, conn.ScalarLong("SELECT COUNT(*) FROM sms_outbox WHERE purpose = 'ticket' AND phone = '13800138000'"));
    }

    [Fact]
    public void Portal_ticket_reaches_the_township_is_handled_offline_and_its_outcome_is_published_at_the_hub()
    {
        var hub = _w.Hub;
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 9, 9, 9 };
        var created = hub.Create(TicketWorld.Complaint(), TicketActor.Resident, new TicketPhoto("image/jpeg", jpeg));
        _w.World.Sync("guangshun");
        var edge = _w.Edge("guangshun");
        Assert.Null(edge.Record(created.Id)); // not yet dispatched: the hub keeps it
        Assert.Null(edge.Photo(created.Id));

        hub.Act(created.Id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun", Opinion = "请核实处理" }, TicketWorld.Clerk("hub"));
        _w.World.Sync("guangshun");
        Assert.Contains(edge.List(TicketBox.ToSign), t => t.Id == created.Id);
        Assert.Equal(jpeg, edge.Photo(created.Id)!.Value.Data); // the photo followed the dispatch

        // Offline at the township: sign and reply (no sync in between).
        var clerk = TicketWorld.Clerk("guangshun");
        _w.World.Time.Advance(TimeSpan.FromHours(2));
        edge.Act(created.Id, TicketWorld.Do(TicketActions.Sign), clerk);
        _w.World.Time.Advance(TimeSpan.FromDays(1));
        var replied = edge.Act(created.Id, new TicketActionInput
        {
            Action = TicketActions.Reply, Reply = "已更换路灯。如有问题请致电13800138000找张三丰核实。", ReasonCode = ReasonCodes.Resolved,
            ResponsibleBody = "广顺镇村镇建设服务中心",
        }, clerk);
        Assert.Equal(TicketState.Replied, replied.State);
        Assert.Equal(TicketState.Dispatched, hub.Get(created.Id, TicketWorld.Clerk("hub"))!.State); // the hub has not heard yet

        _w.World.Sync("guangshun");
        var atHub = hub.Get(created.Id, TicketWorld.Clerk("hub"))!;
        Assert.Equal(TicketState.Replied, atHub.State);
        Assert.Contains(TicketActions.Callback, atHub.Actions);
        Assert.Empty(hub.Outcomes()); // not closed yet

        hub.Act(created.Id, new TicketActionInput { Action = TicketActions.Callback, Satisfaction = Satisfaction.Basic }, TicketWorld.Clerk("hub"));
        var outcome = Assert.Single(hub.Outcomes());
        Assert.Equal(created.Number, outcome.Number);
        Assert.Equal(ReasonCodes.Resolved, outcome.ReasonCode);
        Assert.Equal("广顺镇村镇建设服务中心", outcome.ResponsibleBody);
        Assert.Equal(Satisfaction.Basic, outcome.Satisfaction);
        var published = outcome.Summary + outcome.Reply;
        Assert.DoesNotContain("13800138000", published, StringComparison.Ordinal);
        Assert.DoesNotContain("张三丰", published, StringComparison.Ordinal);
        Assert.DoesNotContain("520123199001011234", published, StringComparison.Ordinal);
        Assert.DoesNotContain("石板村3组12号", published, StringComparison.Ordinal);

        // The closure syncs back to the township.
        _w.World.Sync("guangshun");
        Assert.Equal(TicketState.Closed, edge.Get(created.Id, clerk)!.State);
    }

    [Fact]
    public void Unsatisfied_callback_reopens_return_needs_legal_basis_within_the_limit_and_extensions_need_approval()
    {
        var hub = _w.Hub;
        var hubClerk = TicketWorld.Clerk("hub");
        var clerk = TicketWorld.Clerk("guangshun");
        var id = hub.Create(TicketWorld.Complaint(), TicketActor.Resident).Id;
        hub.Act(id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun" }, hubClerk);
        _w.World.Sync("guangshun");
        var edge = _w.Edge("guangshun");

        var noBasis = Assert.Throws<OfficeValidationException>(() => edge.Act(id, new TicketActionInput { Action = TicketActions.Return, Opinion = "不归我们管" }, clerk));
        Assert.Contains("legalBasis", noBasis.Errors.Keys);
        Assert.Throws<OfficeForbiddenException>(() => edge.Act(id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun" }, clerk));
        Assert.Throws<OfficeValidationException>(() => edge.Act(id, TicketWorld.Do(TicketActions.Reply) , clerk)); // must sign first

        edge.Act(id, TicketWorld.Do(TicketActions.Sign), clerk);
        edge.Act(id, new TicketActionInput { Action = TicketActions.ExtensionRequest, Days = 5, Opinion = "需协调供电所" }, clerk);
        Assert.Throws<OfficeForbiddenException>(() => edge.Act(id, new TicketActionInput { Action = TicketActions.ExtensionDecision, Approved = true }, clerk));
        _w.World.Sync("guangshun");
        var before = hub.Get(id, hubClerk)!;
        Assert.True(before.ExtensionPending);
        var after = hub.Act(id, new TicketActionInput { Action = TicketActions.ExtensionDecision, Approved = true }, TicketWorld.Supervisor);
        Assert.Equal(_w.Hub.Rules().Calendar.AddWorkingDays(before.OverallDue.AddTicks(-1), 5), after.OverallDue);
        Assert.False(after.ExtensionPending);

        // Return after the 2-working-day limit is refused.
        _w.World.Sync("guangshun");
        _w.World.Time.Advance(TimeSpan.FromDays(5));
        var late = Assert.Throws<OfficeValidationException>(() => edge.Act(id, new TicketActionInput { Action = TicketActions.Return, Opinion = "x", LegalBasis = "《条例》第5条" }, clerk));
        Assert.Contains("action", late.Errors.Keys);

        edge.Act(id, new TicketActionInput { Action = TicketActions.Reply, Reply = "已处理", ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "广顺镇" }, clerk);
        _w.World.Sync("guangshun");
        var reopened = hub.Act(id, new TicketActionInput { Action = TicketActions.Callback, Satisfaction = Satisfaction.Unsatisfied, Opinion = "灯还是不亮" }, hubClerk);
        Assert.Equal(TicketState.Handling, reopened.State);
        Assert.Equal(1, reopened.Reopens);
        Assert.Equal("guangshun", reopened.Handler);
    }

    [Fact]
    public void Escalation_reminds_then_escalates_to_unit_head_then_county_and_never_twice()
    {
        var hub = _w.Hub;
        var id = hub.Create(TicketWorld.Complaint(urgency: TicketUrgency.Emergency), TicketActor.Resident).Id;
        hub.Act(id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun" }, TicketWorld.Clerk("hub"));
        _w.World.Sync("guangshun");
        var edge = _w.Edge("guangshun");
        // 8 hours from 09:00: due 17:00 China; reminder 2 hours before (by the township that holds it); level 2 two hours after.
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal(0, edge.RunEscalation());
        _w.World.Time.Advance(TimeSpan.FromHours(6.5));
        Assert.Equal(0, hub.RunEscalation());
        Assert.Equal(1, edge.RunEscalation());
        Assert.Equal(0, edge.RunEscalation());
        _w.World.Sync("guangshun");
        _w.World.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, hub.RunEscalation());
        var d = hub.Get(id, TicketWorld.Supervisor)!;
        Assert.True(d.Overdue);
        Assert.Equal(1, d.EscalationLevel);
        Assert.Contains(hub.List(TicketBox.Overdue), t => t.Id == id);
        // Two clocks: the stage clock restarted at the escalation; the uninterrupted one still runs from acceptance.
        var status = hub.Load(id)!.Value.Status;
        Assert.Equal(_w.World.Time.GetUtcNow(), status.StageStart);
        Assert.Equal(hub.Record(id)!.AcceptedUtc, status.OverallStart);
        Assert.Equal(8.5, d.ElapsedHours);
        _w.World.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(1, hub.RunEscalation());
        Assert.Equal(0, hub.RunEscalation());
        var events = hub.Events(id);
        Assert.Equal([0, 1, 2], events.Where(e => e.Action is TicketActions.Remind or TicketActions.Escalate).Select(e => e.Level ?? -1).Order());
        using var conn = _w.World.Hub.OpenConnection();
        // Intake and level 2 go to the county; dispatch, reminder and level 1 to the township.
        Assert.Equal(2, conn.ScalarLong("SELECT COUNT(*) FROM notices WHERE source_id = @id AND units LIKE '%|hub|%'", null, ("@id", id)));
        Assert.Equal(3, conn.ScalarLong("SELECT COUNT(*) FROM notices WHERE source_id = @id AND units LIKE '%|guangshun|%'", null, ("@id", id)));
        // The escalations reach the township.
        _w.World.Sync("guangshun");
        Assert.Equal(2, _w.Edge("guangshun").Get(id, TicketWorld.Clerk("guangshun"))!.EscalationLevel);
    }

    [Fact]
    public void Supervision_deadline_drives_escalation_and_is_pure_with_a_fake_clock()
    {
        var hub = _w.Hub;
        var id = hub.Create(TicketWorld.Complaint(), TicketActor.Resident).Id;
        var deadline = _w.World.Time.GetUtcNow().AddHours(30);
        Assert.Throws<OfficeForbiddenException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.Supervise, DeadlineUtc = deadline }, TicketWorld.Clerk("hub")));
        hub.Act(id, new TicketActionInput { Action = TicketActions.Supervise, DeadlineUtc = deadline }, TicketWorld.Supervisor);
        var (t, s, _) = hub.Load(id)!.Value;
        var rules = hub.Rules();
        Assert.Equal(deadline, s.EscalationDeadline);
        Assert.Empty(rules.DueSteps(t, s, deadline.AddHours(-25)));
        Assert.Equal([0], rules.DueSteps(t, s, deadline.AddHours(-1)).Select(x => x.Level));
        Assert.Equal([1], rules.DueSteps(t, s, deadline.AddMinutes(1)).Select(x => x.Level));
        var late = rules.DueSteps(t, s, deadline.AddDays(4));
        Assert.Equal([1, 2], late.Select(x => x.Level));
        Assert.Equal("hub", late[1].Unit);
        Assert.Contains(hub.List(TicketBox.Supervised), x => x.Id == id);
    }

    [Fact]
    public void Petitions_use_natural_day_clocks_require_identity_and_never_publish_it()
    {
        var hub = _w.Hub;
        var bad = Assert.Throws<OfficeValidationException>(() => hub.Create(new TicketInput { Kind = TicketKinds.Petition, Description = "征地补偿款未到位" }, TicketActor.Resident));
        Assert.Contains("idNumber", bad.Errors.Keys);
        var p = hub.Create(new TicketInput
        {
            Kind = TicketKinds.Petition, Category = "agriculture", Channel = TicketChannels.Letter, Description = "李四反映征地补偿款未到位，电话13912345678",
            Name = "李四", Phone = "13912345678", IdNumber = "52012319800101123X",
        }, TicketWorld.Clerk("hub"));
        var accepted0 = _w.World.Time.GetUtcNow();
        var d = hub.Get(p.Id, TicketWorld.Clerk("hub"))!;
        Assert.Equal(TicketState.Registered, d.State);
        Assert.Equal(WorkingCalendar.AddNaturalDays(accepted0, 15), d.OverallDue);
        _w.World.Time.Advance(TimeSpan.FromDays(3));
        var acc = hub.Act(p.Id, TicketWorld.Do(TicketActions.Accept), TicketWorld.Clerk("hub"));
        Assert.Equal(WorkingCalendar.AddNaturalDays(_w.World.Time.GetUtcNow(), 60), acc.OverallDue);
        Assert.Throws<OfficeValidationException>(() => hub.Act(p.Id, new TicketActionInput { Action = TicketActions.ExtensionRequest, Days = 31, Opinion = "x" }, TicketWorld.Clerk("hub")));
        hub.Act(p.Id, new TicketActionInput { Action = TicketActions.ExtensionRequest, Days = 30, Opinion = "需实地调查" }, TicketWorld.Clerk("hub"));
        var ext = hub.Act(p.Id, new TicketActionInput { Action = TicketActions.ExtensionDecision, Approved = true }, TicketWorld.Leader("hub"));
        Assert.Equal(WorkingCalendar.AddNaturalDays(_w.World.Time.GetUtcNow(), 90), ext.OverallDue);
        hub.Act(p.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "经核实，李四的补偿款已于本月发放。", ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "县自然资源局" }, TicketWorld.Clerk("hub"));
        hub.Act(p.Id, new TicketActionInput { Action = TicketActions.Callback, Satisfaction = Satisfaction.Satisfied }, TicketWorld.Clerk("hub"));
        var o = Assert.Single(hub.Outcomes());
        Assert.Null(o.Summary);
        Assert.DoesNotContain("李四", o.Reply, StringComparison.Ordinal);
        var stats = hub.Stats();
        Assert.Equal(1, stats.PetitionsByChannel[TicketChannels.Letter]);
    }

    [Fact]
    public void Suggestion_adoption_is_required_and_counted()
    {
        var hub = _w.Hub;
        var s = hub.Create(new TicketInput { Kind = TicketKinds.Suggestion, Category = "transport", Description = "建议增开县城到广顺的班车" }, TicketActor.Resident);
        var noAdoption = Assert.Throws<OfficeValidationException>(() => hub.Act(s.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "谢谢", ReasonCode = ReasonCodes.Explained, ResponsibleBody = "县交通局" }, TicketWorld.Clerk("hub")));
        Assert.Contains("adoption", noAdoption.Errors.Keys);
        Assert.Throws<OfficeValidationException>(() => hub.Act(s.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "谢谢", ReasonCode = ReasonCodes.Explained, ResponsibleBody = "县交通局", Adoption = Adoption.NotAdopted }, TicketWorld.Clerk("hub")));
        hub.Act(s.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "将于明年增开", ReasonCode = ReasonCodes.InProgress, ResponsibleBody = "县交通局", Adoption = Adoption.Partly, Opinion = "车辆不足，先增开周末班次" }, TicketWorld.Clerk("hub"));
        Assert.Equal(1, hub.Stats().SuggestionAdoption[Adoption.Partly]);
    }

    [Fact]
    public void Township_clerk_files_for_a_resident_and_the_hub_enforces_who_writes_what()
    {
        var edge = _w.Edge("guangshun");
        var clerk = TicketWorld.Clerk("guangshun");
        var filed = edge.Create(TicketWorld.Complaint(), clerk);
        Assert.StartsWith("长顺12345-guangshun-2026-", filed.Number, StringComparison.Ordinal);
        edge.Act(filed.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "当场解答", ReasonCode = ReasonCodes.Explained, ResponsibleBody = "广顺镇" }, clerk);
        _w.World.Sync("guangshun");
        Assert.Equal(TicketState.Replied, _w.Hub.Get(filed.Id, TicketWorld.Supervisor)!.State);

        // Rules: a township may not alter the hub's ticket, nor write events for tickets that are not with it, nor as another node.
        var module = new TicketsModule();
        var hubTicket = _w.Hub.Create(TicketWorld.Complaint(), TicketActor.Resident);
        var existing = _w.World.Hub.Get(TicketsTable.Name, hubTicket.Id)!;
        var changed = existing.Clone();
        changed.Data["description"] = "篡改";
        Assert.NotNull(module.CheckWrite("guangshun", TicketsTable.Definition, existing, changed));
        Assert.NotNull(module.CheckWrite("guangshun", TicketEventsTable.Definition, null, Event(hubTicket.Id, "hub", "hub", TicketActions.Sign, "guangshun")));
        Assert.NotNull(module.CheckWrite("guangshun", TicketEventsTable.Definition, null, Event(hubTicket.Id, "hub", "guangshun", TicketActions.Sign, "baiyun")));
        Assert.NotNull(module.CheckWrite("guangshun", TicketEventsTable.Definition, null, Event(hubTicket.Id, "hub", "guangshun", TicketActions.Dispatch, "guangshun")));
        Assert.Null(module.CheckWrite("guangshun", TicketEventsTable.Definition, null, Event(hubTicket.Id, "hub", "guangshun", TicketActions.Sign, "guangshun")));
        var ev = Event(hubTicket.Id, "hub", "guangshun", TicketActions.Sign, "guangshun");
        Assert.NotNull(module.CheckWrite("guangshun", TicketEventsTable.Definition, ev, ev));
        Assert.NotNull(module.CheckWrite("guangshun", HolidayCalendarTable.Definition, null, Event(hubTicket.Id, "hub", "guangshun", TicketActions.Sign, "guangshun")));

        // A forged event that reached the hub anyway is ignored by the fold (the ticket was never dispatched there).
        var (t, _, events) = _w.Hub.Load(hubTicket.Id)!.Value;
        var forged = TicketEvent.From(ev);
        var status = _w.Hub.Rules().Fold(t, [.. events, forged]);
        Assert.Equal(TicketState.Accepted, status.State);
        Assert.False(forged.Applied);
    }

    [Fact]
    public void Holiday_calendar_edited_at_the_hub_moves_deadlines_everywhere()
    {
        var hub = _w.Hub;
        var before = hub.Rules().Calendar.AddWorkingDays(_w.World.Time.GetUtcNow(), 3);
        hub.SetCalendarDay(new DateOnly(2026, 11, 30), false, "县庆");
        Assert.Equal(before.AddDays(1), hub.Rules().Calendar.AddWorkingDays(_w.World.Time.GetUtcNow(), 3));
        Assert.Throws<OfficeForbiddenException>(() => _w.Edge("guangshun").SetCalendarDay(new DateOnly(2026, 12, 1), false, "x"));
        _w.World.Sync("guangshun");
        Assert.Equal(before.AddDays(1), _w.Edge("guangshun").Rules().Calendar.AddWorkingDays(_w.World.Time.GetUtcNow(), 3));
    }

    private static EGovEdge.Sync.Schema.SyncRow Event(string ticketId, string ticketOrigin, string unit, string action, string node) => new()
    {
        Table = TicketEventsTable.Name,
        Id = Guid.CreateVersion7().ToString(),
        Hlc = "9999999999999.0000@" + node,
        Origin = node,
        Data = new JsonObject
        {
            ["ticket_id"] = ticketId, ["ticket_origin"] = ticketOrigin, ["unit"] = unit, ["action"] = action, ["node"] = node,
            ["actor"] = "x", ["at_utc"] = "2026-11-27T02:00:00.000Z",
        },
    };
}
