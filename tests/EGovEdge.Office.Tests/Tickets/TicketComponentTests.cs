using System.Security.Claims;
using Bunit;
using EGovEdge.Office.Components.Tickets;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Tickets;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Tickets;

/// <summary>
/// The staff pages over a real township store: the list with its clocks, a ticket signed and answered by clicking, and a
/// petition's stage, deadline and written notices with their download links.
/// </summary>
public sealed class TicketComponentTests : IAsyncDisposable
{
    private readonly TicketWorld _w = new();
    private readonly BunitContext _ctx = new();

    private void Setup(ILocalStore store, string unit, params string[] roles)
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = _ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddLogging();
        s.AddSingleton<TimeProvider>(_w.World.Time);
        s.AddSingleton(store);
        s.AddSingleton(_w.Service(store));
        s.AddSingleton<TownshipDirectory>();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("clerk-" + unit);
        auth.SetRoles(roles);
        auth.SetPolicies(Policies.Staff, Policies.DocumentsWrite);
        auth.SetClaims(new Claim(StaffClaims.Unit, unit));
        _ctx.Render<MudPopoverProvider>();
    }

    [Fact]
    public void Township_clerk_sees_the_dispatched_ticket_signs_and_replies_on_the_page()
    {
        var id = _w.Hub.Create(TicketWorld.Complaint(), TicketActor.Resident).Id;
        _w.Hub.Act(id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun" }, TicketWorld.Clerk("hub"));
        _w.World.Sync("guangshun");
        var edge = _w.World.Edge("guangshun");
        Setup(edge, "guangshun", Roles.Clerk);

        var nav = _ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo("/tickets?box=ToSign");
        var list = _ctx.Render<TicketList>();
        var row = list.Find("[data-testid=ticket-row]");
        Assert.Equal(id, row.GetAttribute("data-id"));
        Assert.Contains("138****8000", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("小时", list.Find("[data-testid=ticket-stage-clock]").TextContent, StringComparison.Ordinal);

        var page = _ctx.Render<TicketPage>(p => p.Add(x => x.Id, id));
        Assert.Equal("Dispatched", page.Find("[data-testid=ticket-state]").GetAttribute("data-state"));
        page.Find("button[data-testid=ticket-action-sign]").Click();
        page.Find("button[data-testid=ticket-action-submit]").Click();
        page.WaitForAssertion(() => Assert.Equal("Handling", page.Find("[data-testid=ticket-state]").GetAttribute("data-state")));
        Assert.Equal(TicketState.Handling, _w.Service(edge).Get(id, TicketWorld.Clerk("guangshun"))!.State);
        Assert.NotNull(page.Find("button[data-testid=ticket-action-return]"));
        Assert.Equal(2, page.FindAll("[data-testid=ticket-event]").Count);
    }

    [Fact]
    public void Supervisor_page_lists_overdue_tickets_and_counts_and_sets_a_calendar_day()
    {
        var id = _w.Hub.Create(TicketWorld.Complaint(urgency: TicketUrgency.Emergency), TicketActor.Resident).Id;
        _w.World.Time.Advance(TimeSpan.FromHours(9));
        Setup(_w.World.Hub, "hub", Roles.Supervisor);
        var page = _ctx.Render<TicketSupervision>();
        Assert.Contains(id, page.Find("[data-testid=supervision-overdue]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("采纳", page.Find("[data-testid=supervision-adoption]").TextContent, StringComparison.Ordinal);
        page.Find("button[data-testid=supervision-run]").Click();
        page.WaitForAssertion(() => Assert.Contains("1", page.Find("[data-testid=supervision-message]").TextContent, StringComparison.Ordinal)); // 18:00: level 1 only
        page.Find("input[data-testid=calendar-day], [data-testid=calendar-day] input").Change("2026-12-24");
        page.Find("button[data-testid=calendar-holiday]").Click();
        Assert.False(_w.Hub.Rules().Calendar.IsWorkingDay(new DateOnly(2026, 12, 24)));
    }

    [Fact]
    public void Clerk_form_renders_its_fields()
    {
        Setup(_w.World.Edge("guangshun"), "guangshun", Roles.Clerk);
        var page = _ctx.Render<TicketFile>();
        foreach (var id in new[] { "file-kind", "file-category", "file-channel", "file-description", "file-name", "file-phone", "file-idnumber", "file-submit" })
        {
            Assert.NotEmpty(page.FindAll($"[data-testid={id}]"));
        }
        Assert.Empty(page.FindAll("[data-testid=file-township]")); // a township files for itself
        page.Find("button[data-testid=file-submit]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=file-error]")));
    }

    [Fact]
    public void Ticket_page_lists_the_notices_with_download_links_and_shows_the_stage()
    {
        var hub = _w.Hub;
        var clerk = TicketWorld.Clerk("hub");
        var id = hub.Create(PetitionChainTests.Petition(), clerk).Id;
        hub.Act(id, TicketWorld.Do(TicketActions.Accept), clerk);
        hub.Act(id, new TicketActionInput { Action = TicketActions.Reply, Reply = "经核实，补偿款已发放。", ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "县自然资源局" }, clerk);
        Setup(_w.World.Hub, "hub", Roles.Clerk);

        var page = _ctx.Render<TicketPage>(p => p.Add(x => x.Id, id));
        var notices = page.FindAll("[data-testid=ticket-notice]");
        Assert.Equal(2, notices.Count);
        Assert.Equal(["accept", "opinion"], notices.Select(n => n.GetAttribute("data-kind")));
        Assert.Equal("长信访受〔2026〕1号", page.FindAll("[data-testid=ticket-notice-number]")[0].TextContent);
        var expected = hub.Notices(id)!.Select(n => n.Url).ToList();
        Assert.Equal(expected, page.FindAll("[data-testid=ticket-notice-link]").Select(a => a.GetAttribute("href")));
        Assert.Contains("受理告知书", notices[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("ReviewWindow", page.Find("[data-testid=ticket-petition-stage]").GetAttribute("data-stage"));
        Assert.Contains("可申请复查", page.Find("[data-testid=ticket-petition-stage]").TextContent, StringComparison.Ordinal);

        // Record a 复查 application on the page (received today): the stage moves to 复查 at the hub.
        page.Find("button[data-testid=ticket-action-review_apply]").Click();
        page.Find("textarea[data-testid=ticket-opinion], [data-testid=ticket-opinion] textarea").Change("对处理意见不服，申请复查");
        page.Find("button[data-testid=ticket-action-submit]").Click();
        page.WaitForAssertion(() => Assert.Equal("Review", page.Find("[data-testid=ticket-petition-stage]").GetAttribute("data-stage")));
        Assert.NotNull(page.Find("button[data-testid=ticket-action-review_decision]"));
    }

    [Fact]
    public void A_complaint_has_no_notices_section()
    {
        var id = _w.Hub.Create(TicketWorld.Complaint(), TicketActor.Resident).Id;
        Setup(_w.World.Hub, "hub", Roles.Clerk);
        var page = _ctx.Render<TicketPage>(p => p.Add(x => x.Id, id));
        Assert.Empty(page.FindAll("[data-testid=ticket-notices]"));
        Assert.Empty(page.FindAll("[data-testid=ticket-petition-stage]"));
    }

    public async ValueTask DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _w.Dispose();
    }
}
