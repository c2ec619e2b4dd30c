using System.Diagnostics;
using System.Globalization;
using EGovEdge.Sync.Diagnostics;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Transport;
using Microsoft.Extensions.Logging;

namespace EGovEdge.Sync.Agent;

/// <summary>
/// Runs sync cycles for one edge: push every captured change in batches (the cursor moves only after the hub
/// acknowledges), then pull everything after the pull cursor (each page applied with its cursor in one transaction).
/// Cycles never overlap.
/// </summary>
public sealed partial class EdgeSyncAgent(
    EdgeStore store,
    ISyncTransport transport,
    SyncAgentOptions options,
    TimeProvider time,
    ILogger<EdgeSyncAgent> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AdaptiveBatch _pushBatch = new(options.PushBatchSize, options.AdaptiveBatchSize);
    private readonly AdaptiveBatch _pullBatch = new(options.PullBatchSize, options.AdaptiveBatchSize);

    /// <summary>Current batch sizes (they shrink after timeouts and grow while the link is fast).</summary>
    public (int Push, int Pull) BatchSizes => (_pushBatch.Size, _pullBatch.Size);

    public SyncStatus Status { get; } = LoadStatus(store);

    public event EventHandler<SyncCycleResult>? CycleCompleted;

    /// <summary>Raised after each pulled page (bootstrap progress bars).</summary>
    public event EventHandler<SyncProgress>? Progress;

    private static SyncStatus LoadStatus(EdgeStore store) => new()
    {
        LastSuccessUtc = DateTimeOffset.TryParse(store.GetState("last_success_utc"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var t) ? t : null,
    };

    public async Task<SyncCycleResult> RunOnceAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await RunLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SyncCycleResult> RunLockedAsync(CancellationToken ct)
    {
        var correlationId = Guid.CreateVersion7().ToString("N");
        var started = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        int pushed = 0, pulled = 0, conflicts = 0, rejected = 0;
        long up = 0, down = 0;
        Status.Running = true;
        Status.LastAttemptUtc = started;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SyncSessionId"] = correlationId, ["NodeId"] = store.NodeId });
        SyncOutcome outcome;
        string? error = null;
        try
        {
            while (store.ReadPending(_pushBatch.Size, options.SchemaVersion) is { } batch)
            {
                var res = await _pushBatch.Measure(() => transport.PushAsync(batch, correlationId, ct)).ConfigureAwait(false);
                if (res.Value.Duplicate && res.Value.AckedSeq > store.MaxLogSequence())
                {
                    // The hub has acknowledged more of this database than it ever wrote: it was restored from an
                    // older copy. Take a new identity so the hub judges every pending row afresh (nothing is lost;
                    // what it already holds is skipped) and pull this node's own rows back.
                    LogRestoredCopy(res.Value.AckedSeq);
                    up += res.BytesUp;
                    down += res.BytesDown;
                    store.RenewStoreId();
                    continue;
                }
                store.AckPush(batch, res.Value);
                up += res.BytesUp;
                down += res.BytesDown;
                pushed += res.Value.Duplicate ? 0 : res.Value.Applied; // rows the hub took (duplicates of earlier batches not counted again)
                conflicts += res.Value.Conflicts;
                rejected += res.Value.Rejected.Count;
                if (res.Value.AckedSeq < batch.LastSeq)
                {
                    throw new InvalidDataException($"The hub acknowledged {res.Value.AckedSeq}, short of batch end {batch.LastSeq}.");
                }
            }
            long? remaining = null;
            long received = 0;
            var pullWatch = Stopwatch.StartNew();
            while (true)
            {
                var cursor = store.PullCursor;
                var request = new PullRequest
                {
                    NodeId = store.NodeId,
                    SchemaVersion = options.SchemaVersion,
                    Cursor = cursor,
                    Limit = _pullBatch.Size,
                    // Until one full pull has completed (a new node, or one rebuilt after losing its disk),
                    // also ask for the versions this node wrote itself: it may no longer hold them.
                    IncludeOwn = store.GetState("initial_pull_done") is null,
                    CountRemaining = remaining is null,
                };
                var res = await _pullBatch.Measure(() => transport.PullAsync(request, correlationId, ct)).ConfigureAwait(false);
                up += res.BytesUp;
                down += res.BytesDown;
                if (res.Value.ResetRequired)
                {
                    // Away longer than the hub keeps deletions: pull everything again, keeping unsynced changes.
                    LogRebootstrap();
                    store.BeginRebootstrap();
                    remaining = null;
                    continue;
                }
                var applied = store.ApplyPulled(res.Value);
                pulled += applied.Applied;
                conflicts += applied.Conflicts;
                if (applied.Parked > 0) LogParked(applied.Parked);
                received += res.Value.Changes.Count;
                remaining = res.Value.Remaining ?? Math.Max(0, (remaining ?? 0) - res.Value.Changes.Count);
                if (res.Value.Changes.Count > 0) Progress?.Invoke(this, new SyncProgress(received, remaining.Value, pullWatch.Elapsed));
                if (!res.Value.HasMore || res.Value.NextCursor <= cursor)
                {
                    if (request.IncludeOwn) store.SetState("initial_pull_done", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                    if (store.Rebootstrapping) LogRebootstrapDone(store.FinishRebootstrap());
                    break;
                }
            }
            store.PruneAcknowledgedLog();
            outcome = SyncOutcome.Ok;
            Status.HubReachable = true;
            Status.AuthFailed = false;
            Status.LastError = null;
            Status.LastSuccessUtc = time.GetUtcNow();
        }
        catch (SyncRefusedException ex)
        {
            outcome = SyncOutcome.Refused;
            error = ex.Message;
            Status.HubReachable = true;
            Status.AuthFailed = ex.IsAuthentication;
            Status.LastError = ex.Message;
            LogRefused(ex.StatusCode, ex.Message);
        }
        catch (Exception ex) when (IsUnreachable(ex) && !ct.IsCancellationRequested)
        {
            outcome = SyncOutcome.Unreachable;
            error = "hub unreachable: " + ex.Message;
            Status.HubReachable = false;
            Status.LastError = error;
            LogUnreachable(ex.GetType().Name, ex.Message);
        }
#pragma warning disable CA1031 // The cycle boundary: any failure is recorded and the next cycle tries again.
        catch (Exception ex) when (!ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            outcome = SyncOutcome.Failed;
            error = ex.Message;
            Status.LastError = ex.Message;
            LogFailed(ex);
        }
        finally
        {
            Status.Running = false;
        }

        var result = new SyncCycleResult(outcome, pushed, pulled, conflicts, rejected, watch.ElapsedMilliseconds, up, down, error, correlationId);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant());
        SyncMetrics.Cycles.Add(1, outcomeTag);
        if (outcome != SyncOutcome.Ok) SyncMetrics.Failures.Add(1, outcomeTag);
        SyncMetrics.Duration.Record(result.DurationMs, outcomeTag);
        SyncMetrics.Rows.Add(pushed, new KeyValuePair<string, object?>("direction", "push"));
        SyncMetrics.Rows.Add(pulled, new KeyValuePair<string, object?>("direction", "pull"));
        SyncMetrics.Bytes.Add(up, new KeyValuePair<string, object?>("direction", "up"));
        SyncMetrics.Bytes.Add(down, new KeyValuePair<string, object?>("direction", "down"));
        SyncMetrics.Conflicts.Add(conflicts);
        SyncMetrics.Rejected.Add(rejected);
        Status.LastCycle = result;
        try
        {
            store.RecordCycle(new SyncCycleRecord
            {
                StartedUtc = started, DurationMs = result.DurationMs, Pushed = pushed, Pulled = pulled, Conflicts = conflicts,
                Rejected = rejected, BytesUp = up, BytesDown = down, Result = outcome.ToString().ToLowerInvariant(), Error = error,
                CorrelationId = correlationId,
            });
        }
#pragma warning disable CA1031 // The history is a diagnostic: failing to write it (disk full, busy) must not fail the node.
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
#pragma warning restore CA1031
        {
            LogHistoryFailed(ex);
        }
        LogCycle(outcome, pushed, pulled, conflicts, rejected, result.DurationMs, up, down);
        CycleCompleted?.Invoke(this, result);
        return result;
    }

    private static bool IsUnreachable(Exception ex) => ex switch
    {
        HttpRequestException => true,
        System.Net.Sockets.SocketException => true,
        TimeoutException => true,
        TaskCanceledException => true,
        IOException => true,
        _ => ex.GetType().FullName?.StartsWith("Polly.", StringComparison.Ordinal) == true,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync cycle {Outcome}: pushed {Pushed}, pulled {Pulled}, conflicts {Conflicts}, rejected {Rejected} in {DurationMs} ms ({BytesUp} B up, {BytesDown} B down)")]
    private partial void LogCycle(SyncOutcome outcome, int pushed, int pulled, int conflicts, int rejected, long durationMs, long bytesUp, long bytesDown);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub refused sync ({StatusCode}): {Reason}")]
    private partial void LogRefused(int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub unreachable ({ErrorType}): {Reason}")]
    private partial void LogUnreachable(string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hub says this node was away longer than it keeps deletions: pulling the whole scope again")]
    private partial void LogRebootstrap();

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-bootstrap finished; {Removed} rows deleted elsewhere while away were removed")]
    private partial void LogRebootstrapDone(int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hub has acknowledged up to {AckedSeq}, beyond this database's log: it is a restored copy and takes a new store id")]
    private partial void LogRestoredCopy(long ackedSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hub runs a newer schema: {Parked} changes carry tables or columns this node does not have yet; they are kept and applied when this node is upgraded")]
    private partial void LogParked(int parked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the sync cycle in the history")]
    private partial void LogHistoryFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync cycle failed")]
    private partial void LogFailed(Exception ex);
}
