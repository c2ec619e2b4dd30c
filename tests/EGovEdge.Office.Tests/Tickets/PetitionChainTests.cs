using System.Security.Cryptography;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Tests.Printing;
using EGovEdge.Office.Tickets;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Tickets;

/// <summary>Petitions: written notices as PDFs with gap-free numbers, refusal at acceptance, the 复查/复核 chain and its clocks.</summary>
public sealed class PetitionChainTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    internal static TicketInput Petition(string? sameMatterOf = null) => new()
    {
        Kind = TicketKinds.Petition, Category = "agriculture", Channel = TicketChannels.Letter,
        Description = "李四反映征地补偿款未到位，请求核实处理", Name = "李四", Phone = "13912345678", IdNumber = "52012319800101123X",
        SameMatterOf = sameMatterOf,
    };

    private static readonly TicketActor HubClerk = TicketWorld.Clerk("hub");
    private static readonly TicketActor Township = TicketWorld.Clerk("guangshun");

    private static TicketActionInput Reply(string text = "经核实，补偿款已于本月足额发放到村集体账户。") =>
        new() { Action = TicketActions.Reply, Reply = text, ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "县自然资源局" };

    private void PublishOrgans()
    {
        new OrganDirectory(_w.World.Hub).PublishCounty("长顺县人民政府", null, [("guangshun", "广顺镇", null), ("baiyun", "白云镇", null)]);
        _w.World.Sync("guangshun");
        _w.World.Sync("baiyun");
    }

    /// <summary>A hub petition dispatched to 广顺, accepted and answered there (offline), synced back to the hub.</summary>
    private string AnsweredAtTownship()
    {
        PublishOrgans();
        var id = _w.Hub.Create(Petition(), HubClerk).Id;
        _w.Hub.Act(id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun" }, HubClerk);
        _w.World.Sync("guangshun");
        var edge = _w.Edge("guangshun");
        edge.Act(id, TicketWorld.Do(TicketActions.Sign), Township);
        edge.Act(id, TicketWorld.Do(TicketActions.Accept), Township);
        _w.World.Time.Advance(TimeSpan.FromDays(10));
        edge.Act(id, Reply(), Township);
        _w.World.Sync("guangshun");
        return id;
    }

    [Fact]
    public void Notice_numbers_are_gap_free_per_kind_node_and_year()
    {
        PublishOrgans();
        var hub = _w.Hub;
        var a = hub.Create(Petition(), HubClerk).Id;
        var b = hub.Create(Petition(), HubClerk).Id;
        var c = hub.Create(Petition(), HubClerk).Id;
        hub.Act(a, TicketWorld.Do(TicketActions.Accept), HubClerk);
        hub.Act(b, new TicketActionInput { Action = TicketActions.NotAccept, ReasonCode = NotAcceptReasons.Litigation, Opinion = "该事项已进入诉讼程序。" }, HubClerk);
        hub.Act(c, TicketWorld.Do(TicketActions.Accept), HubClerk);
        hub.Act(a, Reply(), HubClerk);
        Assert.Equal("长信访受〔2026〕1号", Assert.Single(hub.Notices(a)!, n => n.Kind == TicketNoticeKinds.Accept).Number);
        Assert.Equal("长信访处〔2026〕1号", Assert.Single(hub.Notices(a)!, n => n.Kind == TicketNoticeKinds.Opinion).Number);
        Assert.Equal("长信访不受〔2026〕1号", Assert.Single(hub.Notices(b)!).Number);
        Assert.Equal("长信访受〔2026〕2号", Assert.Single(hub.Notices(c)!).Number);

        // A township numbers its own notices (its organ's short name), independently of the hub.
        var edge = _w.Edge("guangshun");
        var own = edge.Create(Petition(), Township).Id;
        edge.Act(own, TicketWorld.Do(TicketActions.Accept), Township);
        Assert.Equal("广顺信访受〔2026〕1号", Assert.Single(edge.Notices(own)!).Number);

        // A new year starts again at 1.
        _w.World.Time.Advance(TimeSpan.FromDays(40));
        var d = hub.Create(Petition(), HubClerk).Id;
        hub.Act(d, TicketWorld.Do(TicketActions.Accept), HubClerk);
        Assert.Equal("长信访受〔2027〕1号", Assert.Single(hub.Notices(d)!).Number);
        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(2, conn.ScalarLong("SELECT COUNT(*) FROM ticket_notices WHERE origin = 'hub' AND kind = 'accept' AND year = 2026"));
        Assert.Equal(2, conn.ScalarLong("SELECT MAX(seq) FROM ticket_notices WHERE origin = 'hub' AND kind = 'accept' AND year = 2026"));
    }

    [Fact]
    public void Notice_pdf_is_stored_with_its_digest_and_names_the_petitioner_the_number_and_the_basis()
    {
        var hub = _w.Hub;
        var id = hub.Create(Petition(), HubClerk).Id;
        hub.Act(id, TicketWorld.Do(TicketActions.Accept), HubClerk);
        var notice = Assert.Single(hub.Notices(id)!);
        Assert.Equal("信访事项受理告知书", notice.Title);
        Assert.Equal($"/api/tickets/{id}/notices/{notice.Id}.pdf", notice.Url);
        var (name, pdf) = hub.NoticePdf(id, notice.Id)!.Value;
        Assert.Equal("长信访受〔2026〕1号.pdf", name);
        Assert.Equal(notice.Sha256, Convert.ToHexStringLower(SHA256.HashData(pdf)));
        Assert.Equal(notice.Size, pdf.Length);
        var text = string.Concat(PdfText.Pages(pdf));
        foreach (var part in new[] { "长顺县信访局", "信访事项受理告知书", "长信访受〔2026〕1号", "李四：", "予以受理", "《信访工作条例》", "二○二六年十一月二十七日" })
        {
            Assert.Contains(part, text, StringComparison.Ordinal);
        }
        Assert.Null(hub.NoticePdf(id, Guid.NewGuid().ToString()));
        Assert.Null(hub.NoticePdf(Guid.NewGuid().ToString(), notice.Id));
        Assert.Null(hub.Notices(Guid.NewGuid().ToString()));
    }

    [Fact]
    public void Not_accepting_needs_one_of_the_statutory_reasons_and_a_text_and_issues_the_refusal_notice()
    {
        var hub = _w.Hub;
        var id = hub.Create(Petition(), HubClerk).Id;
        var noReason = Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.NotAccept, Opinion = "不属于本机关" }, HubClerk));
        Assert.Contains("reasonCode", noReason.Errors.Keys);
        var badReason = Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.NotAccept, ReasonCode = "dislike", Opinion = "x" }, HubClerk));
        Assert.Contains("reasonCode", badReason.Errors.Keys);
        var noText = Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.NotAccept, ReasonCode = NotAcceptReasons.OutsideRemit }, HubClerk));
        Assert.Contains("opinion", noText.Errors.Keys);
        Assert.Empty(hub.Notices(id)!);

        var d = hub.Act(id, new TicketActionInput { Action = TicketActions.NotAccept, ReasonCode = NotAcceptReasons.OutsideRemit, Opinion = "请向县人民法院咨询。" }, HubClerk);
        Assert.Equal(TicketState.NotAccepted, d.State);
        Assert.Equal(PetitionStage.NotAccepted, d.Stage);
        var notice = Assert.Single(hub.Notices(id)!);
        Assert.Equal(TicketNoticeKinds.NotAccept, notice.Kind);
        var text = string.Concat(PdfText.Pages(hub.NoticePdf(id, notice.Id)!.Value.Pdf));
        Assert.Contains("信访事项不予受理告知书", text, StringComparison.Ordinal);
        Assert.Contains("不属于本机关法定职权范围", text, StringComparison.Ordinal);
        Assert.Contains("请向县人民法院咨询。", text, StringComparison.Ordinal);
        // A complaint has no acceptance step.
        var complaint = hub.Create(TicketWorld.Complaint(), TicketActor.Resident).Id;
        Assert.Throws<OfficeValidationException>(() => hub.Act(complaint, new TicketActionInput { Action = TicketActions.NotAccept, ReasonCode = NotAcceptReasons.Decided, Opinion = "x" }, HubClerk));
    }

    [Fact]
    public void Review_then_re_review_at_the_hub_ends_final_and_the_same_matter_is_refused()
    {
        var id = AnsweredAtTownship();
        var hub = _w.Hub;
        var edge = _w.Edge("guangshun");
        var replied = hub.Get(id, HubClerk)!;
        Assert.Equal(PetitionStage.ReviewWindow, replied.Stage);
        var replyAt = _w.World.Time.GetUtcNow();
        Assert.Equal(WorkingCalendar.AddNaturalDays(replyAt, 30), replied.StageDeadline);
        Assert.Equal(["广顺信访受〔2026〕1号", "广顺信访处〔2026〕1号"], hub.Notices(id)!.Select(n => n.Number));

        // 复核 only after 复查.
        var early = Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.ReReviewApply, Opinion = "不服" }, HubClerk));
        Assert.Contains(_w.Text["Val_ReReviewNeedsReview"].Value, early.Errors.Values.SelectMany(v => v));

        // The township records the application (received 12 days after the opinion), offline; the 复查 goes to the hub.
        _w.World.Time.Advance(TimeSpan.FromDays(20));
        var received = replyAt.AddDays(12);
        var review = edge.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, ReceivedUtc = received, Opinion = "对补偿标准不服，申请复查" }, Township);
        Assert.Equal(TicketState.Review, review.State);
        Assert.Equal(PetitionStage.Review, review.Stage);
        Assert.Equal(NodeIds.Hub, review.Handler);
        Assert.Equal(WorkingCalendar.AddNaturalDays(received, 30), review.StageDeadline);
        Assert.Throws<OfficeForbiddenException>(() => edge.Act(id, new TicketActionInput { Action = TicketActions.ReviewDecision, Reply = "维持" }, Township));
        _w.World.Sync("guangshun");

        var decided = hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewDecision, Reply = "经复查，原处理意见正确，予以维持。" }, HubClerk);
        Assert.Equal(PetitionStage.ReReviewWindow, decided.Stage);
        var reviewNotice = Assert.Single(hub.Notices(id)!, n => n.Kind == TicketNoticeKinds.Review);
        Assert.Equal("长信访复查〔2026〕1号", reviewNotice.Number);
        var reviewText = string.Concat(PdfText.Pages(hub.NoticePdf(id, reviewNotice.Id)!.Value.Pdf));
        Assert.Contains("信访事项复查意见书", reviewText, StringComparison.Ordinal);
        Assert.Contains("原处理意见正确", reviewText, StringComparison.Ordinal);
        // A second 复查 is not possible.
        Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, Opinion = "再次申请" }, HubClerk));

        // 复核 applied for 31 days after the 复查意见: refused with the reason.
        _w.World.Time.Advance(TimeSpan.FromDays(31));
        var late = Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.ReReviewApply, Opinion = "不服复查意见" }, HubClerk));
        Assert.Contains("已超过申请期限", string.Join(" ", late.Errors["receivedUtc"]), StringComparison.Ordinal);
        // … but one received on day 29 and recorded late is inside the window.
        var reReview = hub.Act(id, new TicketActionInput { Action = TicketActions.ReReviewApply, ReceivedUtc = decided.ClosedUtc!.Value.AddDays(29), Opinion = "不服复查意见" }, HubClerk);
        Assert.Equal(PetitionStage.ReReview, reReview.Stage);
        var final = hub.Act(id, new TicketActionInput { Action = TicketActions.ReReviewDecision, Reply = "经复核，维持复查意见。" }, HubClerk);
        Assert.Equal(PetitionStage.Final, final.Stage);
        Assert.Null(final.StageDeadline);
        Assert.Equal("长信访复核〔2027〕1号", Assert.Single(hub.Notices(id)!, n => n.Kind == TicketNoticeKinds.ReReview).Number);
        Assert.DoesNotContain(TicketActions.ReReviewApply, final.Actions);

        // The same matter again: refused with a clear Chinese message naming the final petition.
        var number = final.Number;
        var again = Assert.Throws<OfficeValidationException>(() => hub.Create(Petition(number), HubClerk));
        var message = string.Join(" ", again.Errors["sameMatterOf"]);
        Assert.Contains(number, message, StringComparison.Ordinal);
        Assert.Contains("不再受理", message, StringComparison.Ordinal);
        Assert.Throws<OfficeValidationException>(() => hub.Create(Petition(id), HubClerk));
        // An unknown link or a link on a complaint is invalid; a link to a petition that is not final is kept.
        Assert.Contains("sameMatterOf", Assert.Throws<OfficeValidationException>(() => hub.Create(Petition("长顺12345-2026-999999"), HubClerk)).Errors.Keys);
        var other = hub.Create(Petition(), HubClerk);
        var linked = hub.Create(Petition(other.Number), HubClerk);
        Assert.Equal(other.Id, hub.Get(linked.Id, HubClerk)!.SameMatterOf);
        Assert.Equal(other.Number, hub.Get(linked.Id, HubClerk)!.SameMatterNumber);
        var complaint = TicketWorld.Complaint();
        complaint.SameMatterOf = other.Number;
        Assert.Throws<OfficeValidationException>(() => hub.Create(complaint, HubClerk));

        // The township receives the hub's 复查/复核 notices on its ticket.
        _w.World.Sync("guangshun");
        Assert.Equal(4, edge.Notices(id)!.Count);
    }

    [Fact]
    public void Review_application_after_thirty_days_is_refused_with_the_dates()
    {
        var hub = _w.Hub;
        var id = hub.Create(Petition(), HubClerk).Id;
        hub.Act(id, TicketWorld.Do(TicketActions.Accept), HubClerk);
        var replied = hub.Act(id, Reply(), HubClerk);
        var replyAt = _w.World.Time.GetUtcNow();
        _w.World.Time.Advance(TimeSpan.FromDays(45));
        var late = Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, Opinion = "不服处理意见" }, HubClerk));
        var reason = string.Join(" ", late.Errors["receivedUtc"]);
        Assert.Contains("已超过申请期限", reason, StringComparison.Ordinal);
        Assert.Contains("2026年11月27日", reason, StringComparison.Ordinal); // the opinion's date
        Assert.Contains("2026年12月27日", reason, StringComparison.Ordinal); // the last day
        Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, Opinion = "x", ReceivedUtc = replyAt.AddDays(-2) }, HubClerk));
        Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, Opinion = "x", ReceivedUtc = _w.World.Time.GetUtcNow().AddDays(1) }, HubClerk));
        Assert.Throws<OfficeValidationException>(() => hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, ReceivedUtc = replyAt.AddDays(30) }, HubClerk));
        // On the 30th day (China time) it is inside.
        var ok = hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, Opinion = "不服处理意见", ReceivedUtc = replyAt.AddDays(30) }, HubClerk);
        Assert.Equal(TicketState.Review, ok.State);
        Assert.Equal(PetitionStage.ReviewWindow, replied.Stage);
        // The fold ignores a synced application outside the window, too.
        var (t, _, events) = hub.Load(id)!.Value;
        var rules = hub.Rules();
        Assert.False(rules.InWindow(replyAt.AddDays(31), replyAt));
        Assert.True(rules.Fold(t, events).ReviewApplication is not null);
    }

    [Fact]
    public void Stage_clocks_follow_the_fake_clock_and_an_overdue_review_escalates_at_the_hub()
    {
        var hub = _w.Hub;
        var start = _w.World.Time.GetUtcNow();
        var id = hub.Create(Petition(), HubClerk).Id;
        var d = hub.Get(id, HubClerk)!;
        Assert.Equal(PetitionStage.Acceptance, d.Stage);
        Assert.Equal(WorkingCalendar.AddNaturalDays(start, 15), d.StageDeadline);
        _w.World.Time.Advance(TimeSpan.FromDays(2));
        d = hub.Act(id, TicketWorld.Do(TicketActions.Accept), HubClerk);
        Assert.Equal(PetitionStage.Handling, d.Stage);
        Assert.Equal(WorkingCalendar.AddNaturalDays(_w.World.Time.GetUtcNow(), 60), d.StageDeadline);
        _w.World.Time.Advance(TimeSpan.FromDays(5));
        d = hub.Act(id, Reply(), HubClerk);
        var replyAt = _w.World.Time.GetUtcNow();
        Assert.Equal(WorkingCalendar.AddNaturalDays(replyAt, 30), d.StageDeadline);
        Assert.False(d.Overdue);
        _w.World.Time.Advance(TimeSpan.FromDays(3));
        d = hub.Act(id, new TicketActionInput { Action = TicketActions.ReviewApply, Opinion = "不服" }, HubClerk);
        var due = WorkingCalendar.AddNaturalDays(_w.World.Time.GetUtcNow(), 30);
        Assert.Equal(due, d.StageDeadline);
        Assert.Equal(due, d.OverallDue);
        Assert.Equal(due, d.StageDue);

        _w.World.Time.Advance(TimeSpan.FromDays(31));
        var overdue = hub.Get(id, HubClerk)!;
        Assert.True(overdue.Overdue);
        Assert.Contains(hub.List(TicketBox.Overdue), x => x.Id == id);
        Assert.True(hub.RunEscalation() > 0);
        Assert.Contains(hub.Events(id), e => e.Action == TicketActions.Escalate && e.DeadlineUtc == due);
    }

    [Fact]
    public void Notices_sync_to_the_hub_only_within_the_ticket_audience_and_are_never_public()
    {
        var id = AnsweredAtTownship();
        var hub = _w.Hub;
        Assert.Equal(2, hub.Notices(id)!.Count); // issued at the township, synced to the hub
        _w.World.Sync("baiyun");
        using (var conn = _w.World.Edge("baiyun").OpenConnection())
        {
            Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM ticket_notices"));
            Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM tickets WHERE id = @i", null, ("@i", id)));
        }
        hub.Act(id, new TicketActionInput { Action = TicketActions.Callback, Satisfaction = Satisfaction.Satisfied }, HubClerk);
        var published = string.Join("|", hub.Outcomes(200).Select(o => $"{o.Number} {o.Summary} {o.Reply} {o.ResponsibleBody} {o.Township}"));
        Assert.Contains(hub.Get(id, HubClerk)!.Number, published, StringComparison.Ordinal);
        Assert.DoesNotContain("李四", published, StringComparison.Ordinal);
        foreach (var n in hub.Notices(id)!) Assert.DoesNotContain(n.Number, published, StringComparison.Ordinal);
        // The petitioner's query code shows the state, not the notices nor the identity.
        Assert.DoesNotContain(hub.List(kind: TicketKinds.Petition), x => x.ResidentName.Contains("李四", StringComparison.Ordinal));
    }

    [Fact]
    public void Hub_write_rules_let_a_township_issue_notices_and_chain_events_only_for_tickets_it_holds()
    {
        var module = new TicketsModule();
        var id = AnsweredAtTownship();
        var rows = new List<SyncRow>();
        using (var conn = _w.World.Hub.OpenConnection())
        using (var cmd = conn.Command("SELECT id FROM ticket_notices WHERE ticket_id = @t", null, ("@t", id)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) rows.Add(_w.World.Hub.Get(TicketNoticesTable.Name, r.GetString(0))!);
        }
        var own = rows[0];
        Assert.Equal("guangshun", own.Origin);
        Assert.Null(module.CheckWrite("guangshun", TicketNoticesTable.Definition, null, own));
        Assert.NotNull(module.CheckWrite("guangshun", TicketNoticesTable.Definition, own, own)); // insert-only
        Assert.NotNull(module.CheckWrite("baiyun", TicketNoticesTable.Definition, null, own)); // not as another node
        var forged = own.Clone();
        forged.Data["kind"] = TicketNoticeKinds.Review;
        Assert.NotNull(module.CheckWrite("guangshun", TicketNoticesTable.Definition, null, forged)); // 复查意见书 is the hub's
        var elsewhere = own.Clone();
        elsewhere.Data["unit"] = "baiyun";
        elsewhere.Data["ticket_origin"] = "hub";
        Assert.NotNull(module.CheckWrite("guangshun", TicketNoticesTable.Definition, null, elsewhere)); // a ticket it does not hold

        var decision = _w.World.Hub.Get(TicketEventsTable.Name, _w.Hub.Events(id).First(e => e.Action == TicketActions.Reply).Id)!.Clone();
        decision.Data["action"] = TicketActions.ReviewDecision;
        Assert.NotNull(module.CheckWrite("guangshun", TicketEventsTable.Definition, null, decision));
        var apply = decision.Clone();
        apply.Data["action"] = TicketActions.ReviewApply;
        Assert.Null(module.CheckWrite("guangshun", TicketEventsTable.Definition, null, apply));
    }
}
