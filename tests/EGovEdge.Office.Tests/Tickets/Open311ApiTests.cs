using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tickets;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Tickets;

/// <summary>
/// Open311 GeoReport v2 and /api/tickets (with a petition's notices and its 复查/复核 chain) on a real Kestrel host over
/// the hub's real SQLite store; Open311 never shows a petition.
/// </summary>
public sealed class Open311ApiTests : IAsyncLifetime
{
    private const string Clerk = "clerk1|hub|clerk";

    private readonly TicketWorld _w = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var builder = TestApiHost.CreateBuilder();
        var s = builder.Services;
        var store = _w.World.Hub;
        s.AddSingleton<ILocalStore>(store);
        s.AddSingleton<TimeProvider>(_w.World.Time);
        s.AddLocalization();
        s.AddProblemDetails();
        s.AddSingleton(sp => new SmsOutbox(store, new Notices.ScriptedGateway(), _w.World.Time));
        s.AddSingleton<INoticeSender>(sp => new NoticeService(store, sp.GetRequiredService<SmsOutbox>(), _w.World.Time, _w.NoticeText));
        new TicketsModule().AddServices(s);
        s.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>();
        s.AddRateLimiter(o => o.AddFixedWindowLimiter(NodeAuthentication.PortalRateLimit, l =>
        {
            l.PermitLimit = 3;
            l.Window = TimeSpan.FromMinutes(10);
        }));
        s.AddHeaderSignIn();
        s.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Supervise, p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(Policies.DocumentsWrite, p => p.RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin));
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.UseRateLimiter();
        new TicketsModule().MapEndpoints(_app);
        _http = await TestApiHost.StartAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _w.Dispose();
    }

    [Fact]
    public async Task Services_list_answers_per_the_spec()
    {
        var json = JsonNode.Parse(await _http.GetStringAsync("/open311/v2/services.json"))!.AsArray();
        Assert.Equal(TicketCategories.All.Count, json.Count);
        var first = json[0]!.AsObject();
        foreach (var field in new[] { "service_code", "service_name", "description", "metadata", "type", "keywords", "group" }) Assert.True(first.ContainsKey(field), field);
        Assert.Equal("realtime", (string?)first["type"]);
        Assert.False((bool)first["metadata"]!);
    }

    [Fact]
    public async Task Post_creates_a_request_that_get_lists_and_errors_use_the_spec_format()
    {
        var post = await _http.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "environment", ["lat"] = "26.03", ["long"] = "106.45", ["description"] = "河边有人倾倒垃圾，请处理",
            ["first_name"] = "三", ["last_name"] = "王", ["phone"] = "13700001111", ["email"] = "w@example.cn",
            ["media_url"] = "https://example.cn/a.jpg",
        }));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var created = JsonNode.Parse(await post.Content.ReadAsStringAsync())!.AsArray().Single()!.AsObject();
        var id = (string)created["service_request_id"]!;
        Assert.StartsWith("长顺12345-2026-", id, StringComparison.Ordinal);
        Assert.True(created.ContainsKey("account_id"));
        Assert.Null(created["account_id"]);
        Assert.Contains("查询码", (string)created["service_notice"]!, StringComparison.Ordinal);

        var one = JsonNode.Parse(await _http.GetStringAsync("/open311/v2/requests/" + Uri.EscapeDataString(id) + ".json"))!.AsArray().Single()!.AsObject();
        Assert.Equal(id, (string)one["service_request_id"]!);
        Assert.Equal("open", (string)one["status"]!);
        Assert.Equal("environment", (string)one["service_code"]!);
        Assert.Equal(26.03, (double)one["lat"]!);
        Assert.Equal(106.45, (double)one["long"]!);
        Assert.Equal("https://example.cn/a.jpg", (string)one["media_url"]!);
        Assert.EndsWith("+08:00", (string)one["requested_datetime"]!, StringComparison.Ordinal);
        Assert.NotNull(one["expected_datetime"]);
        Assert.False(one.ContainsKey("phone"));

        var list = JsonNode.Parse(await _http.GetStringAsync("/open311/v2/requests.json?status=open&service_code=environment"))!.AsArray();
        Assert.Contains(list, r => (string)r!["service_request_id"]! == id);
        Assert.Empty(JsonNode.Parse(await _http.GetStringAsync("/open311/v2/requests.json?status=closed"))!.AsArray());
        var byId = JsonNode.Parse(await _http.GetStringAsync("/open311/v2/requests.json?service_request_id=" + Uri.EscapeDataString(id)))!.AsArray();
        Assert.Single(byId);

        await AssertError(await _http.GetAsync("/open311/v2/requests/nope.json"), 404);
        await AssertError(await _http.GetAsync("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z"), 400);
        await AssertError(await _http.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string> { ["description"] = "没有类别" })), 400);
        await AssertError(await _http.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string> { ["service_code"] = "environment", ["description"] = "没有地点的投诉" })), 400);
    }

    [Fact]
    public async Task Staff_api_creates_acts_and_answers_problem_details()
    {
        var create = Req(HttpMethod.Post, "/api/tickets", "clerk1|hub|clerk", """{"kind":"complaint","category":"urban","township":"guangshun","description":"路灯坏了很久了","name":"赵六","phone":"13600002222"}""");
        var res = await _http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var created = JsonNode.Parse(await res.Content.ReadAsStringAsync())!;
        var id = (string)created["id"]!;
        Assert.Equal(8, ((string)created["queryCode"]!).Length);

        var bad = await _http.SendAsync(Req(HttpMethod.Post, "/api/tickets", "clerk1|hub|clerk", """{"kind":"nonsense","description":"x"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("application/problem+json", bad.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);

        var act = await _http.SendAsync(Req(HttpMethod.Post, $"/api/tickets/{id}/actions", "clerk1|hub|clerk", """{"action":"dispatch","toUnit":"guangshun"}"""));
        Assert.Equal(HttpStatusCode.OK, act.StatusCode);
        var detail = JsonNode.Parse(await act.Content.ReadAsStringAsync())!;
        Assert.Equal("Dispatched", (string)detail["state"]!);
        Assert.Equal("13600002222", (string)detail["phone"]!);

        var list = JsonNode.Parse(await (await _http.SendAsync(Req(HttpMethod.Get, "/api/tickets?box=Open", "clerk1|hub|clerk"))).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal("136****2222", (string)list.Single()!["phone"]!);

        var forbidden = await _http.SendAsync(Req(HttpMethod.Post, $"/api/tickets/{id}/actions", "clerk1|hub|clerk", """{"action":"supervise","deadlineUtc":"2026-12-01T00:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/api/tickets")).StatusCode);
    }

    [Fact]
    public async Task Notices_list_and_pdf_answer_200_and_404_with_problem_details_and_the_chain_400()
    {
        var hub = _w.Hub;
        var created = hub.Create(PetitionChainTests.Petition(), TicketWorld.Clerk("hub"));
        var id = created.Id;

        var refused = await _http.SendAsync(AsHubClerk(HttpMethod.Post, $"/api/tickets/{id}/actions", """{"action":"not_accept","opinion":"不属于本机关"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("application/problem+json", refused.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.True(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!.AsObject().ContainsKey("reasonCode"));

        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(AsHubClerk(HttpMethod.Post, $"/api/tickets/{id}/actions", """{"action":"accept"}"""))).StatusCode);
        var replied = await _http.SendAsync(AsHubClerk(HttpMethod.Post, $"/api/tickets/{id}/actions",
            """{"action":"reply","reply":"经核实，补偿款已发放。","reasonCode":"resolved","responsibleBody":"县自然资源局"}"""));
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        var detail = JsonNode.Parse(await replied.Content.ReadAsStringAsync())!;
        Assert.Equal("ReviewWindow", (string?)detail["stage"]);
        Assert.NotNull(detail["stageDeadline"]);

        var list = await _http.SendAsync(AsHubClerk(HttpMethod.Get, $"/api/tickets/{id}/notices"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var notices = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["accept", "opinion"], notices.Select(n => (string)n!["kind"]!));
        Assert.Equal("长信访受〔2026〕1号", (string?)notices[0]!["number"]);
        var url = (string)notices[1]!["url"]!;
        var pdf = await _http.SendAsync(AsHubClerk(HttpMethod.Get, url));
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5), StringComparison.Ordinal);
        Assert.Equal(hub.NoticePdf(id, (string)notices[1]!["id"]!)!.Value.Pdf, bytes);

        foreach (var missing in new[] { $"/api/tickets/{Guid.NewGuid()}/notices", $"/api/tickets/{id}/notices/{Guid.NewGuid()}.pdf", $"/api/tickets/{id}/notices/nope.pdf" })
        {
            var res = await _http.SendAsync(AsHubClerk(HttpMethod.Get, missing));
            Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
            Assert.Contains("application/problem+json", res.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync($"/api/tickets/{id}/notices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync(url)).StatusCode);

        // 复查 applied for too late: 400 with the reason.
        _w.World.Time.Advance(TimeSpan.FromDays(40));
        var late = await _http.SendAsync(AsHubClerk(HttpMethod.Post, $"/api/tickets/{id}/actions", """{"action":"review_apply","opinion":"不服处理意见"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("已超过申请期限", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var inTime = await _http.SendAsync(AsHubClerk(HttpMethod.Post, $"/api/tickets/{id}/actions",
            """{"action":"review_apply","opinion":"不服处理意见","receivedUtc":"2026-12-20T02:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        var review = JsonNode.Parse(await (await _http.SendAsync(AsHubClerk(HttpMethod.Get, $"/api/tickets/{id}"))).Content.ReadAsStringAsync())!;
        Assert.Equal("Review", (string?)review["stage"]);
        Assert.Equal("Review", (string?)review["state"]);

        // Open311 (anonymous, public) never lists a petition nor its notices or petitioner.
        var open = await _http.GetStringAsync("/open311/v2/requests.json");
        Assert.DoesNotContain(created.Number, open, StringComparison.Ordinal);
        Assert.DoesNotContain("李四", open, StringComparison.Ordinal);
        Assert.DoesNotContain("信访受", open, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/open311/v2/requests/" + Uri.EscapeDataString(created.Number) + ".json")).StatusCode);
    }

    private static async Task AssertError(HttpResponseMessage res, int code)
    {
        Assert.Equal(code, (int)res.StatusCode);
        var err = JsonNode.Parse(await res.Content.ReadAsStringAsync())!.AsArray().First()!.AsObject();
        Assert.Equal(code, (int)err["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)err["description"]));
    }

    private static HttpRequestMessage Req(HttpMethod method, string url, string user, string? json = null)
    {
        var msg = new HttpRequestMessage(method, url);
        msg.Headers.Add(TestApiHost.Header, user);
        if (json is not null) msg.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return msg;
    }

    private static HttpRequestMessage AsHubClerk(HttpMethod method, string url, string? json = null)
    {
        var msg = new HttpRequestMessage(method, url);
        msg.Headers.Add(TestApiHost.Header, Clerk);
        if (json is not null) msg.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return msg;
    }
}
