using EGovEdge.Sync.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace EGovEdge.Office.Hosting;

/// <summary>OpenTelemetry metrics of the sync engine and of ASP.NET Core, scraped by Prometheus at /metrics.</summary>
public static class NodeMetrics
{
    public static IServiceCollection AddNodeMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(SyncMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>/metrics answers on loopback and to technicians' scrapers on the LAN; it carries counts, never content.</summary>
    public static WebApplication MapNodeMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
