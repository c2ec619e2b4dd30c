using System.Security.Claims;
using Bunit;
using EGovEdge.Office.Archives;
using EGovEdge.Office.Components.Archives;
using EGovEdge.Office.Identity;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Archives;

/// <summary>The 待归档 and 归档文件 pages rendered with bUnit over 广顺镇's real store, in Chinese and English.</summary>
public sealed class ArchiveComponentTests : IDisposable
{
    private readonly ArchiveWorld _w = new();

    public void Dispose() => _w.Dispose();

    private BunitContext Ui(string culture = "zh-CN", params string[] roles)
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddLogging();
        s.AddSingleton<TimeProvider>(_w.Wf.World.Time);
        s.AddSingleton(_w.Archive("guangshun"));
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("clerk");
        var list = roles.Length == 0 ? [Roles.Clerk] : roles;
        auth.SetRoles(list);
        auth.SetPolicies(list.Contains(Roles.Clerk) ? [Policies.Staff, Policies.DocumentsWrite] : [Policies.Staff]);
        auth.SetClaims(new Claim(StaffClaims.Unit, "guangshun"), new Claim(StaffClaims.DisplayName, "张敏"));
        ctx.Render<MudPopoverProvider>();
        ctx.Render<MudSnackbarProvider>();
        return ctx;
    }

    [Fact]
    public async Task Ready_SelectTwoAndFile_TheyGetConsecutiveCodes_ThenTheListShowsThemAndRunsTheCheck()
    {
        var a = _w.Dispatched(title: "关于做好冬季防火工作的通知");
        var b = _w.Dispatched(title: "关于开展安全生产大检查的通知");
        _w.Dispatched(title: "关于商请协助的函", docType: "函");
        await using var ctx = Ui();
        var ready = ctx.Render<ArchiveReady>();

        Assert.Equal(3, ready.FindAll("[data-testid=ready-title]").Count);
        Assert.Contains("定期10年", ready.FindAll("[data-testid=ready-retention]").Select(e => e.TextContent));
        ready.Find($"#ready-pick-{a.Id}").Change(true);
        ready.Find($"#ready-pick-{b.Id}").Change(true);
        Assert.Contains("（2）", ready.Find("[data-testid=ready-file-selected]").TextContent, StringComparison.Ordinal);
        ready.Find("[data-testid=ready-file-selected]").Click();

        ready.WaitForAssertion(() => Assert.Single(ready.FindAll("[data-testid=ready-title]")));
        Assert.Equal("关于商请协助的函", ready.Find("[data-testid=ready-title]").TextContent);
        var codes = _w.Archive("guangshun").List().Select(i => i.ArchivalCode).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["GUANGSHUN-WS·2026-D30-0001", "GUANGSHUN-WS·2026-D30-0002"], codes);
        Assert.Empty(ready.FindAll("[data-testid=archive-error]"));

        var list = ctx.Render<ArchiveList>();
        Assert.Equal(codes, list.FindAll("[data-testid=archive-code]").Select(e => e.TextContent).Order(StringComparer.Ordinal));
        Assert.Equal("共 2 件", list.Find("[data-testid=archive-count]").TextContent);
        Assert.EndsWith("/package", list.Find("[data-testid=archive-download]").GetAttribute("href"), StringComparison.Ordinal);
        list.Find("#archive-retention").Change("Y");
        list.WaitForAssertion(() => Assert.Equal("暂无归档文件", list.Find("[data-testid=archive-empty]").TextContent));
        list.Find("#archive-retention").Change("");
        list.Find("#archive-search").Input("安全生产");
        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid=archive-code]")));
        list.Find("[data-testid=archive-check]").Click();
        list.WaitForAssertion(() => Assert.Equal("true", list.Find("[data-testid=archive-check-result]").GetAttribute("data-passed")));
        Assert.Contains("均通过", list.Find("[data-testid=archive-check-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_FilingTheSameDocumentTwice_ShowsTheChineseErrorWithTheCode()
    {
        var doc = _w.Dispatched();
        await using var ctx = Ui();
        var ready = ctx.Render<ArchiveReady>();
        var item = Assert.Single(_w.Archive("guangshun").File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk)); // filed meanwhile elsewhere

        ready.Find("[data-testid=ready-file]").Click();

        ready.WaitForAssertion(() => Assert.Contains($"已归档，档号 {item.ArchivalCode}", ready.Find("[data-testid=archive-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal("没有待归档的文件", ready.Find("[data-testid=ready-empty]").TextContent);
    }

    [Fact]
    public async Task Pages_InEnglish_AndWithoutFilingButtonsForStaffWhoAreNotClerks()
    {
        _w.Dispatched();
        _w.Archive("guangshun").File(new FileInput { DocumentIds = [_w.Dispatched(title: "关于早先归档的通知").Id] }, ArchiveWorld.Clerk);
        await using var ctx = Ui("en", Roles.Reporter);
        var ready = ctx.Render<ArchiveReady>();
        Assert.Single(ready.FindAll("[data-testid=ready-title]"));
        Assert.Empty(ready.FindAll("[data-testid=ready-file]"));
        Assert.Empty(ready.FindAll("[data-testid=ready-pick]"));
        Assert.Equal("30 years", ready.Find("[data-testid=ready-retention]").TextContent);

        var list = ctx.Render<ArchiveList>();
        Assert.Equal("Items: 1", list.Find("[data-testid=archive-count]").TextContent);
        Assert.Equal("30 years", list.Find("[data-testid=archive-retention]").TextContent);
        Assert.Empty(list.FindAll("[data-testid=archive-to-ready]"));
    }
}
