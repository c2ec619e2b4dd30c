using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Seals;

/// <summary>/api/seals on a real Kestrel host over the hub's real store (a header-based test sign-in stands in for tokens).</summary>
public sealed class SealApiTests : IAsyncLifetime
{
    private readonly SealWorld _w = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _w.AddUser("zhang", NodeIds.Hub, Roles.Clerk);
        var builder = TestApiHost.CreateBuilder();
        var s = builder.Services;
        s.AddLocalization();
        s.AddSingleton<TimeProvider>(_w.World.Time);
        s.AddSingleton(_w.Store(NodeIds.Hub));
        s.AddSingleton(_w.Env(NodeIds.Hub));
        s.AddSingleton(new TownshipDirectory(_w.Store(NodeIds.Hub)));
        s.AddProblemDetails();
        new SealsModule().AddServices(s);
        s.AddHeaderSignIn();
        s.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.SealManage, p => p.RequireRole(Roles.SealAdmin, Roles.Admin))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin));
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        new SealsModule().MapEndpoints(_app);
        _http = await TestApiHost.StartAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _w.Dispose();
    }

    private HttpRequestMessage As(HttpMethod method, string url, string user, string roles, string? json = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.SignedAs(user, NodeIds.Hub, roles);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    [Fact]
    public async Task RequestAndIssueAtHub_ListImageRegistryRevoke()
    {
        var created = await _http.SendAsync(As(HttpMethod.Post, "/api/seals", "countyadmin", Roles.Admin,
            """{"name":"县政府办公室公章","unitName":"长顺县人民政府办公室","signer":"zhang","validFrom":"2026-01-01","validTo":"2030-12-31","issue":true}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var seal = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("issued", seal.GetProperty("status").GetString());
        Assert.False(seal.TryGetProperty("imageSvg", out _));
        var id = seal.GetProperty("id").GetString();

        var list = JsonDocument.Parse(await (await _http.SendAsync(As(HttpMethod.Get, "/api/seals", "zhang", Roles.Clerk))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("县政府办公室公章", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());

        var image = await _http.SendAsync(As(HttpMethod.Get, $"/api/seals/{id}/image.svg", "zhang", Roles.Clerk));
        Assert.Equal("image/svg+xml", image.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", await image.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var registry = JsonDocument.Parse(await (await _http.SendAsync(As(HttpMethod.Get, "/api/seals/registry", "zhang", Roles.Clerk))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, registry.GetProperty("makers").GetArrayLength()); // published by the hosted service at start
        Assert.Equal(0, registry.GetProperty("revocations").GetArrayLength());

        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(As(HttpMethod.Post, $"/api/seals/{id}/revoke", "sealadmin", Roles.SealAdmin, """{"reason":"遗失"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(As(HttpMethod.Post, $"/api/seals/{id}/revoke", "countyadmin", Roles.Admin, """{"reason":""}"""))).StatusCode);
        var revoked = await _http.SendAsync(As(HttpMethod.Post, $"/api/seals/{id}/revoke", "countyadmin", Roles.Admin, """{"reason":"印章遗失"}"""));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        registry = JsonDocument.Parse(await (await _http.SendAsync(As(HttpMethod.Get, "/api/seals/registry", "zhang", Roles.Clerk))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("印章遗失", Assert.Single(registry.GetProperty("revocations").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RevocationList_Served_SignatureVerifiesWithTheMakerKey()
    {
        var initial = await _http.SendAsync(As(HttpMethod.Get, "/api/seals/revocations", "zhang", Roles.Clerk));
        Assert.Equal(HttpStatusCode.OK, initial.StatusCode); // the first, empty list is issued with the maker key at start
        Assert.Empty(JsonSerializer.Deserialize(await initial.Content.ReadAsStringAsync(), SealJsonContext.Default.SealRevocationListDto)!.Entries);
        var created = await _http.SendAsync(As(HttpMethod.Post, "/api/seals", "countyadmin", Roles.Admin,
            """{"name":"县政府办公室公章","unitName":"长顺县人民政府办公室","signer":"zhang","issue":true}"""));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(As(HttpMethod.Post, $"/api/seals/{id}/revoke", "countyadmin", Roles.Admin, """{"reason":"印章遗失"}"""))).StatusCode);

        var response = await _http.SendAsync(As(HttpMethod.Get, "/api/seals/revocations", "zhang", Roles.Clerk));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["number", "issuedUtc", "nextUpdateUtc", "entries", "makerKeyId", "signature"], json.EnumerateObject().Select(p => p.Name).ToArray());
        var list = JsonSerializer.Deserialize(body, SealJsonContext.Default.SealRevocationListDto)!;
        var entry = Assert.Single(list.Entries);
        Assert.Equal((id, "印章遗失"), (entry.SealId, entry.Reason));

        var registry = JsonSerializer.Deserialize(
            await (await _http.SendAsync(As(HttpMethod.Get, "/api/seals/registry", "zhang", Roles.Clerk))).Content.ReadAsStringAsync(),
            SealJsonContext.Default.SealRegistryDto)!;
        var maker = Assert.Single(registry.Makers);
        Assert.Equal(maker.KeyId, list.MakerKeyId);
        Assert.Equal(list.Number, registry.RevocationList!.Number);
        var publicKey = Convert.FromHexString(maker.PublicKey);
        var signature = Convert.FromBase64String(list.Signature);
        Assert.True(SmCrypto.Verify(publicKey, list.SignedData(), signature));
        Assert.False(SmCrypto.Verify(publicKey, (list with { Entries = [] }).SignedData(), signature));
        Assert.False(SmCrypto.Verify(publicKey, (list with { Number = list.Number + 1 }).SignedData(), signature));
    }

    [Fact]
    public async Task BadInput_ProblemDetails_AndRoles()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/api/seals")).StatusCode);
        var bad = await _http.SendAsync(As(HttpMethod.Post, "/api/seals", "sealadmin", Roles.SealAdmin, "{not json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var invalid = await _http.SendAsync(As(HttpMethod.Post, "/api/seals", "sealadmin", Roles.SealAdmin, """{"signer":"zhang","unitName":"x"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("印章名称不能为空", problem.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(As(HttpMethod.Post, "/api/seals", "sealadmin", Roles.SealAdmin,
            """{"name":"公章","unitName":"x","signer":"zhang","issue":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(As(HttpMethod.Post, "/api/seals", "zhang", Roles.Clerk,
            """{"name":"公章","unitName":"x","signer":"zhang"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(As(HttpMethod.Post, $"/api/seals/{Guid.NewGuid()}/issue", "countyadmin", Roles.Admin))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(As(HttpMethod.Get, "/api/seals/uses?limit=0", "zhang", Roles.Clerk))).StatusCode);
        var fonts = await _http.SendAsync(As(HttpMethod.Get, "/api/printing/fonts", "zhang", Roles.Clerk));
        Assert.Equal("[]", await fonts.Content.ReadAsStringAsync());
    }
}
