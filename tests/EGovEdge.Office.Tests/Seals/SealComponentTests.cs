using System.Text;
using Bunit;
using EGovEdge.Office.Components.Seals;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Seals;

/// <summary>The seal pages and the SealStatus component rendered with bUnit over real stores and real seals (Chinese UI).</summary>
public sealed class SealComponentTests : IAsyncLifetime
{
    private const string Gs = "guangshun";
    private readonly SealWorld _w = new();
    private readonly BunitContext _ctx = new();

    public SealComponentTests()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _w.AddUser("wang", Gs, Roles.Clerk);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _w.Dispose();
    }

    /// <summary>Services of one node, signed in as <paramref name="user"/> with the seal policies.</summary>
    private void At(string node, string user = "admin")
    {
        var s = _ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddSingleton<TimeProvider>(_w.World.Time);
        s.AddSingleton(_w.Store(node));
        s.AddSingleton(new TownshipDirectory(_w.Store(node)));
        s.AddSingleton(_w.Registry(node));
        s.AddSingleton(_w.Seals(node));
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(Roles.Admin);
        auth.SetPolicies(Policies.Staff, Policies.SealManage, Policies.Administer);
    }

    private IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        _ctx.Render<MudPopoverProvider>();
        return parameters is null ? _ctx.Render<T>() : _ctx.Render<T>(parameters);
    }

    [Fact]
    public void SealStatus_ValidSeal_GreenWithSignerTimeAndNode()
    {
        At(Gs);
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-ui-1");
        _w.Apply(Gs, seal.Id, subject, "wang");

        var cut = Render<SealStatus>(p => p.Add(x => x.Check, _w.Seals(Gs).Verify(subject)));

        var status = cut.Find("[data-testid=seal-status]");
        Assert.Equal("valid", status.GetAttribute("data-state"));
        Assert.Contains("印章有效：广顺镇人民政府公章", status.TextContent, StringComparison.Ordinal);
        Assert.Equal("wang（广顺镇人民政府公章）于 2026年11月27日 09:00 在 guangshun 用印", cut.Find("[data-testid=seal-signed-by]").TextContent);
    }

    [Fact]
    public void SealStatus_PdfChangedAfterSealing_RedWithReason()
    {
        At(Gs);
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-ui-2");
        _w.Apply(Gs, seal.Id, subject, "wang");
        var check = _w.Seals(Gs).Verify(subject with { Pdf = Encoding.UTF8.GetBytes("%PDF-1.7 changed") });

        var cut = Render<SealStatus>(p => p.Add(x => x.Check, check));

        Assert.Equal("broken", cut.Find("[data-testid=seal-status]").GetAttribute("data-state"));
        Assert.Contains("印章无效", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("盖章后版式文件（PDF）被改动", cut.Find("[data-testid=seal-reason]").TextContent);
    }

    [Fact]
    public void SealStatus_NoCheck_NotSealed()
    {
        At(Gs);
        var cut = Render<SealStatus>();

        Assert.Equal("unsealed", cut.Find("[data-testid=seal-status]").GetAttribute("data-state"));
        Assert.Contains("未盖章", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void RegistryPage_Township_ListsIssuedSealWithSvgImageAndRequestsANewOne()
    {
        At(Gs, "sealadmin");
        _w.IssuedSeal(Gs, "wang");

        var cut = Render<SealRegistryPage>();

        Assert.Equal("广顺镇人民政府公章", cut.Find("[data-testid=seal-name]").TextContent);
        Assert.StartsWith("data:image/svg+xml;base64,", cut.Find("[data-testid=seal-image]").GetAttribute("src"), StringComparison.Ordinal);
        Assert.Equal("已制发", cut.Find("[data-testid=seal-status-chip]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=issue-seal]")); // issuing happens at the hub only

        cut.Find("[data-testid=request-seal]").Click();
        cut.Find("#seal-name").Input("广顺镇党委公章");
        cut.Find("#seal-signer").Input("wang");
        cut.Find("[data-testid=submit-request]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=seal-name]").Count));
        var requested = Assert.Single(_w.Registry(Gs).List(), s => s.Name == "广顺镇党委公章");
        Assert.Equal((SealTables.Requested, "wang", Gs, "sealadmin"), (requested.Status, requested.Signer, requested.Unit, requested.RequestedBy));
        Assert.True(requested.KeyHere);
    }

    [Fact]
    public void RegistryPage_RequestWithoutName_ShowsChineseErrorAndStoresNothing()
    {
        At(Gs, "sealadmin");
        var cut = Render<SealRegistryPage>();

        cut.Find("[data-testid=request-seal]").Click();
        cut.Find("[data-testid=submit-request]").Click();

        cut.WaitForAssertion(() => Assert.Contains("印章名称不能为空", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(_w.Registry(Gs).List());
    }

    [Fact]
    public void RegistryPage_Hub_IssuesARequestFromATownship()
    {
        At(NodeIds.Hub);
        var requested = _w.Registry(Gs).Request(new SealRequest { Name = "公章", UnitName = "广顺镇人民政府", Signer = "wang" }, "sealadmin");
        _w.World.Sync(Gs);
        var cut = Render<SealRegistryPage>();
        Assert.Equal("待制发", cut.Find("[data-testid=seal-status-chip]").TextContent.Trim());

        cut.Find("[data-testid=issue-seal]").Click();

        cut.WaitForAssertion(() => Assert.Equal("已制发", cut.Find("[data-testid=seal-status-chip]").TextContent.Trim()));
        Assert.Equal(SealTables.Issued, _w.Store(NodeIds.Hub).Get(SealTables.Seals, requested.Id)!.Text("status"));
    }

    [Fact]
    public void RegistryPage_ShowsRevocationListNumberAndFreshness()
    {
        At(Gs);
        _w.IssuedSeal(Gs, "wang");
        var list = _w.Registry(Gs).RevocationList()!;

        var cut = Render<SealRegistryPage>();

        var shown = cut.Find("[data-testid=revocation-list]");
        Assert.Equal(("current", "1"), (shown.GetAttribute("data-state"), shown.GetAttribute("data-number")));
        Assert.Contains("印章撤销列表：第1号", shown.TextContent, StringComparison.Ordinal);
        Assert.Contains("（最新）", shown.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, list.Number);

        _w.World.Time.Advance(TimeSpan.FromDays(8));
        var stale = _ctx.Render<SealRegistryPage>().Find("[data-testid=revocation-list]");
        Assert.Equal("stale", stale.GetAttribute("data-state"));
        Assert.Contains("已过期，请在联网后同步", stale.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SealStatus_StaleRevocationList_ValidWithWarningAndListNumber()
    {
        At(Gs);
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-ui-5");
        _w.Apply(Gs, seal.Id, subject, "wang");
        _w.World.Time.Advance(TimeSpan.FromDays(8));

        var cut = Render<SealStatus>(p => p.Add(x => x.Check, _w.Seals(Gs).Verify(subject)));

        Assert.Equal("valid", cut.Find("[data-testid=seal-status]").GetAttribute("data-state"));
        Assert.StartsWith("撤销列表已过期：最新列表为第1号", cut.Find("[data-testid=seal-note]").TextContent, StringComparison.Ordinal);
        Assert.Equal("依据印章撤销列表第1号（签发于 2026年11月27日 09:00）", cut.Find("[data-testid=seal-list]").TextContent);
    }

    [Fact]
    public void UsesPage_ListsTheSealUse()
    {
        At(Gs);
        var seal = _w.IssuedSeal(Gs, "wang");
        _w.Apply(Gs, seal.Id, SealWorld.Subject("doc-ui-3"), "wang");

        var cut = Render<SealUsesPage>();

        Assert.Equal("广顺镇人民政府公章", cut.Find("[data-testid=use-seal]").TextContent);
        Assert.Equal("doc-ui-3", cut.Find("[data-testid=use-document]").TextContent);
        Assert.Equal("共 1 条", cut.Find("[data-testid=use-count]").TextContent);
    }

    [Fact]
    public void VerifyPage_DocumentWithSeal_ShowsValidStatusAndSealImage()
    {
        At("malu");
        var seal = _w.IssuedSeal(Gs, "wang");
        _w.Apply(Gs, seal.Id, SealWorld.Subject("doc-ui-4"), "wang");
        _w.World.Sync(Gs);
        _w.World.Sync("malu");
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/seals/verify?doc=doc-ui-4");

        var cut = Render<SealVerifyPage>();

        cut.WaitForAssertion(() => Assert.Equal("valid", cut.Find("[data-testid=seal-status]").GetAttribute("data-state")));
        Assert.NotNull(cut.Find("[data-testid=seal-image]"));
    }
}
