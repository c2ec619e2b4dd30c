using System.Net.Http.Json;
using System.Text.Json;
using EGovEdge.E2E.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EGovEdge.E2E;

/// <summary>
/// A township's office day in real Chromium against the published hub and edge: a clerk and a leader take one document
/// from draft to sealed and dispatched; staff book a meeting room and a vehicle.
/// </summary>
public sealed class OfficeWorkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(60);

    private readonly Action<string> _log = LogLines.Timestamped(output.WriteLine);

    [Fact]
    public async Task ClerkAndLeader_TakeADocumentFromDraftToSealedAndDispatched()
    {
        await using var ws = new TestWorkspace("e2e-office", _log);
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: AppBinaries.Hub(requirePublished: true) with { AllowAppHost = false });
        var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1,
            binary: AppBinaries.Edge(requirePublished: true) with { AllowAppHost = false });
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();
            var clerk = await CreateStaffAsync(hub, edge, "clerk", "王芳", ["clerk", "seal_admin"]);
            var leader = await CreateStaffAsync(hub, edge, "leader", "李建国", ["leader"]);
            var sealId = await IssueSealAsync(hub, edge, clerk);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            await using var clerkContext = await Browser.DesktopAsync(browser);
            await using var leaderContext = await Browser.DesktopAsync(browser);
            var page = await clerkContext.NewPageAsync();
            var problems = Browser.WatchProblems(page);
            try
            {
                var title = $"长顺县广顺镇人民政府关于做好冬季农村饮水安全保障工作的通知（{Guid.NewGuid().ToString("N")[..6]}）";
                await Browser.SignInAsync(page, edge.BaseUrl, "/documents/new", clerk.Username, clerk.Password, _log);
                await Browser.PickAsync(page, "doc-type", "通知", _log);
                await Browser.PickAsync(page, "doc-urgency", "加急", _log);
                await Browser.PickAsync(page, "doc-recipients", "马路乡", _log, closeAfter: true);
                await page.Locator("#doc-title").FillAsync(title);
                await page.Locator("#doc-body").FillAsync("马路乡人民政府：\n入冬以来，部分村寨供水管网受冻风险加大，请做好巡查维护和应急供水准备。\n特此通知。");
                await page.Locator("#doc-body").PressAsync("Tab");
                await page.GetByTestId("save-document").ClickAsync();
                var link = page.GetByTestId("document-link").Filter(new() { HasText = title });
                await Expect(link).ToBeVisibleAsync();
                var href = await link.GetAttributeAsync("href") ?? "";
                var id = href[(href.LastIndexOf('/') + 1)..];
                Assert.True(Guid.TryParse(id, out _), $"document link {href}");

                // 拟稿 → 核稿 by the clerk (办公室).
                await Browser.OpenAsync(page, $"{edge.BaseUrl}/documents/{id}");
                await StepAsync(page, "wf-submit-review", "InReview");
                await StepAsync(page, "wf-approve-review", "AwaitingSignOff");

                // 签发 by the leader, with an opinion; the sign-off date becomes 成文日期.
                var leaderPage = await leaderContext.NewPageAsync();
                await Browser.SignInAsync(leaderPage, edge.BaseUrl, $"/documents/{id}", leader.Username, leader.Password, _log);
                await leaderPage.Locator("#wf-opinion").FillAsync("同意印发。");
                await StepAsync(leaderPage, "wf-signoff", "Signed");
                await Expect(leaderPage.GetByTestId("wf-datewritten")).ToContainTextAsync("年");
                await Expect(leaderPage.GetByTestId("wf-step").Filter(new() { HasText = "签发" })).ToBeVisibleAsync();

                // 复核 → 登记 (number) → 印制 (PDF) → 用印 → 核发 by the clerk.
                await page.ReloadAsync();
                await Browser.WaitInteractiveAsync(page);
                await StepAsync(page, "wf-recheck", "ReChecked");
                await StepAsync(page, "wf-register", "Registered");
                var number = await page.GetByTestId("wf-docnumber").InnerTextAsync();
                Assert.Matches(@"〔\d{4}〕[1-9]\d*号", number);
                await StepAsync(page, "wf-print", "Printed");
                await Expect(page.GetByTestId("wf-pdf")).ToBeVisibleAsync();
                await StepAsync(page, "wf-seal", "Sealed");
                await Expect(page.GetByTestId("wf-seal-status")).ToHaveAttributeAsync("data-valid", "true");
                await StepAsync(page, "wf-dispatch", "Dispatched");
                await Expect(page.GetByTestId("wf-recipient-state").And(page.Locator("[data-code=malu]"))).ToBeVisibleAsync();
                _log($"dispatched {number}");

                // The PDF the clerk would download is a PDF.
                using var asClerk = new NodeApiClient(edge.BaseUrl, (clerk.Username, clerk.Password));
                var files = await GetJsonAsync(asClerk, $"api/documents/{id}/files");
                Assert.Contains(files.EnumerateArray(), f => f.GetProperty("kind").GetString() == "pdf");

                // The county sees it dispatched and sealed, and the seal verifies there.
                var atHub = await Poll.WaitForAsync(() => GetJsonAsync(hub.Api, $"api/documents/{id}/workflow"),
                    v => v.GetProperty("state").GetString() == "Dispatched" && v.GetProperty("seal").GetProperty("sealed").GetBoolean(),
                    SyncTimeout, "the sealed document at the hub");
                Assert.True(atHub.GetProperty("seal").GetProperty("valid").GetBoolean(), atHub.GetProperty("seal").ToString());
                Assert.Equal(sealId, (await GetJsonAsync(hub.Api, $"api/seals/uses?documentId={id}")).EnumerateArray().Single().GetProperty("sealId").GetString());

                // On a phone the document page fits the screen.
                await using var phone = await Browser.PhoneAsync(browser, new BrowserNewContextOptions { StorageState = await clerkContext.StorageStateAsync() });
                var mobile = await phone.NewPageAsync();
                await Browser.OpenAsync(mobile, $"{edge.BaseUrl}/documents/{id}");
                await Expect(mobile.GetByTestId("wf-state")).ToHaveAttributeAsync("data-state", "Dispatched");
                await Browser.AssertFitsPhoneAsync(mobile, "document-phone-390x844", _log);
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

    [Fact]
    public async Task Clerk_BooksAMeetingRoom_AndAClashingBookingIsRefused()
    {
        await using var ws = new TestWorkspace("e2e-meeting", _log);
        var (hub, edge) = AddNodes(ws);
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();
            var clerk = await CreateStaffAsync(hub, edge, "clerk", "王芳", ["clerk"]);
            using var api = new NodeApiClient(edge.BaseUrl, (clerk.Username, clerk.Password));
            var room = await SendJsonAsync(api, HttpMethod.Post, "api/rooms", new { name = "三楼会议室", location = "镇政府办公楼三楼", capacity = 30 });
            var roomId = room.GetProperty("id").GetString()!;

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            await using var context = await Browser.DesktopAsync(browser);
            var page = await context.NewPageAsync();
            var problems = Browser.WatchProblems(page);
            try
            {
                var day = ChinaNow().Date.AddDays(7);
                var (start, end) = (day.AddHours(9), day.AddHours(11));
                await Browser.SignInAsync(page, edge.BaseUrl, "/meetings/new", clerk.Username, clerk.Password, _log);
                await FillMeetingAsync(page, roomId, "2026年冬春森林防火工作部署会", start, end);
                await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/meetings/[0-9a-f-]{36}$"));
                // The room belongs to this node: the booking is confirmed at once, atomically with the clash check.
                await Expect(page.GetByTestId("mtg-status")).ToHaveTextAsync("已确认");
                var meetingId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
                _log($"meeting {meetingId} confirmed");

                // Another booking overlapping it in the same room is refused with the reason, and nothing is stored.
                await Browser.OpenAsync(page, edge.BaseUrl + "/meetings/new");
                await FillMeetingAsync(page, roomId, "乡村振兴工作推进会", start.AddHours(1), end.AddHours(1), expectNavigation: false);
                await Expect(page.GetByText("已被占用").First).ToBeVisibleAsync();
                Assert.EndsWith("/meetings/new", page.Url, StringComparison.Ordinal);
                var meetings = await GetJsonAsync(api, "api/meetings");
                Assert.Single(meetings.EnumerateArray(), m => m.GetProperty("roomId").GetString() == roomId);

                // The county sees the booking once the edge has synced.
                await Poll.WaitUntilAsync(() => hub.Db.Long("SELECT COUNT(*) FROM mtg_meetings WHERE id = @id", ("@id", meetingId)) == 1,
                    SyncTimeout, "the meeting at the hub");

                await using var phone = await Browser.PhoneAsync(browser, new BrowserNewContextOptions { StorageState = await context.StorageStateAsync() });
                var mobile = await phone.NewPageAsync();
                await Browser.OpenAsync(mobile, $"{edge.BaseUrl}/meetings/{meetingId}");
                await Expect(mobile.GetByTestId("mtg-status")).ToHaveTextAsync("已确认");
                await Browser.AssertFitsPhoneAsync(mobile, "meeting-phone-390x844", _log);
                Browser.AssertNoSeriousProblems(problems, _log);
            }
            catch
            {
                _log("screenshot on failure: " + await Browser.ScreenshotAsync(page, Browser.FailureName()));
                throw;
            }
        });
    }

    [Fact]
    public async Task Clerk_RequestsAVehicle_DispatcherApproves_DriverReportsTheTripFromAPhone()
    {
        await using var ws = new TestWorkspace("e2e-vehicle", _log);
        var (hub, edge) = AddNodes(ws);
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();
            var clerk = await CreateStaffAsync(hub, edge, "clerk", "王芳", ["clerk"]);
            var driver = await CreateStaffAsync(hub, edge, "driver", "张师傅", ["driver"]);
            using var api = new NodeApiClient(edge.BaseUrl, (clerk.Username, clerk.Password));
            var vehicle = await SendJsonAsync(api, HttpMethod.Post, "api/vehicles", new { plate = "贵J·A1234", model = "五菱宏光", seats = 7, odometerKm = 52000 });
            var vehicleId = vehicle.GetProperty("id").GetString()!;
            await SendJsonAsync(api, HttpMethod.Post, "api/vehicles/drivers", new { username = driver.Username, name = "张师傅", phone = "13800001111", licenseExpiry = "2030-12-31" });

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            await using var context = await Browser.DesktopAsync(browser);
            var page = await context.NewPageAsync();
            var problems = Browser.WatchProblems(page);
            try
            {
                var day = ChinaNow().Date.AddDays(3);
                await Browser.SignInAsync(page, edge.BaseUrl, "/vehicles/book", clerk.Username, clerk.Password, _log);
                const string Purpose = "到马路乡检查交界区域森林防火联防工作";
                var mine = page.GetByTestId("veh-my-purpose").Filter(new() { HasText = Purpose });
                await RetryUntilAsync(page, async () =>
                {
                    await page.GetByTestId("veh-vehicle").SelectOptionAsync(vehicleId);
                    await page.Locator("#veh-purpose").FillAsync(Purpose);
                    await page.Locator("#veh-start").FillAsync(Local(day.AddHours(8)));
                    await page.Locator("#veh-end").FillAsync(Local(day.AddHours(17)));
                    await page.Locator("#veh-end").PressAsync("Tab");
                    await page.GetByTestId("veh-request").ClickAsync();
                }, async () => await mine.CountAsync() > 0, "the vehicle request");
                var row = page.GetByTestId("veh-my-table").Locator("tr").Filter(new() { HasText = Purpose });
                await Expect(row.GetByTestId("veh-my-status")).ToHaveTextAsync("待确认");

                // The clerk (办公室) approves it with a driver: checked for clashes at this, the vehicle's own, node.
                var pending = page.GetByTestId("veh-pending-table").Locator("tr").Filter(new() { HasText = Purpose });
                await pending.GetByTestId("veh-driver").SelectOptionAsync(driver.Username);
                await pending.GetByTestId("veh-approve").ClickAsync();
                await Expect(row.GetByTestId("veh-my-status")).ToHaveTextAsync("已确认");
                _log("vehicle request approved");

                // The driver reports the trip from a phone: start and finish with the odometer.
                await using var phoneContext = await Browser.PhoneAsync(browser);
                var phone = await phoneContext.NewPageAsync();
                await Browser.SignInAsync(phone, edge.BaseUrl, "/vehicles/trips", driver.Username, driver.Password, _log);
                var trip = phone.GetByTestId("veh-trip").Filter(new() { HasText = Purpose });
                await Expect(trip).ToBeVisibleAsync();
                await RetryUntilAsync(phone, async () =>
                {
                    await trip.Locator("input").First.FillAsync("52010");
                    await trip.GetByTestId("veh-trip-start").ClickAsync();
                }, async () => await trip.GetByTestId("veh-trip-finish").CountAsync() > 0, "trip start");
                await trip.Locator("input").First.FillAsync("52096");
                await trip.GetByTestId("veh-trip-finish").ClickAsync();
                await Expect(trip.GetByTestId("veh-trip-finish")).ToHaveCountAsync(0);
                await Browser.AssertFitsPhoneAsync(phone, "driver-phone-390x844", _log);

                var board = await GetJsonAsync(api, $"api/vehicles/{vehicleId}");
                _log($"vehicle after the trip: {board}");
                Assert.Contains("52096", board.ToString(), StringComparison.Ordinal);
                Browser.AssertNoSeriousProblems(problems, _log);
            }
            catch
            {
                _log("screenshot on failure: " + await Browser.ScreenshotAsync(page, Browser.FailureName()));
                throw;
            }
        });
    }

    private static (HubNode Hub, EdgeNode Edge) AddNodes(TestWorkspace ws)
    {
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: AppBinaries.Hub(requirePublished: true) with { AllowAppHost = false });
        var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1,
            binary: AppBinaries.Edge(requirePublished: true) with { AllowAppHost = false });
        return (hub, edge);
    }

    /// <summary>Fills and submits the booking form, again while the circuit was still connecting (the inputs were reset).</summary>
    private async Task FillMeetingAsync(IPage page, string roomId, string title, DateTime start, DateTime end, bool expectNavigation = true)
    {
        await RetryUntilAsync(page, async () =>
        {
            await page.GetByTestId("mtg-room").SelectOptionAsync(roomId);
            await page.Locator("#mtg-title").FillAsync(title);
            await page.Locator("#mtg-start").FillAsync(Local(start));
            await page.Locator("#mtg-end").FillAsync(Local(end));
            await page.Locator("#mtg-end").PressAsync("Tab");
            await page.GetByTestId("mtg-book").ClickAsync();
        }, async () => expectNavigation ? !page.Url.EndsWith("/meetings/new", StringComparison.Ordinal)
            : await page.GetByText("已被占用").CountAsync() > 0, "the meeting booking");
    }

    /// <summary>Repeats <paramref name="act"/> until <paramref name="done"/> (input typed before the circuit connects is lost).</summary>
    private async Task RetryUntilAsync(IPage page, Func<Task> act, Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Browser.UiTimeout;
        for (var attempt = 1; ; attempt++)
        {
            await act();
            for (var i = 0; i < 15; i++)
            {
                if (await done())
                {
                    if (attempt > 1) _log($"{what}: took {attempt} attempts (circuit was still connecting)");
                    return;
                }
                await page.WaitForTimeoutAsync(200);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: no effect within {Browser.UiTimeout.TotalSeconds:0} s");
        }
    }

    private static DateTime ChinaNow() => DateTime.UtcNow.AddHours(8);

    private static string Local(DateTime chinaTime) => chinaTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Clicks a workflow button (retrying while the circuit connects) until the document reaches <paramref name="state"/>.</summary>
    private async Task StepAsync(IPage page, string testId, string state)
    {
        var badge = page.GetByTestId("wf-state");
        await Browser.ClickUntilAsync(page, page.GetByTestId(testId),
            async () => await badge.GetAttributeAsync("data-state") == state, $"{testId} → {state}");
        _log($"{testId} → {state}");
    }

    internal sealed record Staff(string Username, string Password);

    /// <summary>A township account made at the hub, waited for until the edge has it (it signs in there offline too).</summary>
    internal static async Task<Staff> CreateStaffAsync(HubNode hub, EdgeNode edge, string prefix, string name, string[] roles)
    {
        var username = $"{prefix}_{Guid.NewGuid().ToString("N")[..6]}";
        var password = "Pw-" + Guid.NewGuid().ToString("N")[..10] + "-7q";
        await hub.Api.CreateUserAsync(new NewUser(username, name, edge.Name, roles, password));
        await Poll.WaitUntilAsync(() => edge.Db.Long("SELECT COUNT(*) FROM users WHERE username = @u AND deleted = 0", ("@u", username)) == 1,
            SyncTimeout, $"account {username} at {edge.Name}");
        return new Staff(username, password);
    }

    /// <summary>The township's seal: requested at the township (its key stays there), issued by the county, back at the township.</summary>
    private static async Task<string> IssueSealAsync(HubNode hub, EdgeNode edge, Staff sealAdmin)
    {
        using var api = new NodeApiClient(edge.BaseUrl, (sealAdmin.Username, sealAdmin.Password));
        var requested = await SendJsonAsync(api, HttpMethod.Post, "api/seals", new { name = "广顺镇人民政府公章", signer = sealAdmin.Username });
        var id = requested.GetProperty("id").GetString()!;
        await Poll.WaitUntilAsync(() => hub.Db.Long("SELECT COUNT(*) FROM seals WHERE id = @id", ("@id", id)) == 1, SyncTimeout, "seal request at the hub");
        await SendJsonAsync(hub.Api, HttpMethod.Post, $"api/seals/{id}/issue", null);
        await Poll.WaitUntilAsync(() => edge.Db.Long("SELECT COUNT(*) FROM seals WHERE id = @id AND status = 'issued'", ("@id", id)) == 1,
            SyncTimeout, "issued seal at the township");
        return id;
    }

    internal static Task<JsonElement> GetJsonAsync(NodeApiClient api, string path) => SendJsonAsync(api, HttpMethod.Get, path, null);

    internal static async Task<JsonElement> SendJsonAsync(NodeApiClient api, HttpMethod method, string path, object? body)
    {
        var answer = await api.SendAsync<object>(method, path, body is null ? null : () => JsonContent.Create(body));
        Assert.True(answer.IsSuccess, $"{method} {path}: {answer}");
        using var json = JsonDocument.Parse(answer.Body);
        return json.RootElement.Clone();
    }
}
