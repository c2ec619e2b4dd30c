using System.Diagnostics;
using System.Globalization;
using System.Net;
using EGovEdge.Office;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Transport;

namespace EGovEdge.Benchmarks;

/// <summary>
/// A simulated township: speaks the sync protocol through <see cref="HttpSyncTransport"/> (gzip JSON, br/gzip answers)
/// without a local database, so that the 2 cores go to the hub. Its pushes are prepared before the clock starts.
/// </summary>
internal sealed class SimEdge(string node, string neighbour, HttpClient http, int seed)
{
    private readonly HttpSyncTransport _transport = new(http, () => new SyncCredentials(node, HubHost.Key));
    private readonly HlcClock _clock = new(node, TimeProvider.System);
    private readonly DocGen _gen = new(seed);
    private readonly string _storeId = "sim-" + node;
    private long _seq;

    public string Node { get; } = node;
    public long PullCursor { get; private set; }

    public PushRequest NextPush(int rows)
    {
        var now = DateTimeOffset.UtcNow;
        var changes = new List<SyncChange>(rows);
        for (var i = 0; i < rows; i++)
        {
            changes.Add(new SyncChange
            {
                Table = EGovEdge.Office.Documents.DocumentsTable.Name,
                Id = Guid.CreateVersion7(now).ToString(),
                Hlc = _clock.Next().ToString(),
                Origin = Node,
                Data = _gen.Document("|" + neighbour + "|", now),
            });
        }
        var first = _seq + 1;
        _seq += rows;
        return new PushRequest
        {
            NodeId = Node, SchemaVersion = OfficeSchema.Version, BatchId = $"{Node}:{first}-{_seq}", StoreId = _storeId,
            FirstSeq = first, LastSeq = _seq, Changes = changes,
        };
    }

    /// <summary>One cycle as the agent makes it: the push (if any), then pull pages until the hub has no more.</summary>
    public async Task<(double Ms, int Pushed, int Pulled)> CycleAsync(PushRequest? push)
    {
        var sw = Stopwatch.StartNew();
        var pushed = 0;
        if (push is not null)
        {
            var res = await _transport.PushAsync(push, Guid.NewGuid().ToString("N"), CancellationToken.None).ConfigureAwait(false);
            if (res.Value.AckedSeq != push.LastSeq || res.Value.Rejected.Count > 0)
            {
                throw new InvalidOperationException($"{Node}: push acked {res.Value.AckedSeq}, {res.Value.Rejected.Count} rejected ({res.Value.Rejected.FirstOrDefault()?.Reason})");
            }
            pushed = res.Value.Applied;
        }
        var pulled = 0;
        var first = true;
        while (true)
        {
            var req = new PullRequest
            {
                NodeId = Node, SchemaVersion = OfficeSchema.Version, Cursor = PullCursor, Limit = 500, CountRemaining = first,
            };
            first = false;
            var res = await _transport.PullAsync(req, Guid.NewGuid().ToString("N"), CancellationToken.None).ConfigureAwait(false);
            pulled += res.Value.Changes.Count;
            var next = res.Value.NextCursor;
            var more = res.Value.HasMore && next > PullCursor;
            PullCursor = Math.Max(PullCursor, next);
            if (!more) break;
        }
        return (sw.Elapsed.TotalMilliseconds, pushed, pulled);
    }
}

/// <summary>hub_100_edges_p99_ms, hub_rows_per_s and hub_1000_idle_p99_ms against a fresh hub.</summary>
internal sealed class HubLoad(BenchSettings s, Report report)
{
    public static IEnumerable<string> Townships(BenchSettings s) =>
        Enumerable.Range(1, s.HubEdges).Select(E)
            .Concat(Enumerable.Range(1, s.IdleEdges).Select(I))
            .Concat(["solo", "solo-peer", "idle-solo"]);

    private static string E(int i) => "e" + i.ToString("000", CultureInfo.InvariantCulture);

    private static string I(int i) => "i" + i.ToString("0000", CultureInfo.InvariantCulture);

