using System.Text.Json;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Notices;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Tests.Notices;

/// <summary>
/// The OpenAPI document and the reference page, served in-process on a loopback port by a small host that maps the
/// Notices module's endpoints and the nodes' OpenAPI plumbing (NodePipeline.AddNodeOpenApi/MapNodeApiReference).
/// </summary>
public sealed class OpenApiTests : IDisposable
{
    private readonly NoticeWorld _w = new();

    public void Dispose() => _w.Dispose();

    /// <summary>Stops the host before disposing it, as a real shutdown does (so background services end quietly).</summary>
    private sealed class RunningApp(WebApplication app) : IAsyncDisposable
    {
        public WebApplication App => app;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<RunningApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(_w.World.Time);
        builder.Services.AddSingleton<ILocalStore>(_w.World.Hub);
        builder.Services.AddSingleton(_w.Env("hub"));
        builder.Services.AddLocalization();
        builder.Services.AddAuthorization();
        new NoticesModule().AddServices(builder.Services);
        builder.Services.AddNodeOpenApi("hub");
        var app = builder.Build();
        app.MapOfficeNoticesForTest();
        app.MapNodeApiReference();
        await app.StartAsync();
        return new RunningApp(app);
    }

    [Fact]
    public async Task Document_DescribesTheNoticeEndpoints_AndTheBearerScheme()
    {
        await using var running = await StartAsync();
        var app = running.App;
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/notices", "/api/notices/{id}", "/api/notices/{id}/read", "/api/notices/{id}/reads", "/api/notices/stats", "/api/sms", "/api/home" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), path);
        }
        var post = (paths.TryGetProperty("/api/notices", out var p) ? p : paths.GetProperty("/api/notices/")).GetProperty("post");
        Assert.Equal("SendNotice", post.GetProperty("operationId").GetString());
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.Equal("bearer", doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Contains("/api/auth/token", doc.RootElement.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(doc.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("NoticeInput", out _));
    }

    [Fact]
    public async Task ReferencePage_LoadsItsScriptFromThisNode_NotFromACdn()
    {
        await using var running = await StartAsync();
        var app = running.App;
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var page = await http.GetStringAsync(new Uri(NodePipeline.ApiReferencePath, UriKind.Relative));

        Assert.Contains("\"url\":\"openapi/v1.json\"", page, StringComparison.Ordinal); // resolved against the site root by scalar.aspnetcore.js
        Assert.DoesNotContain("cdn.jsdelivr", page, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.scalar.com", page, StringComparison.Ordinal);
        var scripts = System.Text.RegularExpressions.Regex.Matches(page, "<script[^>]+src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            Assert.False(src.StartsWith("http", StringComparison.OrdinalIgnoreCase), src);
            var absolute = new Uri(new Uri(app.Urls.First() + NodePipeline.ApiReferencePath + "/"), src);
            using var js = await http.GetAsync(absolute);
            Assert.True(js.IsSuccessStatusCode, $"{absolute} answered {(int)js.StatusCode}");
        }
    }
}

internal static class NoticeTestEndpoints
{
    public static WebApplication MapOfficeNoticesForTest(this WebApplication app)
    {
        new NoticesModule().MapEndpoints(app);
        return app;
    }
}
