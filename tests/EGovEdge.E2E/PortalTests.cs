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
