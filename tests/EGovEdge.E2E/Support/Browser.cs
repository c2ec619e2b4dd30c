using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EGovEdge.E2E.Support;

/// <summary>Debian's Chromium driven by Playwright, and the steps every browser test repeats (sign in, pick, screenshot).</summary>
internal static class Browser
{
    public static readonly TimeSpan UiTimeout = TimeSpan.FromSeconds(30);

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public static async Task<IBrowserContext> DesktopAsync(IBrowser browser, string locale = "zh-CN")
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout((float)UiTimeout.TotalMilliseconds);
        return context;
    }

    public static async Task<IBrowserContext> PhoneAsync(IBrowser browser, BrowserNewContextOptions? extra = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var options = extra ?? new BrowserNewContextOptions();
        options.Locale ??= "zh-CN";
        options.ViewportSize = new() { Width = 390, Height = 844 };
        options.IsMobile = true;
        options.HasTouch = true;
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout((float)UiTimeout.TotalMilliseconds);
        return context;
    }

    /// <summary>Signs in through the login form (when asked to) and lands on <paramref name="path"/>.</summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string path, string username, string password, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(log);
        await page.GotoAsync(baseUrl + path);
        if (page.Url.Contains("/login", StringComparison.OrdinalIgnoreCase))
        {
            await page.Locator("#username").FillAsync(username);
            await page.Locator("#password").FillAsync(password);
            await page.GetByTestId("login-submit").ClickAsync();
            await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.OrdinalIgnoreCase),
                new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            if (!page.Url.EndsWith(path, StringComparison.Ordinal)) await page.GotoAsync(baseUrl + path);
        }
        await WaitInteractiveAsync(page);
        log($"{username} on {page.Url}");
    }

    /// <summary>
    /// Waits until the page's Blazor circuit is connected (the shell's marker says so): before that, a click or typed
    /// text lands on the prerendered page and is lost, and navigating away aborts the circuit's start.
    /// </summary>
    public static Task WaitInteractiveAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Expect(page.GetByTestId("circuit")).ToHaveAttributeAsync("data-interactive", "true");
    }

    /// <summary>Loads <paramref name="url"/> and waits until the page is interactive.</summary>
    public static async Task OpenAsync(IPage page, string url)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(url);
        await WaitInteractiveAsync(page);
    }

    /// <summary>
    /// Opens a MudSelect and clicks the option with <paramref name="option"/> as its text. A click before the Blazor
    /// circuit is connected is lost, so the select is retried until its list actually opens.
    /// </summary>
    public static async Task PickAsync(IPage page, string testId, string option, Action<string> log, bool closeAfter = false)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(log);
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
                await item.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 2000 });
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // not interactive yet
            }
        }
        if (attempts > 1) log($"{testId}: list opened after {attempts} clicks (circuit was still connecting)");
        await item.First.ClickAsync();
        if (closeAfter)
        {
            var open = page.Locator(".mud-popover-open [role=option]");
            await page.Keyboard.PressAsync("Escape");
            if (await open.CountAsync() > 0)
            {
                await page.WaitForTimeoutAsync(300);
                // A multi-select keeps focus in its list: clicking the field again closes it.
                if (await open.CountAsync() > 0) await select.ClickAsync();
            }
            await Expect(open).ToHaveCountAsync(0);
        }
    }

    /// <summary>
    /// Clicks a button of an interactive page, retrying while the circuit is still connecting, until
    /// <paramref name="done"/> holds.
    /// </summary>
    public static async Task ClickUntilAsync(IPage page, ILocator button, Func<Task<bool>> done, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(button);
        ArgumentNullException.ThrowIfNull(done);
        await WaitInteractiveAsync(page);
        var deadline = DateTime.UtcNow + UiTimeout;
        while (true)
        {
            // Clicked again only if the button is still there after 5 s without effect (never waits for a button
            // the step has just removed, and a slow answer is not taken for a lost click too early).
            if (await button.CountAsync() > 0 && await button.IsEnabledAsync(new() { Timeout = 1000 })) await button.ClickAsync();
            for (var i = 0; i < 25; i++)
            {
                if (await done()) return;
                await page.WaitForTimeoutAsync(200);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: no effect within {UiTimeout.TotalSeconds:0} s");
        }
    }

    public static List<string> WatchProblems(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
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

    /// <summary>No Content-Security-Policy violation and no script error reached the console.</summary>
    public static void AssertNoSeriousProblems(IEnumerable<string> problems, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(log);
        var list = problems.ToList();
        foreach (var p in list) log("browser: " + p);
        Assert.DoesNotContain(list, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || p.StartsWith("pageerror", StringComparison.Ordinal));
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
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

    public static string FailureName() => "failure-" + DateTime.Now.ToString("HHmmss", CultureInfo.InvariantCulture);

    public static async Task<(int ScrollWidth, int ClientWidth)> HorizontalExtentAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var r = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        return (r[0], r[1]);
    }

    /// <summary>The page fits a phone screen: nothing scrolls sideways (the failure names the widest elements).</summary>
    public static async Task AssertFitsPhoneAsync(IPage page, string name, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(log);
        var shot = await ScreenshotAsync(page, name);
        var (scrollWidth, clientWidth) = await HorizontalExtentAsync(page);
        log($"phone {page.Url}: scrollWidth {scrollWidth}, clientWidth {clientWidth} ({shot})");
        Assert.True(scrollWidth <= clientWidth + 1,
            $"{page.Url} scrolls sideways on a 390 px phone: scrollWidth {scrollWidth} > clientWidth {clientWidth}. Screenshot: {shot}. Widest: {await WidestElementsAsync(page)}");
    }

    /// <summary>
    /// Null when the page fits a phone screen (nothing scrolls sideways), else what sticks out: the same measure as
    /// <see cref="AssertFitsPhoneAsync"/>, for tests that collect failures instead of stopping at the first.
    /// </summary>
    public static async Task<string?> PhoneOverflowAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var (scrollWidth, clientWidth) = await HorizontalExtentAsync(page);
        return scrollWidth <= clientWidth + 1
            ? null
            : $"scrolls sideways: scrollWidth {scrollWidth} > clientWidth {clientWidth}; widest: {await WidestElementsAsync(page)}";
    }

    /// <summary>
    /// The local addresses of the navigation drawer's links (MudNavMenu), distinct and in menu order. On a phone the
    /// drawer may be closed: it is opened with the app bar's menu button when its links are not rendered.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DrawerLinksAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var links = page.Locator(".mud-drawer .mud-navmenu a[href]");
        if (await links.CountAsync() == 0)
        {
            await page.GetByTestId("nav-toggle").ClickAsync();
            await links.First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        var hrefs = await links.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href') || '')");
        return hrefs.Where(h => h.StartsWith('/') && !h.StartsWith("//", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The local addresses the signed-in user's menu in the app bar links to (its password page); closes it again.</summary>
    public static async Task<IReadOnlyList<string>> UserMenuLinksAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var items = page.Locator(".mud-popover-open a[href]");
        await page.GetByTestId("user-menu").ClickAsync();
        await items.First.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        var hrefs = await items.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href') || '')");
        await page.Keyboard.PressAsync("Escape");
        return hrefs.Where(h => h.StartsWith('/') && !h.StartsWith("//", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The elements sticking out furthest to the right (for the failure message).</summary>
    public static Task<string> WidestElementsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync<string>("""
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
    }
}
