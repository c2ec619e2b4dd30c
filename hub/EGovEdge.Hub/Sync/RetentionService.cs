using EGovEdge.Hub.Configuration;
using EGovEdge.Sync.Hub;
using Microsoft.Extensions.Options;

namespace EGovEdge.Hub.Sync;

/// <summary>Prunes old tombstones every hour (and at start), never past a township still in touch.</summary>
public sealed partial class RetentionService(HubStore store, IOptions<HubOptions> options, TimeProvider time, ILogger<RetentionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = TimeSpan.FromDays(options.Value.RetentionDays);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var removed = store.Prune(retention);
                if (removed > 0) LogPruned(removed, options.Value.RetentionDays);
            }
#pragma warning disable CA1031 // A failed pruning pass is logged and tried again next hour; it must not stop the hub.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Removed} tombstones older than {RetentionDays} days")]
    private partial void LogPruned(int removed, int retentionDays);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning failed")]
    private partial void LogFailed(Exception ex);
}
