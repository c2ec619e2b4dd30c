using Bunit;
using EGovEdge.Office.Components.Documents;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Printing;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Townships;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Workflow;

/// <summary>The document page and the 收文 inbox rendered with bUnit over real SQLite stores (Chinese UI).</summary>
public sealed class WorkflowComponentTests : IAsyncLifetime
{
    private readonly WorkflowWorld _w = new();
    private readonly BunitContext _ctx = new();

    private void Use(string node, string user, params string[] roles)
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = _ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddSingleton<TimeProvider>(_w.World.Time);
        s.AddSingleton(_w.Store(node));
        s.AddSingleton<DocumentService>();
        s.AddSingleton<TownshipDirectory>();
        s.AddSingleton<OrganDirectory>();
        s.AddSingleton<IDocumentRenderer>(_w.Renderer);
        s.AddSingleton<ISealService>(_w.Seals);
        s.AddSingleton<WorkflowService>();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(roles);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _w.Dispose();
    }

    [Fact]
    public void DocumentView_Draft_ClerkSubmitsForReview_TimelineAndStateUpdate()
    {
        Use("guangshun", "clerk", "clerk");
        var doc = _w.Draft("guangshun");
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, doc.Id));

        Assert.Equal("Draft", cut.Find("[data-testid=wf-state]").GetAttribute("data-state"));
        Assert.Empty(cut.FindAll("[data-testid=wf-signoff]"));
        cut.Find("[data-testid=wf-submit-review]").Click();

        cut.WaitForAssertion(() => Assert.Equal("InReview", cut.Find("[data-testid=wf-state]").GetAttribute("data-state")));
        Assert.Equal("核稿中", cut.Find("[data-testid=wf-state]").TextContent);
        Assert.Equal(["submit"], cut.FindAll("[data-testid=wf-step]").Select(e => e.GetAttribute("data-kind")));
        Assert.NotEmpty(cut.FindAll("[data-testid=wf-approve-review]"));
    }

    [Fact]
    public void DocumentView_Leader_SignsOff_DateWrittenShownTheChineseWay()
    {
        Use("guangshun", "leader", "leader");
        var doc = _w.Draft("guangshun");
        _w.Workflow("guangshun").Submit(doc.Id, WorkflowWorld.Clerk);
        _w.Workflow("guangshun").Approve(doc.Id, WorkflowWorld.Clerk);
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, doc.Id));
        cut.Find("[data-testid=wf-signoff]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Signed", cut.Find("[data-testid=wf-state]").GetAttribute("data-state")));
        Assert.Equal("2026年11月27日", cut.Find("[data-testid=wf-datewritten]").TextContent);
    }

    [Fact]
    public void DocumentView_Sealed_ShowsVerifiedSealAndPdf_AndRecipientStatus()
    {
        Use("guangshun", "clerk", "clerk");
        var doc = _w.Draft("guangshun");
        _w.ToDispatched("guangshun", doc.Id);
        _ctx.Render<MudPopoverProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, doc.Id));

        Assert.Equal("true", cut.Find("[data-testid=wf-seal-status]").GetAttribute("data-valid"));
        Assert.Equal("广府发〔2026〕1号", cut.Find("[data-testid=wf-docnumber]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=wf-pdf]"));
        Assert.Equal("Delivered", cut.Find("[data-testid=wf-recipient-state]").GetAttribute("data-state"));
    }

    [Fact]
    public void Inbox_DispatchedDocument_ClerkSignsFor()
    {
        Use("malu", "wang", "clerk");
        var doc = _w.Draft("guangshun");
        _w.Draft("guangshun", "尚未核发的公文");
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();

        var cut = _ctx.Render<Inbox>();

        Assert.Equal([doc.Title], cut.FindAll("[data-testid=inbox-link]").Select(a => a.TextContent));
        cut.Find("[data-testid=inbox-signfor]").Click();
        cut.WaitForAssertion(() => Assert.Equal("SignedFor", cut.Find("[data-testid=inbox-state]").GetAttribute("data-state")));
        Assert.Equal("已签收", cut.Find("[data-testid=inbox-state]").TextContent);
    }

    /// <summary>A document from 广顺镇 dispatched, synced, signed for and registered at 马路乡.</summary>
    private string RegisteredAtMalu()
    {
        var doc = _w.Draft("guangshun");
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        _w.Workflow("malu").SignFor(doc.Id, WorkflowWorld.Clerk);
        _w.Workflow("malu").RegisterIncoming(doc.Id, WorkflowWorld.Clerk);
        return doc.Id;
    }

    [Fact]
    public void DocumentView_Registered_ClerkScreens_ReturnNeedsAReason_ThenTheDocumentIsReturned()
    {
        Use("malu", "wang", "clerk");
        var id = RegisteredAtMalu();
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, id));

        Assert.Equal("初审通过", cut.Find("[data-testid=wf-screen]").TextContent.Trim());
        Assert.Equal("退回", cut.Find("[data-testid=wf-screen-reject]").TextContent.Trim());
        Assert.Contains("退文理由", cut.Find("[data-testid=wf-actions]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=wf-assign]")); // 承办 only after 初审
        Assert.Empty(cut.FindAll("[data-testid=wf-propose]"));
        Assert.Empty(cut.FindAll("[data-testid=wf-instruct]"));

        cut.Find("[data-testid=wf-screen-reject]").Click(); // no reason yet
        Assert.Equal("Registered", cut.Find("[data-testid=wf-incoming-state]").GetAttribute("data-state"));
        Assert.DoesNotContain(_w.Workflow("malu").Steps(id), s => s.Kind == StepKinds.Screen);

        cut.Find("#wf-opinion").Input("来文不属于本单位职责范围");
        cut.Find("[data-testid=wf-screen-reject]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Rejected", cut.Find("[data-testid=wf-incoming-state]").GetAttribute("data-state")));
        Assert.Equal("已退回", cut.Find("[data-testid=wf-incoming-state]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=wf-screen]"));
        Assert.Empty(cut.FindAll("[data-testid=wf-assign]"));
        var step = cut.FindAll("[data-testid=wf-step]")[^1];
        Assert.Equal(("screen", "初审退回（malu）"), (step.GetAttribute("data-kind"), step.TextContent.Trim()));
        Assert.Equal("来文不属于本单位职责范围", cut.FindAll("[data-testid=wf-step-note]")[^1].TextContent);
    }

    [Fact]
    public void DocumentView_Screened_ClerkProposes_InstructIsTheLeaders()
    {
        Use("malu", "wang", "clerk");
        var id = RegisteredAtMalu();
        _w.Workflow("malu").Screen(id, WorkflowWorld.Clerk, true, null);
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, id));

        Assert.Equal("已初审", cut.Find("[data-testid=wf-incoming-state]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=wf-instruct]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=wf-assign]"));
        cut.Find("#wf-opinion").Input("拟请王明同志承办");
        cut.Find("[data-testid=wf-propose]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Proposed", cut.Find("[data-testid=wf-incoming-state]").GetAttribute("data-state")));
        var steps = cut.FindAll("[data-testid=wf-step]");
        Assert.Equal(["screen", "propose"], steps.Select(e => e.GetAttribute("data-kind")).TakeLast(2));
        Assert.Equal("初审（malu）", steps[^2].TextContent.Trim());
        Assert.Equal("拟办（malu）", steps[^1].TextContent.Trim());
        Assert.Equal("拟请王明同志承办", cut.FindAll("[data-testid=wf-step-note]")[^1].TextContent);
    }

    [Fact]
    public void DocumentView_Proposed_LeaderInstructs()
    {
        Use("malu", "chen", "leader");
        var id = RegisteredAtMalu();
        _w.Workflow("malu").Screen(id, WorkflowWorld.Clerk, true, null);
        _w.Workflow("malu").Propose(id, WorkflowWorld.Clerk, "拟请王明同志承办");
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, id));
        Assert.Equal("批办", cut.Find("[data-testid=wf-instruct]").TextContent.Trim());
        cut.Find("#wf-opinion").Input("同意，请抓紧落实");
        cut.Find("[data-testid=wf-instruct]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Instructed", cut.Find("[data-testid=wf-incoming-state]").GetAttribute("data-state")));
        Assert.Equal("已批办", cut.Find("[data-testid=wf-incoming-state]").TextContent.Trim());
        Assert.Equal("同意，请抓紧落实", cut.FindAll("[data-testid=wf-step-note]")[^1].TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=wf-assign]"));
    }

    [Fact]
    public void DocumentView_Sender_SeesTheReturnedRecipientWithTheReason()
    {
        Use("guangshun", "clerk", "clerk");
        var id = RegisteredAtMalu();
        _w.Workflow("malu").Screen(id, WorkflowWorld.Clerk, false, "来文不属于本单位职责范围");
        _w.Sync();
        _ctx.Render<MudPopoverProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, id));

        var state = cut.Find("[data-testid=wf-recipient-state][data-code=malu]");
        Assert.Equal(("Rejected", "已退回"), (state.GetAttribute("data-state"), state.TextContent.Trim()));
        Assert.Equal("退文理由：来文不属于本单位职责范围", cut.Find("[data-testid=wf-recipient-reason][data-code=malu]").TextContent.Trim());
        Assert.Equal("初审退回（malu）", cut.FindAll("[data-testid=wf-step]")[^1].TextContent.Trim());
    }

    [Fact]
    public void DocumentView_AutomaticReminder_ShownAsWrittenBySystem_WithItsNote()
    {
        Use("malu", "wang", "clerk");
        var doc = _w.Draft("guangshun");
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        var malu = _w.Workflow("malu");
        malu.SignFor(doc.Id, WorkflowWorld.Clerk);
        malu.RegisterIncoming(doc.Id, WorkflowWorld.Clerk);
        malu.Screen(doc.Id, WorkflowWorld.Clerk, true, null);
        malu.Assign(doc.Id, WorkflowWorld.Clerk, "wang", "2026-11-27");
        Assert.Equal(1, malu.RunDeadlineReminders()); // the deadline is today: it nears
        _ctx.Render<MudPopoverProvider>();

        var cut = _ctx.Render<DocumentView>(p => p.Add(x => x.Id, doc.Id));

        var steps = cut.FindAll("[data-testid=wf-step]").Select(e => e.GetAttribute("data-kind")).ToList();
        Assert.Equal(StepKinds.Remind, steps[^1]);
        Assert.Equal("系统", cut.FindAll("[data-testid=wf-step-actor]")[^1].TextContent);
        Assert.Equal("承办期限将至：2026年11月27日", cut.FindAll("[data-testid=wf-step-note]")[^1].TextContent);
    }
}
