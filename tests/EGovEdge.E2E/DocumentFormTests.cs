using System.Text.RegularExpressions;
using Microsoft.Playwright;
using EGovEdge.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace EGovEdge.E2E;

/// <summary>
/// A clerk at 广顺镇 writes a document in the browser while the county hub is down, sees it in the list and the status
/// badge waiting, and sees the badge turn online once the hub is back and the edge has synced. The apps run as
/// deploy/demo.sh runs them: the published output with <c>dotnet &lt;dll&gt;</c>, Production environment.
/// </summary>
public sealed partial class DocumentFormTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(60);

    private readonly Action<string> _log = LogLines.Timestamped(output.WriteLine);

    [Fact]
    public async Task Clerk_WritesDocumentWhileHubDown_SeesItListed_AndBadgeTurnsOnlineAfterSync()
    {
        // The published apps only (no apphost, no unpublished fallback): this is what the demo runs.
        var hubBinary = AppBinaries.Hub(requirePublished: true) with { AllowAppHost = false };
        var edgeBinary = AppBinaries.Edge(requirePublished: true) with { AllowAppHost = false };
        foreach (var b in new[] { hubBinary, edgeBinary })
        {
            Assert.Equal("Production", b.Environment);
            if (AppBinaries.StalenessWarning(b) is { } warning) _log(warning);
        }

        await using var ws = new TestWorkspace("e2e", _log);
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: hubBinary);
        var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 2, binary: edgeBinary);
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();

            // Blazor's script is served by the published apps in Production (the interactive circuit depends on it).
            foreach (var node in new NodeProcess[] { edge, hub }) await AssertBlazorScriptServedAsync(node);

            // The township list in the form comes from the hub: let the edge sync once, then take the hub down.
            await Poll.WaitUntilAsync(async () => (await edge.Api.GetSyncStatusAsync()) is { LastSuccessUtc: not null, PendingChanges: 0 },
                SyncTimeout, "the edge's first sync with the hub");
            hub.Kill();
            _log("hub killed; the clerk works offline");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            // An English browser: the UI must still come up in Chinese (the default, whatever the browser asks for).
            await using var context = await Browser.DesktopAsync(browser, locale: "en-US");
            var page = await context.NewPageAsync();
            var problems = Browser.WatchProblems(page);
            try
            {
                var title = $"关于做好2026年冬春森林防火工作的通知（浏览器测试 {Guid.NewGuid().ToString("N")[..6]}）";
                const string Body = "各村（社区）：当前已进入冬春森林防火紧要期，请落实网格化管理。";

                await Browser.SignInAsync(page, edge.BaseUrl, "/documents/new", County.AdminUser, County.AdminPassword, _log);
                Assert.Equal("zh-CN", await page.EvaluateAsync<string>("document.documentElement.lang"));
                await Expect(page.GetByTestId("save-document")).ToHaveTextAsync("保存");

                await Browser.PickAsync(page, "doc-type", "函", _log);
                await Expect(page.GetByTestId("doc-type")).ToHaveTextAsync("函");
                await Browser.PickAsync(page, "doc-urgency", "加急", _log);
                await Expect(page.GetByTestId("doc-urgency")).ToHaveTextAsync("加急");
                await Browser.PickAsync(page, "doc-recipients", "马路乡", _log, closeAfter: true);

                await page.Locator("#doc-title").FillAsync(title);
                await page.Locator("#doc-body").FillAsync(Body);
                await page.Locator("#doc-body").PressAsync("Tab"); // the body binds on change
                await Expect(page.Locator("#doc-title")).ToHaveValueAsync(title);

                await page.GetByTestId("save-document").ClickAsync();
                await page.WaitForURLAsync(DocumentsListUrl());
                var link = page.GetByTestId("document-link").Filter(new() { HasText = title });
                await Expect(link).ToBeVisibleAsync();
                var href = await link.GetAttributeAsync("href") ?? "";
                var id = href[(href.LastIndexOf('/') + 1)..];
                Assert.True(Guid.TryParse(id, out _), $"document link {href}");
                _log($"saved and listed: {id}");

                // Hub down: the badge counts what waits and says offline.
                var badge = page.GetByTestId("sync-badge");
                await Expect(badge).ToHaveAttributeAsync("data-state", "offline");
                await Poll.WaitUntilAsync(async () => int.TryParse(await badge.GetAttributeAsync("data-pending"), out var n) && n >= 1,
                    Browser.UiTimeout, "the badge to show at least one change waiting");
                _log($"badge while the hub is down: state={await badge.GetAttributeAsync("data-state")} pending={await badge.GetAttributeAsync("data-pending")}");
                Assert.NotNull(await edge.Api.GetDocumentAsync(id));
                Assert.False(hub.IsRunning);

                await hub.StartAsync();
                _log("hub back; waiting for the badge (it refreshes itself every 2 s)");
                await Expect(badge).ToHaveAttributeAsync("data-state", "online", new() { Timeout = (float)SyncTimeout.TotalMilliseconds });
                await Expect(badge).ToHaveAttributeAsync("data-pending", "0", new() { Timeout = (float)SyncTimeout.TotalMilliseconds });

                // The document the clerk typed is on the hub, as typed.
                var onHub = await hub.Api.GetDocumentAsync(id);
                Assert.NotNull(onHub);
                Assert.Equal(title, onHub.Title);
                Assert.Equal(Body, onHub.Body);
                Assert.Equal("函", onHub.DocType);
                Assert.Equal("加急", onHub.Urgency);
                Assert.Equal(["malu"], onHub.Recipients);
                Assert.Equal("guangshun", onHub.OriginNode);

                // Phone: the list fits the screen (no horizontal scrolling).
                await using var phone = await Browser.PhoneAsync(browser, new BrowserNewContextOptions { StorageState = await context.StorageStateAsync() });
                var mobile = await phone.NewPageAsync();
                await Browser.OpenAsync(mobile, edge.BaseUrl + "/documents");
                await Expect(mobile.GetByTestId("document-link").Filter(new() { HasText = title })).ToBeVisibleAsync();
                await Browser.AssertFitsPhoneAsync(mobile, "documents-phone-390x844", _log);

                Browser.AssertNoSeriousProblems(problems, _log);
            }
            catch
            {
                _log("screenshot on failure: " + await Browser.ScreenshotAsync(page, Browser.FailureName()));
                foreach (var p in problems) _log("browser: " + p);
                throw;
            }
        });
    }

    private async Task AssertBlazorScriptServedAsync(NodeProcess node)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var plain = await http.GetAsync(new Uri(node.BaseUrl + "/_framework/blazor.web.js"));
        Assert.True(plain.IsSuccessStatusCode, $"{node.Name}: GET /_framework/blazor.web.js answered {(int)plain.StatusCode}");
        Assert.Equal(200, (int)plain.StatusCode);
        Assert.Contains("javascript", plain.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        Assert.True((await plain.Content.ReadAsByteArrayAsync()).Length > 10_000, "blazor.web.js looks empty");

        // And the (fingerprinted) URL the pages actually reference.
        var html = await http.GetStringAsync(new Uri(node.BaseUrl + "/login"));
        var src = BlazorScript().Match(html);
        Assert.True(src.Success, $"{node.Name}: no blazor.web script tag on /login");
        using var referenced = await http.GetAsync(new Uri(new Uri(node.BaseUrl + "/"), src.Groups[1].Value));
        Assert.Equal(200, (int)referenced.StatusCode);
        _log($"{node.Name}: /_framework/blazor.web.js 200, page references {src.Groups[1].Value} 200");
    }

    private static Regex DocumentsListUrl() => new(@"/documents/?(\?.*)?$");

    [GeneratedRegex("<script[^>]+src=\"([^\"]*_framework/blazor\\.web[^\"]*\\.js)\"")]
    private static partial Regex BlazorScript();
}
