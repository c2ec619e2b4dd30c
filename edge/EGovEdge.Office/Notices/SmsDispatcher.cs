using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EGovEdge.Office.Notices;

/// <summary>Background service: every <see cref="SmsOptions.PollInterval"/> hands this node's due SMS to the gateway.</summary>
public sealed partial class SmsDispatcher(SmsOutbox outbox, TimeProvider time, ILogger<SmsDispatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(outbox.Options.PollInterval, time);
        do
        {
            try
            {
                await outbox.DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A storage hiccup must not end the outbox: the next tick tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogCycleFailed(log, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SMS dispatch cycle failed")]
    private static partial void LogCycleFailed(ILogger logger, Exception ex);
}
