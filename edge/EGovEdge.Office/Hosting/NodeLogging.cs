using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EGovEdge.Office.Hosting;

/// <summary>Serilog for hub and edge: console plus a rolling compact-JSON file under DataDir/logs.</summary>
public static class NodeLogging
{
    public static void CreateBootstrapLogger() =>
        Log.Logger = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Console().CreateBootstrapLogger();

    public static WebApplicationBuilder AddNodeLogging(this WebApplicationBuilder builder, string role, string nodeId, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var logDir = Path.Combine(dataDir, "logs");
        Directory.CreateDirectory(logDir);
        builder.Services.AddSerilog((services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Role", role)
            .Enrich.WithProperty("NodeId", nodeId)
            .WriteTo.Console()
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(logDir, role + "-.clef"),
                rollingInterval: RollingInterval.Day, rollOnFileSizeLimit: true,
                fileSizeLimitBytes: 20 * 1024 * 1024, retainedFileCountLimit: 30));
        return builder;
    }
}
