using System.Threading.Channels;
using EGovEdge.Edge.Configuration;
using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Options;

namespace EGovEdge.Edge.Sync;

/// <summary>Syncs every SyncIntervalSeconds, and soon after each local change (debounced).</summary>
public sealed partial class SyncWorker(
    EdgeSyncAgent agent,
    EdgeCredentials credentials,
    ILocalStore store,
    IOptions<EdgeOptions> options,
    TimeProvider time,
    ILogger<SyncWorker> logger) : BackgroundService
{
    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Changed += OnLocalChange;
        try
        {
            var interval = TimeSpan.FromSeconds(options.Value.SyncIntervalSeconds);
            var debounce = TimeSpan.FromMilliseconds(options.Value.SyncDebounceMilliseconds);
            LogStarted(options.Value.HubUrl, interval.TotalSeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await credentials.EnsureEnrolledAsync(stoppingToken);
                    await agent.RunOnceAsync(stoppingToken);
                }
#pragma warning disable CA1031 // The worker's loop boundary: a failed cycle is logged and the next one tries again; the node keeps serving.
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    LogCycleCrashed(ex);
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var timer = Task.Delay(interval, time, wait.Token);
                var kick = _kicks.Reader.WaitToReadAsync(wait.Token).AsTask();
                var first = await Task.WhenAny(timer, kick);
                await wait.CancelAsync();
                if (first == kick && !stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(debounce, time, stoppingToken);
                    while (_kicks.Reader.TryRead(out _))
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            store.Changed -= OnLocalChange;
        }
    }

    private void OnLocalChange(object? sender, EventArgs e) => _kicks.Writer.TryWrite(true);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync cycle failed unexpectedly; the next one will try again")]
    private partial void LogCycleCrashed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync worker started: hub {HubUrl}, every {IntervalSeconds} s and after local changes")]
    private partial void LogStarted(string hubUrl, double intervalSeconds);
}
