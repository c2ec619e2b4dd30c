using Bunit;
using EGovEdge.Office.Components.Supervision;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Supervision;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using static EGovEdge.Office.Tests.Supervision.SupervisionWorld;

namespace EGovEdge.Office.Tests.Supervision;

/// <summary>The dashboard and the inspections page rendered with bUnit over the seeded hub, in Chinese.</summary>
public sealed class SupervisionComponentTests : IAsyncDisposable
{
    private readonly SupervisionWorld _w = new();
    private readonly BunitContext _ctx = new();

    public SupervisionComponentTests()
    {
        _w.Seed();
        // November 2026 is "this month" at the world's clock (2026-11-27).
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async ValueTask DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _w.Dispose();
    }

    private void Services(ILocalStore store, string username, string unit, params string[] roles)
    {
        var s = _ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddLogging();
        s.AddSingleton<TimeProvider>(_w.World.Time);
        s.AddSingleton(store);
        s.AddSingleton(_w.Stats(store));
        s.AddSingleton(_w.Inspections(store));
        s.AddSingleton<TownshipDirectory>();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized(username);
        auth.SetRoles(roles);
        auth.SetPolicies(Policies.Supervise, Policies.Staff);
        auth.SetClaims(new System.Security.Claims.Claim(StaffClaims.Unit, unit));
        _ctx.Render<MudPopoverProvider>();
    }

    [Fact]
    public void Dashboard_ShowsTheHandComputedFigures_Charts_Method_SyncHealth_AndTheCsvLink()
    {
        Services(_w.World.Hub, "chen", Hub, Roles.Supervisor);

        var cut = _ctx.Render<SupervisionDashboard>();

        Assert.Equal("统计期间：2026年11月1日 至 2026年11月27日", cut.Find("[data-testid=sup-period]").TextContent);
        Assert.Equal("4", cut.Find("[data-testid=kpi-issued]").TextContent);
        Assert.Equal("5", cut.Find("[data-testid=kpi-circulated]").TextContent);
        Assert.Equal("10.0", cut.Find("[data-testid=kpi-signoff]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=kpi-overdue]").TextContent);
        Assert.Equal("33.21", cut.Find("[data-testid=kpi-saved]").TextContent);
        var gs = cut.Find("[data-testid=sup-unit-row][data-unit=guangshun]");
        Assert.Equal("广顺镇", gs.QuerySelector("td")!.TextContent);
        Assert.Equal("11.07", gs.QuerySelector("[data-col=Sup_Col_Saved]")!.TextContent);
        Assert.Equal("20.5", gs.QuerySelector("[data-col=Sup_Col_SignOffMedian]")!.TextContent);
        Assert.Equal("33.21", cut.Find("[data-testid=sup-total-row] [data-col=Sup_Col_Saved]").TextContent);
        foreach (var chart in new[] { "chart-documents", "chart-signoff", "chart-alerts", "chart-usage", "chart-savings" })
        {
            Assert.NotNull(cut.Find($"[data-testid={chart}] svg"));
        }
        Assert.Contains("广顺镇", cut.Find("[data-testid=chart-documents]").TextContent, StringComparison.Ordinal);
        Assert.Contains("0.0942", cut.Find("[data-testid=sup-method]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["广顺镇", "马路乡"], cut.FindAll("[data-testid=sup-sync-row]").Select(e => e.TextContent));
        Assert.Equal("张三", cut.FindAll("[data-testid=sup-user-row]")[0].TextContent);
        Assert.Contains("暂不可用", cut.Find("[data-testid=sup-tickets-na]").TextContent, StringComparison.Ordinal);
        Assert.Equal("/api/supervision/report.csv?from=2026-11-01&to=2026-11-27", cut.Find("[data-testid=sup-csv]").GetAttribute("href"));
    }

    [Fact]
    public void Dashboard_CustomPeriod_OctoberShowsOctobersFigures_AndABadPeriodIsExplained()
    {
        Services(_w.World.Hub, "chen", Hub, Roles.Supervisor);
        var cut = _ctx.Render<SupervisionDashboard>();

        cut.Find("[data-testid=period-custom]").Click();
        cut.Find("#sup-from").Change("2026-10-01");
        cut.Find("#sup-to").Change("2026-10-31");
        cut.Find("[data-testid=period-apply]").Click();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=kpi-issued]").TextContent)); // d5
        Assert.Equal("/api/supervision/report.csv?from=2026-10-01&to=2026-10-31", cut.Find("[data-testid=sup-csv]").GetAttribute("href"));

        cut.Find("#sup-to").Change("2026-09-30");
        cut.Find("[data-testid=period-apply]").Click();
        cut.WaitForAssertion(() => Assert.Equal("截止日期不能早于起始日期", cut.Find("[data-testid=period-error]").TextContent));
    }

    [Fact]
    public void Township_InspectionsPage_ShowsItsFindings_AndSendsAReply()
    {
        _w.World.SyncAll();
        var gsStore = _w.World.Edge(Gs);
        Services(gsStore, "zhang", Gs, Roles.Clerk);

        var cut = _ctx.Render<InspectionsPage>();

        Assert.Equal("收文登记不及时", cut.Find("[data-testid=insp-findings]").TextContent);
        Assert.Equal("广顺镇", cut.Find("[data-testid=insp-unit-name]").TextContent);
        Assert.Equal("待整改", cut.Find("[data-testid=insp-status]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=insp-form]"));
        var id = _w.Inspections(gsStore).List(Gs, false)[0].Id;
        cut.Find($"#insp-reply-{id}").Change("已建立收文当日登记制度");
        cut.Find("[data-testid=insp-reply-send]").Click();

        cut.WaitForAssertion(() => Assert.Contains("已建立收文当日登记制度", cut.Find("[data-testid=insp-reply]").TextContent, StringComparison.Ordinal));
        _w.World.SyncAll();
        Assert.Single(_w.Inspections(_w.World.Hub).Get(id)!.Replies);
    }
}
