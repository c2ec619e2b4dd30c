using System.Net;
using System.Text;
using System.Text.Json;
using EGovEdge.Office.Archives;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Printing;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Tests.Archives;

/// <summary>/api/archive on a real Kestrel host over 广顺镇's real store, wired by the module itself.</summary>
public sealed class ArchiveApiTests : IAsyncLifetime
{
    private readonly ArchiveWorld _w = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var builder = TestApiHost.CreateBuilder();
        builder.Configuration["EGov:Archive:FondsCode"] = "GS01";
        var s = builder.Services;
        s.AddLocalization();
        s.AddProblemDetails();
        s.AddSingleton<TimeProvider>(_w.Wf.World.Time);
        s.AddSingleton<ILocalStore>(_w.Store("guangshun"));
        s.AddSingleton(new OrganDirectory(_w.Store("guangshun")));
        s.AddSingleton<IDocumentRenderer>(_w.Wf.Renderer);
        s.AddSingleton<ISealService>(_w.Wf.Seals);
        s.AddSingleton<WorkflowService>();
        new ArchiveModule().AddServices(s);
        s.AddHeaderSignIn();
        s.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.DocumentsWrite, p => p.RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin));
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        new ArchiveModule().MapEndpoints(_app);
        _http = await TestApiHost.StartAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _w.Dispose();
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string url, string roles = Roles.Clerk, string? json = null)
    {
        var request = new HttpRequestMessage(method, url).SignedAs("zhang", "guangshun", roles);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _http.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task ReadyFilePackageCheck_ThroughTheApi()
    {
        var doc = _w.Dispatched();
        var ready = await Json(await Send(HttpMethod.Get, "/api/archive/ready"));
        Assert.Equal(doc.Id, Assert.Single(ready.EnumerateArray()).GetProperty("documentId").GetString());
        var schedule = await Json(await Send(HttpMethod.Get, "/api/archive/schedule"));
        Assert.Equal("GS01", schedule.GetProperty("fonds").GetString());
        Assert.Equal("Y", schedule.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("docType").GetString() == "纪要").GetProperty("retention").GetString());

        var filed = await Send(HttpMethod.Post, "/api/archive", json: $$"""{"documentIds":["{{doc.Id}}"]}""");
        Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        var item = Assert.Single((await Json(filed)).EnumerateArray());
        Assert.Equal("GS01-WS·2026-D30-0001", item.GetProperty("archivalCode").GetString());
        var id = item.GetProperty("id").GetString();

        var list = await Json(await Send(HttpMethod.Get, "/api/archive?year=2026&retention=D30&q=GS01"));
        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(0, (await Json(await Send(HttpMethod.Get, "/api/archive?retention=Y"))).GetArrayLength());

        var package = await Send(HttpMethod.Get, $"/api/archive/{id}/package");
        Assert.Equal("application/zip", package.Content.Headers.ContentType!.MediaType);
        Assert.Equal(item.GetProperty("packageSm3").GetString(), SmCrypto.Sm3Hex(await package.Content.ReadAsByteArrayAsync()));

        var check = await Json(await Send(HttpMethod.Get, $"/api/archive/{id}/check"));
        Assert.True(check.GetProperty("passed").GetBoolean());
        Assert.Equal(4, check.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task BadInput_Is400ProblemDetails_WithChineseMessages_AndRolesAreEnforced()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/api/archive")).StatusCode);

        var year = await Send(HttpMethod.Get, "/api/archive?year=20x6");
        Assert.Equal(HttpStatusCode.BadRequest, year.StatusCode);
        Assert.Equal("年度应为四位数字，如 2026", (await Json(year)).GetProperty("errors").GetProperty("year")[0].GetString());
        var retention = await Send(HttpMethod.Get, "/api/archive?retention=长期");
        Assert.Equal(HttpStatusCode.BadRequest, retention.StatusCode);
        Assert.True((await Json(retention)).GetProperty("errors").TryGetProperty("retention", out _));

        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/api/archive", json: "{not json")).StatusCode);
        var empty = await Send(HttpMethod.Post, "/api/archive", json: """{"documentIds":[]}""");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("请选择要归档的文件", (await Json(empty)).GetProperty("errors").GetProperty("documentIds")[0].GetString());

        var draft = _w.Wf.Draft("guangshun", "关于报送统计报表的通知");
        var early = await Send(HttpMethod.Post, "/api/archive", json: $$"""{"documentIds":["{{draft.Id}}"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal("《关于报送统计报表的通知》尚未核发，不能归档", (await Json(early)).GetProperty("errors").GetProperty("documentIds")[0].GetString());

        var doc = _w.Dispatched();
        var noReason = await Send(HttpMethod.Post, "/api/archive", json: $$"""{"documentIds":["{{doc.Id}}"],"retention":"Y"}""");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await Json(noReason)).GetProperty("errors").TryGetProperty("reason", out _));

        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/api/archive", Roles.Reporter, $$"""{"documentIds":["{{doc.Id}}"]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/api/archive", Roles.Leader, $$"""{"documentIds":["{{doc.Id}}"]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, "/api/archive", json: $$"""{"documentIds":["{{doc.Id}}"]}""")).StatusCode);
        var twice = await Send(HttpMethod.Post, "/api/archive", json: $$"""{"documentIds":["{{doc.Id}}"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("已归档", (await Json(twice)).GetProperty("errors").GetProperty("documentIds")[0].GetString(), StringComparison.Ordinal);

        var unknown = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/archive/{unknown}/package")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/archive/{unknown}/check")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/archive/{unknown}")).StatusCode);
    }
}
