using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EGovEdge.Office.Hosting;

/// <summary>
/// A background round at every node: runs <see cref="RunRound"/> at start and then every <see cref="Interval"/> (read
/// each time, so a changed option applies at the next round). A failed round is logged and the next one retries; the
/// round itself must be idempotent.
/// </summary>
public abstract partial class PeriodicWork(TimeProvider time, ILogger log) : BackgroundService
{
    /// <summary>What the round does, for the log ("Ticket escalation", "Document deadline reminders").</summary>
    protected abstract string Name { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>One round; returns how many records it wrote.</summary>
    protected abstract int RunRound();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var n = RunRound();
                if (n > 0) LogWritten(log, Name, n);
            }
#pragma warning disable CA1031 // One failed round must not stop the service; the next round retries.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogFailed(log, Name, ex);
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} wrote {Count} records")]
    private static partial void LogWritten(ILogger logger, string name, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Name} round failed")]
    private static partial void LogFailed(ILogger logger, string name, Exception ex);
}
