using System.Globalization;

namespace EGovEdge.FaultTests.Support;

/// <summary>Waiting for sync to settle, by polling the nodes (API and read-only SQLite), never by sleeping.</summary>
internal static class Quiet
{
    /// <summary>Until the edge has nothing left to push and its last cycle reached the hub.</summary>
    public static Task<SyncStatus> WaitForEdgeAsync(EdgeNode edge, TimeSpan timeout) =>
        Poll.WaitForAsync(
            () =>
            {
                edge.EnsureRunning();
                return edge.Api.GetSyncStatusAsync();
            },
            s => s.PendingChanges == 0 && s.HubReachable == true && s.LastError is null && s.LastSuccessUtc is not null,
            timeout, $"{edge.Name}: nothing pending and the last sync successful");

    /// <summary>The edge's pull cursor (hub sequence applied up to), from its database.</summary>
    public static long PullCursor(EdgeNode edge) =>
        edge.Db.Long("SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM _sync_state WHERE key = 'pull_cursor'), 0)");

    public static long HubSequence(HubNode hub) => hub.Db.Long("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log");

    /// <summary>
    /// Until every edge has nothing pending, its last cycle succeeded and its pull cursor has reached the hub's newest
    /// sequence, and the hub's sequence has not moved between two such observations (nothing more in flight).
    /// </summary>
    public static async Task WaitForCountyAsync(HubNode hub, IReadOnlyList<EdgeNode> edges, TimeSpan timeout, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(edges);
        long? settledAt = null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Poll.WaitForAsync(async () =>
        {
            var previous = settledAt;
            settledAt = null; // stays null unless this observation is quiet from start to end
            hub.EnsureRunning();
            var max = HubSequence(hub);
            var parts = new List<string>();
            var quiet = true;
            foreach (var edge in edges)
            {
                edge.EnsureRunning();
                var s = await edge.Api.GetSyncStatusAsync();
                var cursor = PullCursor(edge);
                var ok = s.PendingChanges == 0 && s.HubReachable == true && s.LastError is null && cursor >= max;
                quiet &= ok;
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{edge.Name}: pending {s.PendingChanges}, cursor {cursor}/{max}, reachable {s.HubReachable}, circuit {s.Circuit}, error {s.LastError ?? "-"}"));
            }
            var state = string.Join("; ", parts);
            if (!quiet) return (Done: false, State: state);
            settledAt = max;
            if (previous == max) return (Done: true, State: state);
            return (Done: false, State: state + " (once more to be sure)");
        }, r => r.Done, timeout, "the county to settle (every edge: nothing pending, last sync ok, pull cursor at the hub's sequence)",
            TimeSpan.FromMilliseconds(500));
        log(string.Create(CultureInfo.InvariantCulture, $"county settled in {watch.Elapsed.TotalSeconds:0.0} s at hub sequence {settledAt}"));
    }
}
