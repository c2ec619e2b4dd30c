using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EGovEdge.E2E;

/// <summary>
/// A clerk at 广顺镇 writes a document in the browser while the county hub is down, sees it in the list and the status
/// badge waiting, and sees the badge turn online once the hub is back and the edge has synced. The apps run as
/// deploy/demo.sh runs them: the published output with <c>dotnet &lt;dll&gt;</c>, Production environment.
/// </summary>
public sealed partial class DocumentFormTests(ITestOutputHelper output)
{
    private static readonly TimeSpan UiTimeout = TimeSpan.FromSeconds(30);
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
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            // An English browser: the UI must still come up in Chinese (the default, whatever the browser asks for).
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 900 } });
            context.SetDefaultTimeout((float)UiTimeout.TotalMilliseconds);
            var page = await context.NewPageAsync();
            var problems = WatchBrowserProblems(page);
            try
            {
                var title = $"关于做好2026年冬春森林防火工作的通知（浏览器测试 {Guid.NewGuid().ToString("N")[..6]}）";
                const string Body = "各村（社区）：当前已进入冬春森林防火紧要期，请落实网格化管理。";

                await SignInAsync(page, edge, "/documents/new");
                Assert.Equal("zh-CN", await page.EvaluateAsync<string>("document.documentElement.lang"));
                await Expect(page.GetByTestId("save-document")).ToHaveTextAsync("保存");

                await PickAsync(page, "doc-type", "函", retryUntilCircuitLive: true);
                await Expect(page.GetByTestId("doc-type")).ToHaveTextAsync("函");
                await PickAsync(page, "doc-urgency", "加急");
                await Expect(page.GetByTestId("doc-urgency")).ToHaveTextAsync("加急");
                await PickAsync(page, "doc-recipients", "马路乡", closeAfter: true);

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
                    UiTimeout, "the badge to show at least one change waiting");
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
                await using var phone = await browser.NewContextAsync(new BrowserNewContextOptions
                {
                    Locale = "zh-CN",
                    ViewportSize = new() { Width = 390, Height = 844 },
                    IsMobile = true,
                    HasTouch = true,
                    StorageState = await context.StorageStateAsync(),
                });
                phone.SetDefaultTimeout((float)UiTimeout.TotalMilliseconds);
                var mobile = await phone.NewPageAsync();
                await mobile.GotoAsync(edge.BaseUrl + "/documents");
                await Expect(mobile.GetByTestId("document-link").Filter(new() { HasText = title })).ToBeVisibleAsync();
                var shot = await ScreenshotAsync(mobile, "documents-phone-390x844");
                var (scrollWidth, clientWidth) = await HorizontalExtentAsync(mobile);
                _log($"phone /documents: scrollWidth {scrollWidth}, clientWidth {clientWidth} ({shot})");
                Assert.True(scrollWidth <= clientWidth + 1,
                    $"/documents scrolls sideways on a 390 px phone: scrollWidth {scrollWidth} > clientWidth {clientWidth}. Screenshot: {shot}. Widest: {await WidestElementsAsync(mobile)}");

                foreach (var p in problems) _log("browser: " + p);
                Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || p.StartsWith("pageerror", StringComparison.Ordinal));
            }
            catch
            {
                _log("screenshot on failure: " + await ScreenshotAsync(page, "failure-" + DateTime.Now.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture)));
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

    /// <summary>Signs in as the node's administrator through the login form and lands on <paramref name="path"/>.</summary>
    private async Task SignInAsync(IPage page, NodeProcess node, string path)
    {
        await page.GotoAsync(node.BaseUrl + path);
        if (page.Url.Contains("/login", StringComparison.OrdinalIgnoreCase))
        {
            await page.Locator("#username").FillAsync(County.AdminUser);
            await page.Locator("#password").FillAsync(County.AdminPassword);
            await page.GetByTestId("login-submit").ClickAsync();
            await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.OrdinalIgnoreCase));
            if (!page.Url.EndsWith(path, StringComparison.Ordinal)) await page.GotoAsync(node.BaseUrl + path);
        }
        _log($"on {page.Url}");
    }

    /// <summary>
    /// Opens a MudSelect and clicks the option with <paramref name="option"/> as its text. A click before the Blazor
    /// circuit is connected is lost, so the first select is retried until its list actually opens.
    /// </summary>
    private async Task PickAsync(IPage page, string testId, string option, bool retryUntilCircuitLive = false, bool closeAfter = false)
    {
        var select = page.GetByTestId(testId);
        var item = page.Locator(".mud-popover-open [role=option]").Filter(new() { HasText = option });
        var deadline = DateTime.UtcNow + UiTimeout;
        var attempts = 0;
        while (true)
        {
            attempts++;
            await select.ClickAsync();
            try
            {
                await item.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = retryUntilCircuitLive ? 2000 : (float)UiTimeout.TotalMilliseconds });
                break;
            }
            catch (TimeoutException) when (retryUntilCircuitLive && DateTime.UtcNow < deadline)
            {
                // not interactive yet
            }
        }
        if (attempts > 1) _log($"{testId}: list opened after {attempts} clicks (circuit was still connecting)");
        await item.First.ClickAsync();
        if (closeAfter)
        {
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator(".mud-popover-open [role=option]")).ToHaveCountAsync(0);
        }
    }

    private static List<string> WatchBrowserProblems(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, msg) =>
        {
            if (msg.Type is "error" or "warning") lock (problems) problems.Add($"console {msg.Type}: {msg.Text}");
        };
        page.PageError += (_, err) =>
        {
            lock (problems) problems.Add("pageerror: " + err);
        };
        return problems;
    }

    private static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            return path;
        }
        catch (PlaywrightException ex)
        {
            return $"(no screenshot: {ex.Message})";
        }
    }

    private static async Task<(int ScrollWidth, int ClientWidth)> HorizontalExtentAsync(IPage page)
    {
        var r = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        return (r[0], r[1]);
    }

    /// <summary>The elements sticking out furthest to the right (for the failure message).</summary>
    private static Task<string> WidestElementsAsync(IPage page) => page.EvaluateAsync<string>("""
        (() => {
          const w = document.documentElement.clientWidth;
          return Array.from(document.querySelectorAll('body *'))
            .map(e => ({ e, r: e.getBoundingClientRect().right }))
            .filter(x => x.r > w + 1)
            .sort((a, b) => b.r - a.r)
            .slice(0, 5)
            .map(x => `${x.e.tagName.toLowerCase()}${x.e.id ? '#' + x.e.id : ''}.${[...x.e.classList].join('.')} right=${Math.round(x.r)}`)
            .join('; ');
        })()
        """);

    private static Regex DocumentsListUrl() => new(@"/documents/?(\?.*)?$");

    [GeneratedRegex("<script[^>]+src=\"([^\"]*_framework/blazor\\.web[^\"]*\\.js)\"")]
    private static partial Regex BlazorScript();
}
