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

/// <summary>Open311 GeoReport v2 and /api/tickets on a real Kestrel host over the hub's real SQLite store.</summary>
public sealed class Open311ApiTests : IAsyncLifetime
{
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
}
