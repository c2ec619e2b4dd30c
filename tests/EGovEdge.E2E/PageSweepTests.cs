using System.Text.Json;
using System.Text.RegularExpressions;
using EGovEdge.E2E.Support;
using Microsoft.Playwright;

namespace EGovEdge.E2E;

/// <summary>
/// Every page the app offers, on a 390 px phone, in Simplified Chinese and in English: the office pages each drawer
/// links to (hub admin at the hub, a township account with many roles at the edge) and the public portal's pages. Each
/// page must load without an error, fit the screen, and speak the chosen language. All findings are collected and
/// reported together.
/// </summary>
public sealed partial class PageSweepTests(ITestOutputHelper output)
{
    private const string Chinese = "zh-CN";
    private const string English = "en";

    /// <summary>A township account holding every township role and the county-wide ones a township account may hold.</summary>
    private static readonly string[] SweepRoles = ["clerk", "seal_admin", "leader", "reporter", "driver", "technician", "supervisor"];

    private const string StaffName = "周晓梅";

    /// <summary>Proper names that come from data and may appear in English headings (and the link to the other language).</summary>
    private static readonly string[] DataNames =
        [County.Guangshun.Name, County.Malu.Name, County.Baisuo.Name, County.Daihua.Name, County.Guyang.Name, StaffName, "中文"];

    /// <summary>The titles of the error, not-found and denied pages in both languages (Text.resx / Text.en.resx).</summary>
    private static readonly string[] ErrorTitles = ["出错了", "Something went wrong", "页面不存在", "Page not found", "您没有权限访问此页面", "You may not open this page"];

    /// <summary>
    /// What the page shows: its language, title, main heading, the labels of headings and buttons, and all visible
    /// text with the placeholder, title and aria-label attributes.
    /// </summary>
    private const string ProbeScript = """
        () => {
          const root = document.querySelector('.mud-main-content') || document.querySelector('main') || document.body;
          const heading = root.querySelector('h1, h2, h3, h4, h5');
          const labels = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, button, [role=button], [role=tab], a.mud-button-root, .mud-nav-link'))
            .filter(e => e.getClientRects().length > 0)
            .map(e => (e.innerText || '').trim())
            .filter(t => t.length > 0);
          const attributes = Array.from(document.querySelectorAll('[placeholder], [title], [aria-label]'))
            .flatMap(e => ['placeholder', 'title', 'aria-label'].map(a => e.getAttribute(a) || ''));
          return {
            lang: document.documentElement.lang,
            title: document.title,
            heading: heading ? heading.innerText.trim() : '',
            labels: labels,
            text: document.body.innerText + '\n' + attributes.join('\n'),
          };
        }
        """;

    private readonly Action<string> _log = LogLines.Timestamped(output.WriteLine);
    private readonly List<Finding> _findings = [];

