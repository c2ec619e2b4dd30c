using System.Text.Json;
using System.Text.RegularExpressions;
using EGovEdge.E2E.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EGovEdge.E2E;

/// <summary>
/// Residents on the county's public portal in real Chromium, with no account: browsing the service catalogue on a phone,
/// subscribing to rural broadcasts with the code the SMS gateway sent, and more to come per section.
/// </summary>
public sealed partial class PortalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SmsTimeout = TimeSpan.FromSeconds(45);

    private readonly Action<string> _log = LogLines.Timestamped(output.WriteLine);

    [Fact]
    public async Task Resident_BrowsesServicesOnAPhone_AndSubscribesWithTheCodeFromTheSms()
    {
        await using var ws = new TestWorkspace("e2e-portal", _log);
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: AppBinaries.Hub(requirePublished: true) with { AllowAppHost = false });
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            await using var phone = await Browser.PhoneAsync(browser);
            var page = await phone.NewPageAsync();
            var problems = Browser.WatchProblems(page);
            try
            {
                // No login: the portal, its catalogue and a service's procedure, time limits and materials.
                await page.GotoAsync(hub.BaseUrl + "/portal");
                await Expect(page.GetByTestId("portal-brand")).ToContainTextAsync("长顺县");
                Assert.DoesNotContain("/login", page.Url, StringComparison.Ordinal);
                await Browser.AssertFitsPhoneAsync(page, "portal-home-phone", _log);
                await page.GetByTestId("portal-tile-services").ClickAsync();
                await Expect(page.GetByTestId("service-item").First).ToBeVisibleAsync();
                var services = await page.GetByTestId("service-item").CountAsync();
                Assert.True(services >= 5, $"only {services} services in the catalogue");
                await page.GetByTestId("service-link").First.ClickAsync();
                await Expect(page.GetByTestId("service-legal")).ToBeVisibleAsync();
                await Expect(page.GetByTestId("service-promised")).ToBeVisibleAsync();
                await Expect(page.GetByTestId("service-materials")).ToBeVisibleAsync();
                await Browser.AssertFitsPhoneAsync(page, "portal-service-phone", _log);

                // Subscribing to weather warnings for 广顺镇: the code comes by SMS (the default gateway's log file).
                const string Phone = "13900002222";
                await page.GotoAsync(hub.BaseUrl + "/portal/subscribe");
                await page.Locator("#sub-phone").FillAsync(Phone);
                await page.Locator("#sub-township").SelectOptionAsync("guangshun");
                await page.Locator("#sub-village").FillAsync("新寨村");
                await page.GetByTestId("topic-weather").CheckAsync();
                await page.GetByTestId("subscribe-submit").ClickAsync();
                await Expect(page.GetByTestId("confirm-form")).ToBeVisibleAsync();
                var code = await SmsCodeAsync(hub, Phone);
                _log($"code {code} read from the hub's SMS log");
                await page.Locator("#sub-code").FillAsync(code);
                await page.GetByTestId("confirm-submit").ClickAsync();
                await Expect(page.GetByTestId("subscribe-result")).ToBeVisibleAsync();
                Assert.Equal(1, hub.Db.Long("SELECT COUNT(*) FROM broadcast_subscribers WHERE phone = @p AND status = 'active' AND deleted = 0", ("@p", Phone)));
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
    public async Task BatchRegisteredAtATownshipOffline_IsFoundByItsQrAddressOnThePortalAfterSync()
    {
        await using var ws = new TestWorkspace("e2e-trace", _log);
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: AppBinaries.Hub(requirePublished: true) with { AllowAppHost = false });
        var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1,
            binary: AppBinaries.Edge(requirePublished: true) with { AllowAppHost = false });
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();
            var clerk = await OfficeWorkTests.CreateStaffAsync(hub, edge, "clerk", "王芳", ["clerk"]);
            hub.Kill();
            _log("hub down: the township registers the batch offline");

            using var api = new NodeApiClient(edge.BaseUrl, (clerk.Username, clerk.Password));
            var producer = await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/trace/producers",
                new { kind = "cooperative", name = "长顺县广顺镇绿壳鸡蛋养殖专业合作社", township = "guangshun", village = "新寨村", contact = "13800005678" });
            var product = await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/trace/products",
                new { producerId = producer.GetProperty("id").GetString(), name = "长顺绿壳鸡蛋", category = "禽蛋" });
            var batch = await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, "api/trace/batches",
                new { productId = product.GetProperty("id").GetString(), producedOn = "2026-11-20", place = "广顺镇新寨村养殖基地", quantity = "3000", unit = "枚" });
            var batchId = batch.GetProperty("id").GetString()!;
            var shortCode = batch.GetProperty("shortCode").GetString()!;
            await OfficeWorkTests.SendJsonAsync(api, HttpMethod.Post, $"api/trace/batches/{batchId}/inspections",
                new { inspectedOn = "2026-11-21", agency = "长顺县农产品质量安全检测站", items = "兽药残留、沙门氏菌", result = "pass", reportNo = "CSJC-2026-1121" });
            // The QR label encodes the public address of the batch.
            var qr = await api.SendAsync<object>(HttpMethod.Get, $"api/trace/batches/{batchId}/qr.svg", null);
            Assert.True(qr.IsSuccess && qr.Body.Contains("<svg", StringComparison.Ordinal), $"QR: {qr}");

            await hub.StartAsync();
            await Poll.WaitUntilAsync(() => hub.Db.Long("SELECT COUNT(*) FROM trace_inspections WHERE deleted = 0") >= 1,
                TimeSpan.FromSeconds(60), "the batch and its inspection at the hub");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            await using var phone = await Browser.PhoneAsync(browser);
            var page = await phone.NewPageAsync();
            var problems = Browser.WatchProblems(page);
            try
            {
                // A buyer types the short code printed under the QR code (lower case is fine).
                await page.GotoAsync(hub.BaseUrl + "/portal/trace");
                await page.GetByTestId("trace-code-input").FillAsync(shortCode.ToLowerInvariant());
                await page.GetByTestId("trace-lookup-submit").ClickAsync();
                await Expect(page.GetByTestId("trace-result")).ToBeVisibleAsync();
                Assert.EndsWith("/portal/trace/" + shortCode, page.Url, StringComparison.Ordinal);
                await Expect(page.GetByTestId("trace-product")).ToContainTextAsync("长顺绿壳鸡蛋");
                await Expect(page.GetByTestId("trace-producer")).ToContainTextAsync("绿壳鸡蛋养殖专业合作社");
                await Expect(page.GetByTestId("trace-inspection")).ToContainTextAsync("长顺县农产品质量安全检测站");
                await Expect(page.GetByTestId("trace-contact")).Not.ToContainTextAsync("13800005678"); // masked for the public
                await Browser.AssertFitsPhoneAsync(page, "trace-phone", _log);

                // An unknown code says so.
                await page.GotoAsync(hub.BaseUrl + "/portal/trace/ZZZZZZZZ");
                await Expect(page.GetByTestId("trace-notfound")).ToBeVisibleAsync();
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
    public async Task ResidentComplains_TownshipHandlesItOffline_ResidentTracksAndRates_OutcomePublishedWithoutPersonalData()
    {
        await using var ws = new TestWorkspace("e2e-complaint", _log);
        var hub = ws.AddHub([County.Guangshun, County.Malu], binary: AppBinaries.Hub(requirePublished: true) with { AllowAppHost = false });
        var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key, syncIntervalSeconds: 1,
            binary: AppBinaries.Edge(requirePublished: true) with { AllowAppHost = false });
        await ws.RunAsync(async () =>
        {
            await hub.StartAsync();
            await edge.StartAsync();
            var clerk = await OfficeWorkTests.CreateStaffAsync(hub, edge, "clerk", "王芳", ["clerk"]);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            await using var phone = await Browser.PhoneAsync(browser);
            var page = await phone.NewPageAsync();
            var problems = Browser.WatchProblems(page);
            try
            {
                // A resident reports a broken street light from a phone, with a photo.
                const string ResidentPhone = "13812345678";
                await page.GotoAsync(hub.BaseUrl + "/portal/complaints");
                await page.GetByTestId("complaint-kind").SelectOptionAsync("complaint");
                await page.GetByTestId("complaint-township").SelectOptionAsync("guangshun");
                await page.GetByTestId("complaint-description").FillAsync($"石板村村口路灯坏了三个月，晚上看不见路，请尽快修复。联系电话{ResidentPhone}。");
                await page.GetByTestId("complaint-address").FillAsync("广顺镇石板村3组12号");
                await page.GetByTestId("complaint-name").FillAsync("张三丰");
                await page.GetByTestId("complaint-phone").FillAsync(ResidentPhone);
                await page.GetByTestId("complaint-public").CheckAsync();
                await page.GetByTestId("complaint-photo").SetInputFilesAsync(new FilePayload { Name = "路灯.png", MimeType = "image/png", Buffer = TinyPng });
                await Browser.AssertFitsPhoneAsync(page, "complaint-phone", _log);
                await page.GetByTestId("complaint-submit").ClickAsync();
                await Expect(page.GetByTestId("complaint-result")).ToBeVisibleAsync();
                var number = (await page.GetByTestId("complaint-number").InnerTextAsync()).Trim();
                var code = (await page.GetByTestId("complaint-code").InnerTextAsync()).Trim();
                _log($"ticket {number}, query code {code}");

                // The county dispatches it to 广顺镇.
                var found = await OfficeWorkTests.GetJsonAsync(hub.Api, "api/tickets?q=" + Uri.EscapeDataString(number));
                var id = found.EnumerateArray().Single().GetProperty("id").GetString()!;
                await OfficeWorkTests.SendJsonAsync(hub.Api, HttpMethod.Post, $"api/tickets/{id}/actions",
                    new { action = "dispatch", toUnit = "guangshun", opinion = "请核实处理" });
                await Poll.WaitUntilAsync(() => edge.Db.Long("SELECT COUNT(*) FROM tickets WHERE id = @id", ("@id", id)) == 1,
                    TimeSpan.FromSeconds(60), "the dispatched ticket at 广顺镇");

                // The township works offline: signs for it and replies.
                hub.Kill();
                using var atTownship = new NodeApiClient(edge.BaseUrl, (clerk.Username, clerk.Password));
                await OfficeWorkTests.SendJsonAsync(atTownship, HttpMethod.Post, $"api/tickets/{id}/actions", new { action = "sign" });
                await OfficeWorkTests.SendJsonAsync(atTownship, HttpMethod.Post, $"api/tickets/{id}/actions", new
                {
                    action = "reply",
                    reply = "经核实，已于当日更换石板村村口路灯3盏，恢复夜间照明。",
                    reasonCode = "resolved",
                    responsibleBody = "广顺镇村镇建设服务中心",
                });
                await hub.StartAsync();
                await Poll.WaitUntilAsync(async () =>
                        (await OfficeWorkTests.GetJsonAsync(hub.Api, $"api/tickets/{id}")).GetProperty("state").GetString() == "Replied",
                    TimeSpan.FromSeconds(60), "the township's reply at the hub");

                // The resident follows the case with the number and query code, reads the reply and rates it.
                await page.GotoAsync(hub.BaseUrl + "/portal/track");
                await page.GetByTestId("track-number").FillAsync(number);
                await page.GetByTestId("track-code").FillAsync(code);
                await page.GetByTestId("track-submit").ClickAsync();
                await Expect(page.GetByTestId("track-state")).ToHaveAttributeAsync("data-state", "Replied");
                await Expect(page.GetByTestId("track-reply")).ToContainTextAsync("更换石板村村口路灯");
                await page.GetByTestId("rate-satisfied").ClickAsync();
                await Expect(page.GetByTestId("rate-done")).ToBeVisibleAsync();

                // A wrong code shows nothing of the case.
                await page.GotoAsync(hub.BaseUrl + "/portal/track");
                await page.GetByTestId("track-number").FillAsync(number);
                await page.GetByTestId("track-code").FillAsync("WRONG123");
                await page.GetByTestId("track-submit").ClickAsync();
                await Expect(page.GetByTestId("track-error")).ToBeVisibleAsync();
                await Expect(page.GetByTestId("track-result")).ToHaveCountAsync(0);

                // The outcome is public, with the reason and the responsible body, and without the resident's data.
                await page.GotoAsync(hub.BaseUrl + "/portal/outcomes");
                var item = page.GetByTestId("outcome-item").Filter(new() { HasText = number });
                await Expect(item).ToBeVisibleAsync();
                await Expect(item.GetByTestId("outcome-reason")).ToHaveAttributeAsync("data-reason", "resolved");
                await Expect(item.GetByTestId("outcome-body")).ToHaveTextAsync("广顺镇村镇建设服务中心");
                var published = await item.InnerTextAsync();
                Assert.DoesNotContain(ResidentPhone, published, StringComparison.Ordinal);
                Assert.DoesNotContain("张三丰", published, StringComparison.Ordinal);
                Assert.DoesNotContain("3组12号", published, StringComparison.Ordinal);
                Browser.AssertNoSeriousProblems(problems, _log);
            }
            catch
            {
                _log("screenshot on failure: " + await Browser.ScreenshotAsync(page, Browser.FailureName()));
                throw;
            }
        });
    }

    /// <summary>A 1x1 PNG.</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>The six-digit code in the newest message to <paramref name="phone"/> in the hub's SMS log (DataDir/sms/outbox.log).</summary>
    private static async Task<string> SmsCodeAsync(HubNode hub, string phone)
    {
        var log = Path.Combine(hub.DataDir, "sms", "outbox.log");
        string? code = null;
        await Poll.WaitUntilAsync(() =>
        {
            if (!File.Exists(log)) return false;
            foreach (var line in File.ReadAllLines(log).Reverse())
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.GetProperty("phone").GetString() != phone) continue;
                var m = SixDigits().Match(json.RootElement.GetProperty("text").GetString() ?? "");
                if (m.Success)
                {
                    code = m.Value;
                    return true;
                }
            }
            return false;
        }, SmsTimeout, $"an SMS with a code to {phone} in {log}");
        return code!;
    }

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}
