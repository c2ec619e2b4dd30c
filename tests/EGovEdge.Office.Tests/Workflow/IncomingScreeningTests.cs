using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.Notices;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Workflow;

/// <summary>
/// 初审 (with 退文 back to the sender), 拟办 and 批办 in 收文 on real SQLite stores: a document from 广顺镇 to 马路乡 and the
/// county office (hub), with the notices module wired in as on a real node.
/// </summary>
public sealed class IncomingScreeningTests : IDisposable
{
    private const string Reason = "来文不属于本单位职责范围，请改送县应急管理局";

    private static readonly WorkflowActor Reporter = new("li", "李华", [Roles.Reporter]);

    private readonly WorkflowWorld _w = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _w.Dispose();
    }

    [Fact]
    public void Assign_BeforeScreening_IsRefusedWithAClearMessage_AndNotOffered()
    {
        var id = RegisteredAtMalu();
        var malu = Wf("malu");

        var refused = Assert.Throws<OfficeForbiddenException>(() => malu.Assign(id, WorkflowWorld.Clerk, "wang", "2026-12-01"));
        Assert.Equal("请先完成初审，再交办承办", refused.Message);
        var view = malu.View(id, WorkflowWorld.Clerk)!;
        Assert.Equal(nameof(IncomingState.Registered), view.IncomingState);
        Assert.Contains(StepKinds.Screen, view.Actions);
        Assert.DoesNotContain(StepKinds.Assign, view.Actions);
        Assert.DoesNotContain(StepKinds.Propose, view.Actions);
        Assert.DoesNotContain(malu.Steps(id), s => s.Kind == StepKinds.Assign);

        malu.Screen(id, WorkflowWorld.Clerk, true, "属本单位办理事项");
        Assert.Contains(StepKinds.Assign, malu.View(id, WorkflowWorld.Clerk)!.Actions);
        malu.Assign(id, WorkflowWorld.Clerk, "wang", "2026-12-01");

        Assert.Equal(nameof(IncomingState.InHandling), malu.View(id, WorkflowWorld.Clerk)!.IncomingState);
        Assert.Equal("属本单位办理事项", malu.Steps(id).Single(s => s.Kind == StepKinds.Screen).Opinion);
    }

    [Fact]
    public void Screen_BeforeRegistration_IsRefused()
    {
        var doc = _w.Draft("guangshun");
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        Wf("malu").SignFor(doc.Id, WorkflowWorld.Clerk);

        var refused = Assert.Throws<OfficeForbiddenException>(() => Wf("malu").Screen(doc.Id, WorkflowWorld.Clerk, true, null));
        Assert.Contains("不能跳过", refused.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(IncomingState.SignedFor), Wf("malu").View(doc.Id, null)!.IncomingState);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Reject_NeedsAReason_NothingIsWrittenWithoutOne(string? reason)
    {
        var id = RegisteredAtMalu();
        var stepsBefore = Wf("malu").Steps(id).Count;

        var invalid = Assert.Throws<OfficeValidationException>(() => Wf("malu").Screen(id, WorkflowWorld.Clerk, false, reason));

        Assert.Equal(["退回公文须写明理由"], invalid.Errors["opinion"]);
        Assert.Equal(stepsBefore, Wf("malu").Steps(id).Count);
        Assert.Equal(nameof(IncomingState.Registered), Wf("malu").View(id, null)!.IncomingState);
        Assert.Empty(NoticesAbout("malu", id));
    }

    [Fact]
    public void Reject_ReachesTheSenderAfterSync_WithTheReason_AndTheSendingOrganIsNotified()
    {
        var id = RegisteredAtMalu(recipients: ["malu", "hub"]);

        var step = Wf("malu").Screen(id, WorkflowWorld.Clerk, false, "  " + Reason + " ");

        Assert.Equal((StepKinds.Screen, "malu", "malu", Reason), (step.Kind, step.Node, step.Recipient, step.Opinion));
        var atMalu = Wf("malu").View(id, WorkflowWorld.Clerk)!;
        Assert.Equal(nameof(IncomingState.Rejected), atMalu.IncomingState);
        Assert.DoesNotContain(atMalu.Actions, a => a is StepKinds.Assign or StepKinds.Propose or StepKinds.Instruct or StepKinds.Screen
                                                       or StepKinds.Circulate or StepKinds.Remind or StepKinds.Reply);
        Assert.Equal(nameof(IncomingState.Rejected), Assert.Single(Wf("malu").Inbox()).State);

        // Before sync the sender knows nothing.
        Assert.Equal(nameof(IncomingState.Delivered), Recipient("guangshun", id, "malu").State);
        _w.Sync();

        var seen = Recipient("guangshun", id, "malu");
        Assert.Equal(nameof(IncomingState.Rejected), seen.State);
        Assert.Equal((Reason, "张敏"), (seen.RejectReason, seen.RejectedBy));
        Assert.NotNull(seen.RejectedUtc);
        Assert.NotNull(seen.SignedForUtc);
        Assert.Null(seen.Reply);
        var other = Recipient("guangshun", id, "hub");
        Assert.Equal((nameof(IncomingState.Delivered), (string?)null), (other.State, other.RejectReason));
        Assert.Equal(nameof(IncomingState.Rejected), Recipient("hub", id, "malu").State);

        // The notice: written by malu with the step, addressed to guangshun as a unit, and there after sync.
        var notice = Assert.Single(NoticesAbout("guangshun", id));
        Assert.Equal(("malu", "notice", "|guangshun|", "", 1L, "/documents/" + id), (notice.Origin, notice.Kind, notice.Units, notice.Users, notice.Priority, notice.Link));
        Assert.Equal("退文：《关于做好冬春森林防火工作的通知》被马路乡人民政府退回", notice.Title);
        Assert.Equal("退文理由：" + Reason, notice.Body);
        Assert.Equal(WorkflowWorld.Clerk.Username, notice.Sender);
    }

    [Fact]
    public void Rejected_NoRemindersAtAll_ManualAtEitherSideOrAutomatic()
    {
        var id = RegisteredAtMalu();
        Wf("malu").Screen(id, WorkflowWorld.Clerk, false, Reason);
        _w.Sync();

        var bySender = Assert.Throws<OfficeForbiddenException>(() => Wf("guangshun").Remind(id, WorkflowWorld.Clerk, "请尽快办理", "malu"));
        Assert.Equal("该单位已退回此公文，不能催办", bySender.Message);
        Assert.Throws<OfficeForbiddenException>(() => Wf("malu").Remind(id, WorkflowWorld.Clerk, "请尽快办理"));
        Assert.DoesNotContain(StepKinds.Remind, Wf("malu").View(id, WorkflowWorld.Clerk)!.Actions);

        // Even an 承办 with a past deadline written behind the service's back does not bring the document to reminders:
        // the fold ignores every step after 退文.
        var malu = _w.Store("malu");
        var docRow = malu.Get("documents", id)!;
        malu.Transact(w => WorkflowService.AppendStep(w, docRow, StepKinds.Assign, WorkflowWorld.Clerk, "malu", null,
            "{\"handler\":\"wang\",\"deadline\":\"2026-11-28\"}", "2026-11-27T02:00:00.0000000Z"));
        _w.World.Time.SetUtcNow(new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero));

        Assert.Equal(0, Wf("malu").RunDeadlineReminders());
        Assert.Equal(nameof(IncomingState.Rejected), Wf("malu").View(id, null)!.IncomingState);
        Assert.DoesNotContain(Wf("malu").Steps(id), s => s.Kind == StepKinds.Remind);
        Assert.False(Assert.Single(Wf("malu").Inbox()).DeadlineNear);
        Assert.DoesNotContain(NoticesAbout("malu", id), n => n.Kind == NoticeKinds.Reminder);
    }

    [Fact]
    public void ProposeThenInstructThenAssign_RolesAndRequiredText()
    {
        var id = RegisteredAtMalu();
        var malu = Wf("malu");
        Assert.Throws<OfficeForbiddenException>(() => malu.Propose(id, WorkflowWorld.Clerk, "拟请王明同志承办")); // 初审 first
        malu.Screen(id, WorkflowWorld.Clerk, true, null);

        Assert.Throws<OfficeForbiddenException>(() => malu.Propose(id, Reporter, "拟请王明同志承办"));
        Assert.Equal(["请填写拟办意见"], Assert.Throws<OfficeValidationException>(() => malu.Propose(id, WorkflowWorld.Clerk, " ")).Errors["opinion"]);
        Assert.DoesNotContain(StepKinds.Instruct, malu.View(id, WorkflowWorld.Clerk)!.Actions);
        Assert.Contains(StepKinds.Instruct, malu.View(id, WorkflowWorld.Leader)!.Actions);
        malu.Propose(id, WorkflowWorld.Clerk, "拟请王明同志承办，11月30日前答复");
        Assert.Equal(nameof(IncomingState.Proposed), malu.View(id, null)!.IncomingState);

        var denied = Assert.Throws<OfficeForbiddenException>(() => malu.Instruct(id, WorkflowWorld.Clerk, "同意"));
        Assert.Equal("您的角色不能办理“批办”", denied.Message);
        Assert.Equal(["请填写批办意见"], Assert.Throws<OfficeValidationException>(() => malu.Instruct(id, WorkflowWorld.Leader, null)).Errors["opinion"]);
        var leaderActions = malu.View(id, WorkflowWorld.Leader)!.Actions;
        Assert.Contains(StepKinds.Instruct, leaderActions);
        Assert.Contains(StepKinds.Assign, leaderActions);
        malu.Instruct(id, WorkflowWorld.Leader, "同意拟办意见，请抓紧落实");
        Assert.Equal(nameof(IncomingState.Instructed), malu.View(id, null)!.IncomingState);
        Assert.Throws<OfficeForbiddenException>(() => malu.Propose(id, WorkflowWorld.Clerk, "再拟")); // 拟办 comes before 批办
        Assert.Equal(1, malu.Counts(WorkflowWorld.Clerk).ToHandle); // waits for the office's 承办

        malu.Assign(id, WorkflowWorld.Clerk, "wang", "2026-11-30");
        _w.Sync();

        var steps = Wf("guangshun").Steps(id).Where(s => s.Recipient == "malu").ToList();
        Assert.Equal([StepKinds.SignFor, StepKinds.InRegister, StepKinds.Screen, StepKinds.Propose, StepKinds.Instruct, StepKinds.Assign], steps.Select(s => s.Kind));
        Assert.Equal(("拟请王明同志承办，11月30日前答复", "陈刚"), (steps[3].Opinion, steps[4].ActorName));
        Assert.Equal("同意拟办意见，请抓紧落实", steps[4].Opinion);
        Assert.Equal(nameof(IncomingState.InHandling), Recipient("guangshun", id, "malu").State);
    }

    [Fact]
    public void Execute_TheApiActions_ScreenProposeInstruct_AndTheUnknownActionListsThem()
    {
        var id = RegisteredAtMalu();
        var malu = Wf("malu");

        Assert.Throws<OfficeValidationException>(() => malu.Execute(id, "screen", WorkflowWorld.Clerk, new WorkflowActionInput { Agree = false }));
        malu.Execute(id, "screen", WorkflowWorld.Clerk, new WorkflowActionInput { Agree = true });
        malu.Execute(id, "propose", WorkflowWorld.Clerk, new WorkflowActionInput { Opinion = "拟请王明同志承办" });
        malu.Execute(id, "instruct", WorkflowWorld.Leader, new WorkflowActionInput { Opinion = "同意" });
        Assert.Equal(nameof(IncomingState.Instructed), malu.View(id, null)!.IncomingState);

        var unknown = Assert.Throws<OfficeValidationException>(() => malu.Execute(id, "approve_all", WorkflowWorld.Clerk, new WorkflowActionInput()));
        var message = Assert.Single(unknown.Errors["action"]);
        Assert.StartsWith("未知的操作：approve_all", message, StringComparison.Ordinal);
        Assert.Contains("in_register, screen, propose, instruct, assign", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_ScreenWithAgreeFalse_ReturnsTheDocument()
    {
        var id = RegisteredAtMalu();

        Wf("malu").Execute(id, "screen", WorkflowWorld.Leader, new WorkflowActionInput { Agree = false, Opinion = Reason });

        Assert.Equal(nameof(IncomingState.Rejected), Wf("malu").View(id, null)!.IncomingState);
        Assert.Equal("{\"agree\":false}", Wf("malu").Steps(id).Single(s => s.Kind == StepKinds.Screen).Data);
    }

    [Fact]
    public void HomeCounts_AScreenedDocument_WaitsForTheOffice_ARejectedOneDoesNot()
    {
        var waiting = RegisteredAtMalu();
        var returned = RegisteredAtMalu(title: "关于报送统计数据的通知");
        Assert.Equal(2, Wf("malu").Counts(WorkflowWorld.Clerk).ToHandle);

        Wf("malu").Screen(waiting, WorkflowWorld.Clerk, true, null);
        Wf("malu").Screen(returned, WorkflowWorld.Clerk, false, Reason);

        Assert.Equal(1, Wf("malu").Counts(WorkflowWorld.Clerk).ToHandle);
        Assert.Equal(0, Wf("malu").Counts(Reporter).ToHandle);
    }

    // ---------------------------------------------------------------- helpers

    private WorkflowService Wf(string node)
    {
        var store = _w.Store(node);
        var notices = new NoticeService(store, new SmsOutbox(store, new ScriptedGateway(), _w.World.Time), _w.World.Time,
            _services.GetRequiredService<IStringLocalizer<NoticeText>>());
        return new WorkflowService(store, _w.World.Time, _w.Text, new OrganDirectory(store), _w.Renderer, _w.Seals, notices,
            Options.Create(new DocumentReminderOptions()));
    }

    /// <summary>A document from 广顺镇 dispatched, synced, and signed for and registered at 马路乡.</summary>
    private string RegisteredAtMalu(List<string>? recipients = null, string title = "关于做好冬春森林防火工作的通知")
    {
        var doc = _w.Draft("guangshun", title, recipients: recipients);
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        var malu = Wf("malu");
        malu.SignFor(doc.Id, WorkflowWorld.Clerk);
        malu.RegisterIncoming(doc.Id, WorkflowWorld.Clerk);
        return doc.Id;
    }

    private RecipientStatusDto Recipient(string node, string id, string code) =>
        Wf(node).View(id, null)!.Recipients.Single(r => r.Code == code);

    private sealed record NoticeRow(string Origin, string Kind, string Title, string Body, string Units, string Users, long Priority, string? Link, string Sender);

    private List<NoticeRow> NoticesAbout(string node, string id)
    {
        var list = new List<NoticeRow>();
        using var conn = _w.Store(node).OpenConnection();
        using var cmd = conn.Command(
            "SELECT origin, kind, title, body, units, users, priority, link, sender FROM notices WHERE deleted = 0 AND source_id = @s ORDER BY hlc",
            null, ("@s", id));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new NoticeRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8)));
        }
        return list;
    }
}