    [Fact]
    public async Task EveryPage_OnAPhone_InChineseAndEnglish_LoadsFitsTheScreenAndIsTranslated()
    {
        await using var ws = new TestWorkspace("e2e-sweep", _log);
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: AppBinaries.Hub(requirePublished: true) with { AllowAppHost = false });
        var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1,
            binary: AppBinaries.Edge(requirePublished: true) with { AllowAppHost = false });
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();
            var staff = await OfficeWorkTests.CreateStaffAsync(hub, edge, "sweep", StaffName, SweepRoles);
            await SeedAsync(edge, staff);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var started = DateTime.UtcNow;
            // The three sweeps use different contexts and mostly different servers: run side by side.
            var swept = await Task.WhenAll(
                SweepOfficeAsync(browser, "hub", hub.BaseUrl, County.AdminUser, County.AdminPassword),
                SweepOfficeAsync(browser, "edge", edge.BaseUrl, staff.Username, staff.Password),
                SweepPortalAsync(browser, hub.BaseUrl));
            var (hubPages, edgePages, portalPages) = (swept[0].Discovered, swept[1].Discovered, swept[2].Discovered);
            _log($"swept {swept.Sum(s => s.Checked)} pages ({swept[0].Checked} hub, {swept[1].Checked} edge, {swept[2].Checked} portal) " +
                 $"in {Chinese} and {English} in {(DateTime.UtcNow - started).TotalSeconds:0} s: {_findings.Count} findings");

            // Discovery must have found the app's pages, or the sweep proves nothing.
            Assert.True(hubPages >= 12, $"only {hubPages} pages in the hub's drawer");
            Assert.True(edgePages >= 12, $"only {edgePages} pages in the edge's drawer");
            Assert.True(portalPages >= 8, $"only {portalPages} portal pages found from /portal");
            Assert.True(_findings.Count == 0,
                $"{_findings.Count} problems on the swept pages:\n" + string.Join('\n', _findings.Select(f => f.ToString())));
        });
    }

    /// <summary>
    /// Some rows, so list pages render tables and cards rather than only their empty states, and link to one record
    /// page of each kind (a document, a meeting, a notice, a ticket, a vehicle, a traceability batch).
    /// </summary>
    private static async Task SeedAsync(EdgeNode edge, OfficeWorkTests.Staff staff)
    {
        using var api = new NodeApiClient(edge.BaseUrl, (staff.Username, staff.Password));
        var room = await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/rooms", new { name = "三楼会议室", location = "镇政府办公楼三楼", capacity = 30 });
        var start = DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(1);
        await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/meetings", new
        {
            roomId = room.GetProperty("id").GetString(), title = "2026年冬春森林防火工作部署会", start = new DateTimeOffset(start, TimeSpan.Zero),
            end = new DateTimeOffset(start.AddHours(2), TimeSpan.Zero), agenda = "一、传达县防火指挥部会议精神；二、部署巡山护林工作", attendees = new[] { staff.Username },
        });
        await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/documents", new
        {
            title = "长顺县广顺镇人民政府关于做好冬季农村饮水安全保障工作的通知", docType = "通知", urgency = "加急",
            body = "各村（社区）：\n入冬以来，请做好供水管网巡查维护和应急供水准备。", recipients = new[] { "malu" },
        });
        await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/notices", new
        {
            kind = "notice", title = "关于开展冬季安全生产大检查的通知", body = "请各村于12月10日前完成自查。", units = new[] { "guangshun" },
        });
        await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/tickets", new
        {
            kind = "complaint", category = "urban", channel = "counter", township = "guangshun", description = "石板村村口路灯坏了三个月，请尽快修复。",
            address = "广顺镇石板村", name = "张三", phone = "13812345678",
        });
        var producer = await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/trace/producers",
            new { kind = "cooperative", name = "长顺县广顺镇绿壳鸡蛋养殖专业合作社", township = "guangshun", village = "新寨村", contact = "13800005678" });
        var product = await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/trace/products",
            new { producerId = producer.GetProperty("id").GetString(), name = "长顺绿壳鸡蛋", category = "禽蛋" });
        await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/trace/batches",
            new { productId = product.GetProperty("id").GetString(), producedOn = "2026-11-20", place = "广顺镇新寨村养殖基地", quantity = "3000", unit = "枚" });
        await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/vehicles", new { plate = "贵J·A1234", model = "五菱宏光", seats = 7, odometerKm = 52000 });
        await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/vehicles/drivers",
            new { username = staff.Username, name = StaffName, phone = "13800001111", licenseExpiry = "2030-12-31" });
    }

    /// <summary>
    /// Signs in on a phone, reads the drawer and the user menu, and checks each of their pages and one page of each kind
    /// they link to, in Chinese and then in English. Answers how many pages the drawer offered and how many were checked.
    /// </summary>
    private async Task<(int Discovered, int Checked)> SweepOfficeAsync(IBrowser browser, string site, string baseUrl, string username, string password)
    {
        await using var zh = await Browser.PhoneAsync(browser);
        var page = await zh.NewPageAsync();
        var problems = Browser.WatchProblems(page);
        await Browser.SignInAsync(page, baseUrl, "/", username, password, _log);
        var drawer = await Browser.DrawerLinksAsync(page);
        _log($"{site} drawer ({username}): {string.Join(' ', drawer)}");
        var account = await Browser.UserMenuLinksAsync(page);
        if (account.Count == 0) Add(new Finding(site, Chinese, "/", "the user menu links to no page", ""));
        // Then one page of each kind the drawer's pages link to (a vehicle, the meeting statistics, …).
        var paths = drawer.Concat(account.Except(drawer)).ToList();
        var shapes = new HashSet<string>(paths.Select(Shape), StringComparer.Ordinal);
        var direct = paths.Count;
        foreach (var path in paths.Take(direct).ToList())
        {
            await CheckPageAsync(page, problems, site, Chinese, baseUrl, path, interactive: true);
            // The public portal (linked from the portal editor) is swept on its own, without a circuit.
            foreach (var linked in (await LinkedPagesAsync(page, ".mud-main-content a[href^='/']")).Where(l => !IsPortal(l)))
            {
                if (shapes.Add(Shape(linked))) paths.Add(linked);
            }
        }
        _log($"{site} user menu: {string.Join(' ', account)}; linked pages: {string.Join(' ', paths.Skip(direct))}");
        foreach (var path in paths.Skip(direct)) await CheckPageAsync(page, problems, site, Chinese, baseUrl, path, interactive: true);

        await using var en = await Browser.PhoneAsync(browser, new BrowserNewContextOptions { StorageState = await zh.StorageStateAsync() });
        page = await en.NewPageAsync();
        problems = Browser.WatchProblems(page);
        await page.GotoAsync($"{baseUrl}/culture?c={English}&r=/");
        await Browser.WaitInteractiveAsync(page);
        var english = await Browser.DrawerLinksAsync(page);
        if (!english.SequenceEqual(drawer))
        {
            Add(new Finding(site, English, "/", $"the drawer differs from the Chinese one: {string.Join(' ', english)}", ""));
        }
        foreach (var path in paths) await CheckPageAsync(page, problems, site, English, baseUrl, path, interactive: true);
        return (drawer.Count, paths.Count);
    }

    /// <summary>
    /// The portal from /portal: its sections and, for each kind of page linked from them (a service, a notice, …),
    /// one example; the staff sign-in page it links to as well. All server-rendered, no login.
    /// </summary>
    private async Task<(int Discovered, int Checked)> SweepPortalAsync(IBrowser browser, string baseUrl)
    {
        await using var zh = await Browser.PhoneAsync(browser);
        var page = await zh.NewPageAsync();
        var problems = Browser.WatchProblems(page);
        var paths = new List<string>();
        var shapes = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue("/portal");
        shapes.Add(Shape("/portal"));
        while (queue.TryDequeue(out var path))
        {
            paths.Add(path);
            await CheckPageAsync(page, problems, "portal", Chinese, baseUrl, path, interactive: false);
            if (!path.StartsWith("/portal", StringComparison.Ordinal)) continue;
            foreach (var linked in await LinkedPagesAsync(page, "a[href^='/']"))
            {
                if (shapes.Add(Shape(linked))) queue.Enqueue(linked);
            }
        }
        _log($"portal pages: {string.Join(' ', paths)}");

        await using var en = await Browser.PhoneAsync(browser);
        page = await en.NewPageAsync();
        problems = Browser.WatchProblems(page);
        await page.GotoAsync($"{baseUrl}/culture?c={English}&r=/portal");
        foreach (var path in paths) await CheckPageAsync(page, problems, "portal", English, baseUrl, path, interactive: false);
        return (paths.Count, paths.Count);
    }

    /// <summary>
    /// The local pages a page links to (without query or fragment): not the language switch, the sign-out or files
    /// served by the API (exports, PDFs, QR codes).
    /// </summary>
    private static async Task<IEnumerable<string>> LinkedPagesAsync(IPage page, string selector)
    {
        var hrefs = await page.Locator(selector).EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href') || '')");
        return hrefs.Select(h => h.Split('?', '#')[0])
            .Where(h => h.StartsWith('/') && !h.StartsWith("//", StringComparison.Ordinal)
                        && !h.StartsWith("/culture", StringComparison.Ordinal) && !h.StartsWith("/api/", StringComparison.Ordinal)
                        && !h.StartsWith("/account/logout", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
    }

    private static bool IsPortal(string path) => path == "/portal" || path.StartsWith("/portal/", StringComparison.Ordinal);

    /// <summary>A page's kind: its path with each record id as "*" (one vehicle or service stands for all).</summary>
    private static string Shape(string path) =>
        "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => IsRecordId(s) ? "*" : s));

    /// <summary>A path segment naming a record: a UUID or a code with digits (a batch's short code).</summary>
    private static bool IsRecordId(string segment) => Guid.TryParse(segment, out _) || (segment.Length >= 6 && segment.Any(char.IsAsciiDigit));

    /// <summary>Loads one page and records everything wrong with it.</summary>
    private async Task CheckPageAsync(IPage page, List<string> problems, string site, string lang, string baseUrl, string path, bool interactive)
    {
        var found = new List<string>();
        int seen;
        lock (problems) seen = problems.Count;
        IResponse? response = null;
        try
        {
            response = await page.GotoAsync(baseUrl + path);
        }
        catch (PlaywrightException ex)
        {
            found.Add("did not load: " + FirstLine(ex.Message));
        }
        if (response is { Status: >= 400 }) found.Add($"HTTP {response.Status}");
        var landed = new Uri(page.Url).AbsolutePath;
        if (landed.TrimEnd('/') != path.TrimEnd('/')) found.Add($"landed on {landed}");

        // The OpenAPI reference in the drawer is the Scalar page, not one of ours: it must load, nothing more.
        var ours = !path.StartsWith("/api/", StringComparison.Ordinal);
        if (ours && found.Count == 0)
        {
            if (interactive)
            {
                try
                {
                    await Browser.WaitInteractiveAsync(page);
                }
                catch (PlaywrightException ex)
                {
                    found.Add("never interactive: " + FirstLine(ex.Message));
                }
            }
            found.AddRange(await ContentProblemsAsync(page, lang, titledByData: Shape(path).Contains('*', StringComparison.Ordinal)));
            if (await Browser.PhoneOverflowAsync(page) is { } overflow) found.Add(overflow);
        }

        lock (problems)
        {
            found.AddRange(problems.Skip(seen)
                .Where(p => p.StartsWith("pageerror", StringComparison.Ordinal)
                            || p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                            || p.StartsWith("console error", StringComparison.Ordinal))
                .Select(p => FirstLine(p)));
        }
        if (found.Count == 0)
        {
            _log($"ok {site} {lang} {path}");
            return;
        }
        var shot = await Browser.ScreenshotAsync(page, $"sweep-{site}-{lang}-{Regex.Replace(path, "[^A-Za-z0-9]+", "_").Trim('_')}");
        foreach (var problem in found.Distinct(StringComparer.Ordinal)) Add(new Finding(site, lang, path, problem, shot));
    }

    /// <summary>
    /// Language, headings, button labels and resource keys on the loaded page. A record's page is titled with the
    /// record (a service's or a vehicle's name): its main heading is data, not checked for English.
    /// </summary>
    private static async Task<List<string>> ContentProblemsAsync(IPage page, string lang, bool titledByData)
    {
        var found = new List<string>();
        var probe = await page.EvaluateAsync<JsonElement>(ProbeScript);
        var htmlLang = probe.GetProperty("lang").GetString() ?? "";
        var title = probe.GetProperty("title").GetString() ?? "";
        var heading = probe.GetProperty("heading").GetString() ?? "";
        var labels = probe.GetProperty("labels").EnumerateArray().Select(l => l.GetString() ?? "").ToList();
        var text = probe.GetProperty("text").GetString() ?? "";

        if (ErrorTitles.Contains(title, StringComparer.Ordinal)) found.Add($"shows the error page \"{title}\"");
        if (lang == Chinese ? htmlLang != Chinese : !htmlLang.StartsWith(English, StringComparison.Ordinal)) found.Add($"<html lang=\"{htmlLang}\">");
        if (heading.Length == 0) found.Add("no main heading");
        else if (lang == Chinese && !Han().IsMatch(heading)) found.Add($"main heading not in Chinese: \"{heading}\"");
        if (lang == English)
        {
            var chinese = labels.Where(l => !(titledByData && l == heading)).Select(l => (Label: l, Other: DataNames.Aggregate(l, (s, name) => s.Replace(name, "", StringComparison.Ordinal))))
                .Where(x => Han().IsMatch(x.Other))
                .Select(x => x.Label.ReplaceLineEndings(" "))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (chinese.Count > 0) found.Add("Chinese in English headings/buttons: " + string.Join(" | ", chinese.Take(8).Select(c => $"\"{c}\"")));
        }
        var keys = ResourceKey().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count > 0) found.Add("untranslated resource keys: " + string.Join(", ", keys.Take(10)));
        return found;
    }

    private void Add(Finding finding)
    {
        lock (_findings) _findings.Add(finding);
        _log("FINDING " + finding);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>Chinese characters (CJK unified ideographs and extension A).</summary>
    [GeneratedRegex(@"[\u3400-\u4dbf\u4e00-\u9fff]")]
    private static partial Regex Han();

    /// <summary>A resource key as the .resx files name them (Module_Thing, Sup_Col_Lag, Urg_normal): prefix, underscore, rest.</summary>
    [GeneratedRegex(@"\b[A-Z][A-Za-z]+_[A-Za-z0-9_]+\b")]
    private static partial Regex ResourceKey();

    private sealed record Finding(string Site, string Lang, string Path, string Problem, string Screenshot)
    {
        public override string ToString() => $"[{Site} {Lang}] {Path}: {Problem}{(Screenshot.Length > 0 ? $" ({Screenshot})" : "")}";
    }
}
