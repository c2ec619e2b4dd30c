using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Tickets;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EGovEdge.Office.Tests.Tickets;

/// <summary>/api/tickets/{id}/notices and the petition chain over HTTP on the hub; Open311 never shows a petition.</summary>
public sealed class PetitionNoticeApiTests : IAsyncLifetime
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
    public async Task Notices_list_and_pdf_answer_200_and_404_with_problem_details_and_the_chain_400()
    {
        var hub = _w.Hub;
        var created = hub.Create(PetitionChainTests.Petition(), TicketWorld.Clerk("hub"));
        var id = created.Id;

        var refused = await _http.SendAsync(Req(HttpMethod.Post, $"/api/tickets/{id}/actions", """{"action":"not_accept","opinion":"不属于本机关"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("application/problem+json", refused.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.True(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!.AsObject().ContainsKey("reasonCode"));

        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(Req(HttpMethod.Post, $"/api/tickets/{id}/actions", """{"action":"accept"}"""))).StatusCode);
        var replied = await _http.SendAsync(Req(HttpMethod.Post, $"/api/tickets/{id}/actions",
            """{"action":"reply","reply":"经核实，补偿款已发放。","reasonCode":"resolved","responsibleBody":"县自然资源局"}"""));
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        var detail = JsonNode.Parse(await replied.Content.ReadAsStringAsync())!;
        Assert.Equal("ReviewWindow", (string?)detail["stage"]);
        Assert.NotNull(detail["stageDeadline"]);

        var list = await _http.SendAsync(Req(HttpMethod.Get, $"/api/tickets/{id}/notices"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var notices = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["accept", "opinion"], notices.Select(n => (string)n!["kind"]!));
        Assert.Equal("长信访受〔2026〕1号", (string?)notices[0]!["number"]);
        var url = (string)notices[1]!["url"]!;
        var pdf = await _http.SendAsync(Req(HttpMethod.Get, url));
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5), StringComparison.Ordinal);
        Assert.Equal(hub.NoticePdf(id, (string)notices[1]!["id"]!)!.Value.Pdf, bytes);

        foreach (var missing in new[] { $"/api/tickets/{Guid.NewGuid()}/notices", $"/api/tickets/{id}/notices/{Guid.NewGuid()}.pdf", $"/api/tickets/{id}/notices/nope.pdf" })
        {
            var res = await _http.SendAsync(Req(HttpMethod.Get, missing));
            Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
            Assert.Contains("application/problem+json", res.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync($"/api/tickets/{id}/notices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync(url)).StatusCode);

        // 复查 applied for too late: 400 with the reason.
        _w.World.Time.Advance(TimeSpan.FromDays(40));
        var late = await _http.SendAsync(Req(HttpMethod.Post, $"/api/tickets/{id}/actions", """{"action":"review_apply","opinion":"不服处理意见"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("已超过申请期限", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var inTime = await _http.SendAsync(Req(HttpMethod.Post, $"/api/tickets/{id}/actions",
            """{"action":"review_apply","opinion":"不服处理意见","receivedUtc":"2026-12-20T02:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        var review = JsonNode.Parse(await (await _http.SendAsync(Req(HttpMethod.Get, $"/api/tickets/{id}"))).Content.ReadAsStringAsync())!;
        Assert.Equal("Review", (string?)review["stage"]);
        Assert.Equal("Review", (string?)review["state"]);

        // Open311 (anonymous, public) never lists a petition nor its notices or petitioner.
        var open = await _http.GetStringAsync("/open311/v2/requests.json");
        Assert.DoesNotContain(created.Number, open, StringComparison.Ordinal);
        Assert.DoesNotContain("李四", open, StringComparison.Ordinal);
        Assert.DoesNotContain("信访受", open, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/open311/v2/requests/" + Uri.EscapeDataString(created.Number) + ".json")).StatusCode);
    }

    private static HttpRequestMessage Req(HttpMethod method, string url, string? json = null)
    {
        var msg = new HttpRequestMessage(method, url);
        msg.Headers.Add(TestApiHost.Header, Clerk);
        if (json is not null) msg.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return msg;
    }
}
