using Bunit;
using System.Security.Claims;
using EGovEdge.Office.Components.Home;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.Notices;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Home;

/// <summary>The shared home-page parts: "what waits for me" and the warning banner.</summary>
public sealed class HomeComponentTests : IDisposable
{
    private readonly NoticeWorld _w = new();

    public void Dispose() => _w.Dispose();

    private sealed class FixedSource(params WorkItemCount[] items) : IWorkSource
    {
        public IEnumerable<WorkItemCount> For(ClaimsPrincipal user) => items;
    }

    private sealed class BrokenSource : IWorkSource
    {
        public IEnumerable<WorkItemCount> For(ClaimsPrincipal user) => throw new InvalidOperationException("colleague's bug");
    }

    [Fact]
    public async Task MyWork_ShowsEveryRegisteredSourceWithCounts_AndSurvivesABrokenOne()
    {
        _w.Staff("zhang", "guangshun");
        _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "通知一", Units = ["guangshun"] }, "admin");
        _w.Notices(_w.World.Hub).Send(new NoticeInput { Kind = "warning", Title = "暴雪预警", Users = ["zhang"] }, "admin");
        var gs = _w.World.Edge("guangshun");
        _w.World.SyncAll();
        IWorkSource[] sources =
        [
            new FixedSource(new WorkItemCount("workflow.signoff", "待签发", 3, "/workflow/signoff", MudBlazor.Icons.Material.Filled.Draw)),
            new BrokenSource(),
        ];
        await using var ui = new NoticeUi(_w, gs, "zhang", "guangshun", sources);

        var cut = ui.Render<MyWork>();

        Assert.Contains("我的待办", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("3", cut.Find("[data-testid='work-workflow.signoff'] [data-testid=work-count]").TextContent);
        Assert.Contains("待签发", cut.Find("[data-testid='work-workflow.signoff']").TextContent, StringComparison.Ordinal);
        Assert.Equal("2", cut.Find("[data-testid='work-notices.unread'] [data-testid=work-count]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid='work-notices.warnings'] [data-testid=work-count]").TextContent);
        Assert.Equal("/notices?unread=true", cut.Find("[data-testid='work-notices.unread'] a").GetAttribute("href"));
        Assert.Equal(["workflow.signoff", "notices.unread", "notices.warnings"],
            ui.Get<HomeWork>().For(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "zhang")], "test"))).Select(i => i.Key)
                .OrderBy(k => k == "workflow.signoff" ? 0 : 1));
    }

    [Fact]
    public async Task AlertBanner_UnreadWarningShownUntilAcknowledged_ThenGoneWithAReceipt()
    {
        _w.Staff("zhang", "guangshun");
        var warning = _w.Notices(_w.World.Hub).Send(new NoticeInput { Kind = "warning", Title = "暴雨红色预警", Body = "请立即转移低洼地带群众", Units = ["guangshun"] }, "admin");
        _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "普通通知", Units = ["guangshun"] }, "admin");
        var gs = _w.World.Edge("guangshun");
        _w.World.SyncAll();
        await using var ui = new NoticeUi(_w, gs, "zhang", "guangshun");

        var cut = ui.Render<AlertBanner>();

        var item = Assert.Single(cut.FindAll("[data-testid=alert-item]"));
        Assert.Contains("【预警】暴雨红色预警", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("请立即转移低洼地带群众", item.TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=alert-read]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=alert-banner]")));
        Assert.True(_w.Notices(gs).HasRead(warning.Id, "zhang"));
    }

    [Fact]
    public async Task AlertBanner_NothingUrgent_RendersNothing()
    {
        _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "普通通知", Units = ["*"], Priority = 1 }, "admin");
        await using var ui = new NoticeUi(_w, _w.World.Hub, "zhang", "hub");

        var cut = ui.Render<AlertBanner>();

        Assert.Empty(cut.FindAll("[data-testid=alert-banner]"));
    }
}
