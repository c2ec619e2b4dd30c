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