    /// <summary>The simulated townships' client: a plain SocketsHttpHandler like the edge's, without retries (a failure is a failure).</summary>
    public static HttpClient Client(string hubUrl) => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = new Uri(hubUrl + "/"),
        Timeout = TimeSpan.FromSeconds(100),
    };

    public async Task RunAsync(HubHost hub)
    {
        using var http = Client(hub.Url);
        await ActiveAsync(http).ConfigureAwait(false);
        await IdleAsync(http).ConfigureAwait(false);
    }

    private async Task ActiveAsync(HttpClient http)
    {
        // Baseline: one township alone doing the same cycle (push 100, pull its neighbour's 100).
        var solo = new SimEdge("solo", "solo-peer", http, 5);
        var peer = new SimEdge("solo-peer", "solo", http, 6);
        var soloTimes = new List<double>();
        for (var k = 0; k < 2 + s.Runs * 3; k++)
        {
            await peer.CycleAsync(peer.NextPush(s.HubRowsPerEdge)).ConfigureAwait(false);
            var (ms, _, _) = await solo.CycleAsync(solo.NextPush(s.HubRowsPerEdge)).ConfigureAwait(false);
            if (k >= 2) soloTimes.Add(ms);
        }
        var soloMs = Measure.Median(soloTimes);

        var edges = Enumerable.Range(1, s.HubEdges).Select(i => new SimEdge(E(i), E(i % s.HubEdges + 1), http, 100 + i)).ToList();
        var latencies = new List<double>();
        var rates = new List<double>();
        var p99s = new List<double>();
        for (var round = -1; round < s.Runs; round++)
        {
            var pushes = edges.Select(e => e.NextPush(s.HubRowsPerEdge)).ToList();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = edges.Select(async (e, k) =>
            {
                await gate.Task.ConfigureAwait(false);
                return await e.CycleAsync(pushes[k]).ConfigureAwait(false);
            }).ToList();
            var sw = Stopwatch.StartNew();
            gate.SetResult();
            var results = await Task.WhenAll(tasks).ConfigureAwait(false);
            var wall = sw.Elapsed.TotalSeconds;
            var rows = results.Sum(r => r.Pushed + r.Pulled);
            var p99 = Measure.Percentile(results.Select(r => r.Ms), 99);
            Console.WriteLine($"     {s.HubEdges} edges round {(round < 0 ? "warm-up" : (round + 1).ToString(CultureInfo.InvariantCulture))}: " +
                              $"wall {wall:0.000} s, pushed {results.Sum(r => r.Pushed)}, pulled {results.Sum(r => r.Pulled)}, " +
                              $"p50 {Measure.Percentile(results.Select(r => r.Ms), 50):0} ms, p99 {p99:0} ms, {rows / wall:0} rows/s");
            if (round < 0) continue;
            latencies.AddRange(results.Select(r => r.Ms));
            rates.Add(rows / wall);
            p99s.Add(p99);
        }
        var p99All = Measure.Percentile(latencies, 99);
        report.Add(new Figure("hub_100_edges_p99_ms", p99All, "ms", "the same cycle by one township alone (median)", $"{soloMs:0.0} ms",
            "-", null, $"p99 of {latencies.Count} edge cycles (push {s.HubRowsPerEdge} + pull) in {s.Runs} rounds after a warm-up round"));
        var soloRate = 2.0 * s.HubRowsPerEdge / (soloMs / 1000.0);
        report.Add(new Figure("hub_rows_per_s", Measure.Median(rates), "rows/s", "one township alone", $"{soloRate:0} rows/s", "-", null,
            "(rows pushed + rows pulled) / round wall time, median of 3 rounds"));
        report.Extra("hub 100 edges", $"p50 {Measure.Percentile(latencies, 50):0} ms, p90 {Measure.Percentile(latencies, 90):0} ms, max {latencies.Max():0} ms",
            $"p99 per round {Measure.Runs(p99s, "0")} ms");
    }

    private async Task IdleAsync(HttpClient http)
    {
        var edges = Enumerable.Range(1, s.IdleEdges).Select(i => new SimEdge(I(i), "hub", http, 5000 + i)).ToList();
        // First contact (registers the township at the hub and moves its cursor to the end): not timed.
        foreach (var chunk in edges.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(e => e.CycleAsync(null))).ConfigureAwait(false);
        }
        var solo = new SimEdge("idle-solo", "hub", http, 9);
        await solo.CycleAsync(null).ConfigureAwait(false);
        var soloTimes = new List<double>();
        for (var k = 0; k < 25; k++)
        {
            var (ms, _, _) = await solo.CycleAsync(null).ConfigureAwait(false);
            if (k >= 5) soloTimes.Add(ms);
        }
        var soloMs = Measure.Median(soloTimes);

        var latencies = new List<double>();
        var p99s = new List<double>();
        for (var round = -1; round < s.Runs; round++)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = edges.Select(async e =>
            {
                await gate.Task.ConfigureAwait(false);
                return await e.CycleAsync(null).ConfigureAwait(false);
            }).ToList();
            var sw = Stopwatch.StartNew();
            gate.SetResult();
            var results = await Task.WhenAll(tasks).ConfigureAwait(false);
            var wall = sw.Elapsed.TotalSeconds;
            if (results.Any(r => r.Pulled != 0)) throw new InvalidOperationException("an idle township pulled rows");
            var p99 = Measure.Percentile(results.Select(r => r.Ms), 99);
            Console.WriteLine($"     {s.IdleEdges} idle polls round {(round < 0 ? "warm-up" : (round + 1).ToString(CultureInfo.InvariantCulture))}: " +
                              $"wall {wall:0.000} s, p50 {Measure.Percentile(results.Select(r => r.Ms), 50):0.0} ms, p99 {p99:0.0} ms, {s.IdleEdges / wall:0} polls/s");
            if (round < 0) continue;
            latencies.AddRange(results.Select(r => r.Ms));
            p99s.Add(p99);
        }
        report.Add(new Figure("hub_1000_idle_p99_ms", Measure.Percentile(latencies, 99), "ms", "one idle poll alone (median of 20)", $"{soloMs:0.00} ms",
            "-", null, $"p99 of {latencies.Count} polls: {s.IdleEdges} townships polling at the same instant, {s.Runs} rounds after a warm-up round"));
        report.Extra("hub 1000 idle", $"p50 {Measure.Percentile(latencies, 50):0.0} ms, p90 {Measure.Percentile(latencies, 90):0.0} ms, max {latencies.Max():0.0} ms",
            $"p99 per round {Measure.Runs(p99s, "0.0")} ms");
    }
}
