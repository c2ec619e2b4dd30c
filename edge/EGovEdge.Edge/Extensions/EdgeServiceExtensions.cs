using System.Net;
using EGovEdge.Edge.Configuration;
using EGovEdge.Edge.Sync;
using EGovEdge.Office;
using EGovEdge.Office.Hosting;
using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Transport;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace EGovEdge.Edge.Extensions;

public static class EdgeServiceExtensions
{
    public const string HubClient = "hub-sync";

    /// <summary>Reads and checks the EGov section; fails fast with the key name when something is missing.</summary>
    public static EdgeOptions ReadEdgeOptions(this IConfiguration configuration)
    {
        var options = new EdgeOptions();
        configuration.GetSection(EdgeOptions.Section).Bind(options);
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(EdgeOptions.Section, typeof(EdgeOptions), results.Select(r => r.ErrorMessage ?? "invalid"));
        }
        return options;
    }

    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder, EdgeOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddNodeWeb(options.NodeId, options.DataDir);
        services.AddOffice();
        services.AddRazorComponents().AddInteractiveServerComponents();

        services.AddSingleton(sp => new EdgeStore(
            Path.Combine(options.DataDir, "edge.db"), options.NodeId, sp.GetRequiredService<SyncSchema>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ILocalStore>(sp => sp.GetRequiredService<EdgeStore>());
        services.AddSingleton(new SyncAgentOptions { SchemaVersion = OfficeSchema.Version });
        services.AddHubClients(options.HubUrl);
        services.AddSingleton<EdgeCredentials>();
        services.AddSingleton<ISyncTransport>(sp => new HttpSyncTransport(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HubClient),
            sp.GetRequiredService<EdgeCredentials>().Current));
        services.AddSingleton<EdgeSyncAgent>();
        services.AddSingleton<SyncStatusService>();
        services.AddHostedService<SyncWorker>();
        return builder;
    }

    /// <summary>
    /// The HTTP clients towards the hub: "hub-sync" with the resilience pipeline below, and "hub-enroll". Shared by the
    /// web host and the <c>sync</c> command line.
    /// </summary>
    public static IServiceCollection AddHubClients(this IServiceCollection services, string hubUrl)
    {
        services.AddSingleton<CircuitBreakerStateProvider>();
        services.AddHttpClient(HubClient, c =>
            {
                c.BaseAddress = new Uri(hubUrl.TrimEnd('/') + "/");
                c.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.None, // HttpSyncTransport decompresses and counts wire bytes
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddResilienceHandler("hub-sync", (pipeline, context) => ConfigurePipeline(pipeline, context.ServiceProvider));
        services.AddHttpClient("hub-enroll", c =>
        {
            c.BaseAddress = new Uri(hubUrl.TrimEnd('/') + "/");
            c.Timeout = TimeSpan.FromSeconds(20);
        });
        return services;
    }

    /// <summary>
    /// Outermost first: total timeout, retry (exponential, jitter), circuit breaker sized for a node that makes a
    /// few calls a minute, per-attempt timeout. Every sync call is idempotent, so retrying a POST is safe.
    /// </summary>
    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider sp)
    {
        pipeline.AddTimeout(TimeSpan.FromSeconds(90));
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(400),
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = args => ValueTask.FromResult(
                HttpClientResiliencePredicates.IsTransient(args.Outcome)
                || args.Outcome.Exception is System.Net.Sockets.SocketException or IOException),
        });
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 4,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(10),
            StateProvider = sp.GetRequiredService<CircuitBreakerStateProvider>(),
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(20));
    }
}
