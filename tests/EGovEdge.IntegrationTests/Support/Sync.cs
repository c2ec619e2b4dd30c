using System.Collections.Concurrent;
using System.Globalization;

namespace EGovEdge.IntegrationTests.Support;

/// <summary>Waiting for sync outcomes, by polling the nodes' HTTP API.</summary>
internal static class Sync
{
    /// <summary>Generous: the edge's circuit breaker may hold calls back for 10 s after the hub comes back.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<Document> WaitForDocumentAsync(NodeProcess node, string id, Func<Document, bool>? condition = null, TimeSpan? timeout = null, string? what = null) =>
        (await Poll.WaitForAsync(
            () => { node.EnsureRunning(); return node.Api.GetDocumentAsync(id); },
            d => d is not null && (condition?.Invoke(d) ?? true),
            timeout ?? Timeout,
            what ?? $"document {id} on {node.Name}"))!;

    /// <summary>Until GET /api/documents/{id} answers 404.</summary>
    public static Task WaitForAbsentAsync(NodeProcess node, string id, TimeSpan? timeout = null) =>
        Poll.WaitUntilAsync(async () => { node.EnsureRunning(); return await node.Api.GetDocumentAsync(id) is null; }, timeout ?? Timeout, $"document {id} to be gone (404) on {node.Name}");

    public static Task<SyncStatus> WaitForStatusAsync(EdgeNode edge, Func<SyncStatus, bool> condition, string what, TimeSpan? timeout = null) =>
        Poll.WaitForAsync(() => { edge.EnsureRunning(); return edge.Api.GetSyncStatusAsync(); }, condition, timeout ?? Timeout, $"{edge.Name}: {what}");

    /// <summary>Until the edge has nothing left to push and its last cycle reached the hub.</summary>
    public static Task<SyncStatus> WaitForQuietAsync(EdgeNode edge, TimeSpan? timeout = null) =>
        WaitForStatusAsync(edge, s => s.PendingChanges == 0 && s.HubReachable == true && s.LastError is null && s.LastSuccessUtc is not null,
            "pendingChanges 0 after a successful sync", timeout);

    /// <summary>Creates <paramref name="count"/> documents with a few requests in flight at once; returns them in creation order.</summary>
    public static async Task<IReadOnlyList<Document>> CreateManyAsync(EdgeNode edge, int count, string titlePrefix, IReadOnlyList<string>? recipients = null, int parallelism = 8)
    {
        var docs = new ConcurrentDictionary<int, Document>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var title = string.Create(CultureInfo.InvariantCulture, $"{titlePrefix} 第{i + 1:0000}号");
            docs[i] = await edge.Api.CreateDocumentAsync(new NewDocument(title, "通知", "普通", $"{title} 的正文。", recipients ?? []), ct);
        });
        return [.. docs.OrderBy(kv => kv.Key).Select(kv => kv.Value)];
    }

    /// <summary>
    /// No row refused at the hub. A refusal of something that was in fact delivered twice (a re-sent batch after a lost
    /// answer) is a false alarm the township's staff would see on its 同步状态 page.
    /// </summary>
    public static void AssertNoRejections(HubNode hub)
    {
        var rows = hub.Db.Rows("SELECT node, tbl, reason, COUNT(*) AS n FROM hub_rejected GROUP BY node, tbl, reason");
        Assert.True(rows.Count == 0, "the hub refused rows: " + string.Join("; ", rows.Select(r => $"{r["n"]} x {r["node"]}/{r["tbl"]}: {r["reason"]}")));
    }

    /// <summary>A title unique to this test run, so shared nodes never mix up tests.</summary>
    public static string UniqueTitle(string text) => $"{text} [{Guid.NewGuid().ToString("N")[..8]}]";

    /// <summary>
    /// Rows the edge still has to push, counting audit entries (the status API's pendingChanges leaves those out):
    /// what the hub must receive, one hub_log row each.
    /// </summary>
    public static long RowsWaiting(EdgeNode edge) => edge.Db.Long(
        "SELECT COUNT(*) FROM (SELECT DISTINCT tbl, row_id FROM _sync_log WHERE seq > COALESCE((SELECT CAST(value AS INTEGER) FROM _sync_state WHERE key = 'push_cursor'), 0))");
}
