using Bunit;
using EGovEdge.Office.Components.Conflicts;
using EGovEdge.Office.Components.Documents;
using EGovEdge.Office.Conflicts;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Components;

/// <summary>The office pages rendered with bUnit over real SQLite stores (Chinese, the default UI language).</summary>
public sealed class OfficeComponentTests : IAsyncLifetime
{
    private readonly OfficeWorld _world = new(new AnyoneMayWriteRules());
    private readonly BunitContext _ctx = new();

    private BunitServiceProvider Services => _ctx.Services;

    public OfficeComponentTests()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<TimeProvider>(_world.Time);
        var store = _world.Edge("guangshun");
        Services.AddSingleton<ILocalStore>(store);
        Services.AddSingleton<DocumentService>();
        Services.AddSingleton<TownshipDirectory>();
        Services.AddSingleton<ConflictService>();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("admin");
        auth.SetRoles("admin");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _world.Dispose();
    }

    private IRenderedComponent<T> RenderPage<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        _ctx.Render<MudPopoverProvider>();
        return parameters is null ? _ctx.Render<T>() : _ctx.Render<T>(parameters);
    }

    [Fact]
    public void DocumentList_TwoDocuments_ShowsTitlesChineseHeadersAndCount()
    {
        var docs = Services.GetRequiredService<DocumentService>();
        docs.Create(new DocumentInput { Title = "关于做好冬春森林防火工作的通知", DocType = "通知", Recipients = ["malu"] });
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        docs.Create(new DocumentInput { Title = "关于申请道路维修资金的请示", DocType = "请示", Urgency = "特急" });

        var cut = RenderPage<DocumentList>();

        var links = cut.FindAll("[data-testid=document-link]").Select(a => a.TextContent).ToList();
        Assert.Equal(["关于申请道路维修资金的请示", "关于做好冬春森林防火工作的通知"], links);
        Assert.Contains("标题", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("共 2 件", cut.Find("[data-testid=document-count]").TextContent);
    }

    [Fact]
    public void DocumentEdit_SaveWithoutTitle_ShowsChineseErrorAndStoresNothing()
    {
        var cut = RenderPage<DocumentEdit>();

        cut.Find("[data-testid=save-document]").Click();

        cut.WaitForAssertion(() => Assert.Contains("标题不能为空", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(0, Services.GetRequiredService<DocumentService>().List(new DocumentQuery()).Total);
    }

    [Fact]
    public void DocumentEdit_TitleAndBody_SavesAndGoesBackToTheList()
    {
        var cut = RenderPage<DocumentEdit>();

        cut.Find("#doc-title").Input("关于开展安全生产大检查的通知");
        cut.Find("#doc-body").Change("各村（社区）：");
        cut.Find("[data-testid=save-document]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/documents", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        var doc = Assert.Single(Services.GetRequiredService<DocumentService>().List(new DocumentQuery()).Items);
        Assert.Equal(("关于开展安全生产大检查的通知", "通知", "普通", "各村（社区）："), (doc.Title, doc.DocType, doc.Urgency, doc.Body));
    }

    [Fact]
    public void DocumentEdit_AnotherTownshipsDocument_ReadOnlyWithoutSaveButton()
    {
        var malu = _world.Edge("malu");
        var doc = _world.Documents(malu).Create(new DocumentInput { Title = "马路乡来文", DocType = "函", Recipients = ["guangshun"] });
        _world.SyncAll();

        var cut = RenderPage<DocumentEdit>(p => p.Add(x => x.Id, doc.Id));

        Assert.NotNull(cut.Find("[data-testid=read-only]"));
        Assert.Empty(cut.FindAll("[data-testid=save-document]"));
    }

    [Fact]
    public void ConflictReview_OpenConflict_HighlightsTheDifferingFieldAndKeepLoserResolvesIt()
    {
        var gs = _world.Edge("guangshun");
        var malu = _world.Edge("malu");
        var doc = _world.Documents(gs).Create(new DocumentInput { Title = "原标题", DocType = "通知", Recipients = ["malu"] });
        _world.SyncAll();
        gs.Update(DocumentsTable.Name, doc.Id, OfficeWorld.Set("title", "广顺镇的版本"));
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        malu.Update(DocumentsTable.Name, doc.Id, OfficeWorld.Set("title", "马路乡的版本"));
        _world.SyncAll();

        var cut = RenderPage<ConflictReview>();

        var diff = Assert.Single(cut.FindAll("tr.conflict-diff"));
        Assert.Contains("马路乡的版本", diff.TextContent, StringComparison.Ordinal);
        Assert.Contains("广顺镇的版本", diff.TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=keep-loser]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-conflicts]")));
        Assert.Equal("广顺镇的版本", gs.Get(DocumentsTable.Name, doc.Id)!.Text("title"));
    }
}
