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
                await page.GotoAsync($"{edge.BaseUrl}/documents/{id}");
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
                await mobile.GotoAsync($"{edge.BaseUrl}/documents/{id}");
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
