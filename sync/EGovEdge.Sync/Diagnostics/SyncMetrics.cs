using System.Diagnostics.Metrics;

namespace EGovEdge.Sync.Diagnostics;

/// <summary>
/// The engine's meters (System.Diagnostics.Metrics; the hosts export them with OpenTelemetry at /metrics):
/// cycles, failures, duration, rows and bytes each way, queue depth and lag.
/// </summary>
public static class SyncMetrics
{
    public const string MeterName = "EGovEdge.Sync";

    private static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly Counter<long> Cycles = Meter.CreateCounter<long>("egov_sync_cycles", description: "Sync cycles run, by outcome");
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("egov_sync_failures", description: "Sync cycles that did not succeed");
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("egov_sync_cycle_duration", "ms", "Duration of a sync cycle");
    public static readonly Counter<long> Rows = Meter.CreateCounter<long>("egov_sync_rows", description: "Rows moved, by direction (push/pull)");
    public static readonly Counter<long> Bytes = Meter.CreateCounter<long>("egov_sync_bytes", "By", "Bytes on the wire, by direction (up/down)");
    public static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("egov_sync_conflicts", description: "Conflicts detected");
    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("egov_sync_rejected", description: "Rows refused by the hub");
    public static readonly Counter<long> HubRequests = Meter.CreateCounter<long>("egov_hub_sync_requests", description: "Push and pull requests served by the hub, by township");

    private static Func<IEnumerable<Measurement<long>>>? _queueDepth;
    private static Func<IEnumerable<Measurement<long>>>? _lag;

    static SyncMetrics()
    {
        Meter.CreateObservableGauge("egov_sync_queue_depth", () => _queueDepth?.Invoke() ?? [], description: "Local changes waiting to be pushed");
        Meter.CreateObservableGauge("egov_sync_lag", () => _lag?.Invoke() ?? [], description: "Hub sequences a township has not pulled yet");
    }

    /// <summary>Registers how to read the queue depth (edge).</summary>
    public static void ObserveQueueDepth(Func<IEnumerable<Measurement<long>>> read) => _queueDepth = read;

    /// <summary>Registers how to read per-township lag (hub).</summary>
    public static void ObserveLag(Func<IEnumerable<Measurement<long>>> read) => _lag = read;
}
