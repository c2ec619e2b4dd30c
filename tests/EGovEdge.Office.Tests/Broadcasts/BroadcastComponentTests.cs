using System.Security.Claims;
using Bunit;
using EGovEdge.Office.Broadcasts;
using EGovEdge.Office.Components.Broadcasts;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Broadcasts;

/// <summary>The 信息广播 page over a real township store, in Chinese.</summary>
public sealed class BroadcastComponentTests : IAsyncDisposable
{
    private readonly BroadcastWorld _w = new();
    private readonly BunitContext _ctx = new();

    public async ValueTask DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _w.Dispose();
    }

    private IRenderedComponent<BroadcastsPage> Render(ILocalStore store)
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = _ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddLogging();
        s.AddSingleton(store);
        s.AddSingleton(_w.Broadcasts(store));
        s.AddSingleton<TownshipDirectory>();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("clerk-gs");
        auth.SetRoles(Roles.Clerk);
        auth.SetPolicies(Policies.DocumentsWrite);
        auth.SetClaims(new Claim(StaffClaims.Unit, store.NodeId));
        _ctx.Render<MudPopoverProvider>();
        return _ctx.Render<BroadcastsPage>();
    }

    [Fact]
    public void Township_PublishesAWeatherBroadcast_AndTheTableShowsItsRecipientsAndQueuedSms()
    {
        var gs = _w.World.Edge("guangshun");
        var service = _w.Broadcasts(gs);
        service.Register(new SubscriberInput { Phone = "13800000002", Topics = ["farming"] }, "clerk-gs");
        service.Register(new SubscriberInput { Phone = "13800000003", Topics = ["weather"] }, "clerk-gs");
        var cut = Render(gs);
        Assert.Equal("有效订阅 2 人", cut.Find("[data-testid=sub-active]").TextContent.Trim());

        cut.Find("#bc-text").Input("玉米秋播技术培训本周五在镇农技站举行。");
        // The default topic is weather: one weather subscriber.
        cut.Find("[data-testid=publish-broadcast]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=bc-row]")));
        Assert.Equal("1", cut.Find("[data-testid=bc-recipients]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=bc-queued]").TextContent);
        Assert.Equal(["13800000003"], _w.BroadcastPhones(gs, service.List().Single().Id));
    }

    [Fact]
    public void EmptyText_ShowsTheChineseError_AndStoresNothing()
    {
        var gs = _w.World.Edge("guangshun");
        var cut = Render(gs);
        cut.Find("[data-testid=publish-broadcast]").Click();
        cut.WaitForAssertion(() => Assert.Contains("请输入广播内容", cut.Find("[data-testid=bc-errors]").TextContent, StringComparison.Ordinal));
        Assert.Empty(_w.Broadcasts(gs).List());
    }
}
