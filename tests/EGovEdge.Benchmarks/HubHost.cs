using System.IO.Compression;
using System.Net;
using EGovEdge.Hub.Configuration;
using EGovEdge.Hub.Sync;
using EGovEdge.Office;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EGovEdge.Benchmarks;

/// <summary>
/// The hub's real sync endpoint (<see cref="HubSyncApi"/>: township authentication, schema check, HubStore on SQLite
/// with the office write rules) on Kestrel at 127.0.0.1:&lt;free port&gt;, with the hub's request decompression and
/// response compression settings (NodePipeline.AddNodeWeb: Brotli and gzip at Fastest). Not included: the hub's web
/// UI, cookie authentication, Serilog request logging, rate limiter and OpenTelemetry (none of them sees sync calls
/// except the request log).
/// </summary>
internal sealed class HubHost : IAsyncDisposable
{
    public const string Key = "bench-key-0123456789";

    private readonly WebApplication _app;

    private HubHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Store = app.Services.GetRequiredService<HubStore>();
    }

    public string Url { get; }

    public HubStore Store { get; }

    public static async Task<HubHost> StartAsync(string dataDir, IEnumerable<string> townships)
    {
        Directory.CreateDirectory(dataDir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = dataDir,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var options = new HubOptions { DataDir = dataDir };
        foreach (var t in townships) options.Townships[t] = new TownshipOptions { Key = Key };
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(OfficeSchema.Create());
        services.AddSingleton<IHubDatabase>(_ => HubDatabases.Create(options));
        services.AddSingleton(sp => new HubStore(
            sp.GetRequiredService<IHubDatabase>(), sp.GetRequiredService<SyncSchema>(), sp.GetRequiredService<TimeProvider>(), new OfficeWriteRules()));
        services.AddSingleton<NodeAuthenticator>();
        services.AddSingleton<EnrollmentService>();
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/problem+json"]);
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.AddRequestDecompression();

        var app = builder.Build();
        var timing = new ServerTiming();
        // Outermost: the time the hub spends on a sync request (authentication, HubStore, JSON, compression).
        app.Use(async (ctx, next) =>
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await next(ctx).ConfigureAwait(false);
            timing.Add(ctx.Request.Path.Value ?? "", System.Diagnostics.Stopwatch.GetElapsedTime(start));
        });
        app.UseResponseCompression();
        app.UseRequestDecompression();
        app.MapHubSyncApi();
        // The baseline round trip of noop_sync_ms: an empty POST through the same middleware, no database.
        app.MapPost("/bench/ping", () => Results.Ok());
        // Diagnostics for profile=wire-live only: the same pull answer serialised into one buffer before it is written.
        app.MapPost("/bench/pull-buffered", async (HttpContext http, HubStore store) =>
        {
            var req = await System.Text.Json.JsonSerializer.DeserializeAsync(http.Request.Body, EGovEdge.Sync.Protocol.SyncJsonContext.Default.PullRequest).ConfigureAwait(false);
            var res = store.Pull(req!.NodeId, req);
            return Results.Bytes(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(res, EGovEdge.Sync.Protocol.SyncJsonContext.Default.PullResponse), "application/json");
        });
        _ = app.Services.GetRequiredService<HubStore>();
        _ = app.Services.GetRequiredService<EnrollmentService>();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HubHost(app, address.TrimEnd('/')) { Timing = timing };
    }

    /// <summary>Time spent in the hub's request pipeline, per sync path (for the bootstrap time split).</summary>
    public ServerTiming Timing { get; private init; } = new();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Accumulated server-side time per request path.</summary>
internal sealed class ServerTiming
{
    private long _pullTicks;
    private long _pushTicks;

    public TimeSpan Pull => TimeSpan.FromTicks(Interlocked.Read(ref _pullTicks));
    public TimeSpan Push => TimeSpan.FromTicks(Interlocked.Read(ref _pushTicks));

    public void Add(string path, TimeSpan elapsed)
    {
        if (path.EndsWith("/pull", StringComparison.Ordinal)) Interlocked.Add(ref _pullTicks, elapsed.Ticks);
        else if (path.EndsWith("/push", StringComparison.Ordinal)) Interlocked.Add(ref _pushTicks, elapsed.Ticks);
    }
}
