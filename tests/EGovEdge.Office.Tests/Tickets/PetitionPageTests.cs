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

/// <summary>The ticket page of a petition: its stage and deadline, its written notices with download links, a 复查 recorded by clicking.</summary>
public sealed class PetitionPageTests : IAsyncDisposable
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
