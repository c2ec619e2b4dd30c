using EGovEdge.Office.Meetings;
using EGovEdge.Office.Vehicles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EGovEdge.Office.Booking;

/// <summary>
/// At every node: decides, every few seconds, the pending bookings of this node's rooms and vehicles that arrived by
/// sync (requests made here are decided in the same transaction they are stored in), first come first served.
/// </summary>
public sealed partial class BookingProcessor(IServiceProvider services, ILogger<BookingProcessor> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            RunOnce();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass over meetings and vehicle requests; errors are logged and retried next pass.</summary>
    public int RunOnce()
    {
        var decided = 0;
        try
        {
            decided += services.GetRequiredService<MeetingService>().ProcessPending();
            decided += services.GetRequiredService<VehicleService>().ProcessPending();
        }
#pragma warning disable CA1031 // A background pass must survive a failing store (disk full, locked); it retries next pass.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(log, ex);
        }
        if (decided > 0) LogDecided(log, decided);
        return decided;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deciding pending bookings failed; retrying next pass")]
    private static partial void LogFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decided {Count} pending bookings")]
    private static partial void LogDecided(ILogger logger, int count);
}
