using System.Diagnostics;
using EGovEdge.Office.Documents;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Protocol;

namespace EGovEdge.Benchmarks;

/// <summary>
/// Edge ⇄ hub over loopback HTTP with the real components: bootstrap_100k_s, bootstrap_vs_raw, wire_bytes_per_row,
/// wire_vs_json, noop_sync_ms, noop_requests, upload_10k_s. Stopwatch runs: one warm-up, median of 3.
/// </summary>
internal sealed class SyncScenarios(BenchSettings s, Report report)
{
    public const string Source = "src";

    private string Dir(string name) => Path.Combine(s.WorkDir, name);

    /// <summary>Names of the townships this section uses (the hub must know their keys).</summary>
    public static IEnumerable<string> Townships(BenchSettings s) =>
        new[] { Source }.Concat(Enumerable.Range(0, s.Runs + 1).Select(i => "boot" + i)).Concat(["rss1", "rss2", "pub1"]);

    /// <summary>The county-wide documents that the bootstraps pull (written by township "src" through the hub's push path).</summary>
    public static List<DocRow> SeedRows(BenchSettings s) => new DocGen(7).Rows(s.Rows, Source, Recipients.County, DateTimeOffset.UtcNow.AddDays(-3));

    public static TimeSpan PopulateHub(HubHost hub, IReadOnlyList<DocRow> rows)
    {
        var sw = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += 5000)
        {
            var n = Math.Min(5000, rows.Count - start);
            var batch = new PushRequest
            {
                NodeId = Source,
                SchemaVersion = EGovEdge.Office.OfficeSchema.Version,
                BatchId = $"{Source}:{start + 1}-{start + n}",
                StoreId = "bench-src",
                FirstSeq = start + 1,
                LastSeq = start + n,
                Changes = rows.Skip(start).Take(n).Select(r => r.ToChange()).ToList(),
            };
            var res = hub.Store.ApplyPush(Source, batch);
            if (res.Applied != n || res.Rejected.Count > 0) throw new InvalidOperationException($"hub refused seed rows: {res.Rejected.FirstOrDefault()?.Reason}");
        }
        return sw.Elapsed;
    }

    public async Task RunAsync(HubHost hub, IReadOnlyList<DocRow> seed)
    {
        // Raw baseline of this section: the same rows, prepared insert, one transaction, capture off. Each raw run
        // comes right before a bootstrap run (interleaved), so that both see the same machine load.
        var rawDb = Dir("raw.db");
        var rawRuns = new List<double>();
        double RawOnce()
        {
            RawSql.NewPlainDb(rawDb, "raw");
            var sw = Stopwatch.StartNew();
            RawSql.Insert(rawDb, seed);
            var t = sw.Elapsed.TotalSeconds;
            RawSql.Delete(rawDb);
            Console.WriteLine($"     raw insert (s): {t:0.000}");
            return t;
        }

        // Bootstrap: a fresh edge database, one sync cycle pulls everything.
        EdgeRig? last = null;
        var split = new List<(double Total, double Hub, double Client, double Edge)>();
        var bytes = new List<double>();
        var payload = new List<double>();
        var requests = new List<double>();
        var (boot, bootRuns) = await Measure.MedianOf(1, s.Runs, async i =>
        {
            var rawTime = RawOnce();
            if (i >= 0) rawRuns.Add(rawTime);
            var node = "boot" + (i < 0 ? 0 : i + 1);
            var dir = Dir(node);
            var rig = new EdgeRig(hub.Url, Path.Combine(dir, "edge.db"), node);
            var hubBefore = hub.Timing.Pull + hub.Timing.Push;
            var sw = Stopwatch.StartNew();
            var r = await rig.SyncAsync().ConfigureAwait(false);
            var t = sw.Elapsed.TotalSeconds;
            var hubTime = (hub.Timing.Pull + hub.Timing.Push - hubBefore).TotalSeconds;
            var waited = (rig.Timed.Pull + rig.Timed.Push).TotalSeconds;
            if (i >= 0) split.Add((t, hubTime, waited - hubTime, t - waited));
            if (r.Pulled != seed.Count) throw new InvalidOperationException($"bootstrap pulled {r.Pulled} of {seed.Count}");
            if (i >= 0)
            {
                bytes.Add(rig.Counter.Bytes);
                payload.Add(r.BytesUp + r.BytesDown);
                requests.Add(rig.Counter.Requests);
            }
            if (last is not null)
            {
                var old = last.Store.DatabasePath;
                last.Dispose();
                RawSql.Delete(old);
            }
            last = rig;
            return t;
        }, "bootstrap (s)").ConfigureAwait(false);
        var rig = last!;
        var raw = Measure.Median(rawRuns);
        report.Extra("raw insert, stopwatch", $"{Report.N(s.Rows / raw, "0")} rows/s",
            $"{s.Rows:N0} rows in {raw:0.000} s (runs {Measure.Runs(rawRuns)} s, each just before a bootstrap run); baseline of bootstrap_vs_raw");
        report.Add(new Figure("bootstrap_100k_s", boot, "s", $"raw insert of the same {s.Rows:N0} rows (stopwatch)", $"{raw:0.000} s",
            "≤ 1.0 s", boot <= 1.0, "Stopwatch, 1 warm-up, median of 3"));
        report.Add(new Figure("bootstrap_vs_raw", boot / raw, "ratio", "raw insert (stopwatch)", $"{raw:0.000} s", "≤ 2.5", boot / raw <= 2.5,
            "Stopwatch, 1 warm-up, median of 3 each, raw and bootstrap runs interleaved"));
        var mid = split.OrderBy(x => x.Total).ElementAt(split.Count / 2);
        report.Extra("bootstrap time split (median run)",
            $"hub {mid.Hub:0.00} s, HTTP + client decode {mid.Client:0.00} s, edge apply {mid.Edge:0.00} s",
            "Stopwatch sections: hub request pipeline (auth, HubStore.Pull, JSON, Brotli); transport wait minus that; the rest of the cycle (ApplyPulled, state)");
        report.Extra("bootstrap runs", Measure.Runs(bootRuns) + " s", $"{Report.N(s.Rows / boot, "0")} rows/s; {Report.N(Measure.Median(requests), "0")} HTTP requests per bootstrap");

        var plain = seed.Average(DocGen.PlainJsonBytes);
        var (titleBody, allData) = DocGen.AverageSizes(seed);
        var perRow = Measure.Median(bytes) / s.Rows;
        report.Add(new Figure("wire_bytes_per_row", perRow, "bytes", "plain JSON of the row (all 12 columns, compact UTF-8)", $"{plain:0.0} bytes",
            "-", null, "TCP bytes both ways (headers included) during the bootstrap, median of 3"));
        report.Add(new Figure("wire_vs_json", perRow / plain, "ratio", "plain JSON of the row", $"{plain:0.0} bytes", "≤ 0.4", perRow / plain <= 0.4,
            "as wire_bytes_per_row"));
        report.Extra("row size", $"{titleBody:0.0} B title+body, {allData:0.0} B all data columns", $"plain JSON {plain:0.0} B per row");
        report.Extra("sync payload per row", $"{Measure.Median(payload) / s.Rows:0.0} bytes", "compressed request + response bodies as HttpSyncTransport counts them (no HTTP headers)");
        report.Extra("wire total for the bootstrap", $"{Measure.Median(bytes) / 1e6:0.00} MB", $"{s.Rows:N0} rows");

        await NoopAsync(hub, rig).ConfigureAwait(false);
        await UploadAsync(hub, rig).ConfigureAwait(false);

        var path = rig.Store.DatabasePath;
        rig.Dispose();
        RawSql.Delete(path);
    }

    private async Task NoopAsync(HubHost hub, EdgeRig rig)
    {
        const int perRun = 20;
        // Baseline: the smallest round trip through the same client pipeline and server middleware (no database).
        var (ping, _) = await Measure.MedianOf(1, s.Runs, async _ =>
        {
            var sw = Stopwatch.StartNew();
            for (var k = 0; k < perRun; k++)
            {
                using var res = await rig.Http.PostAsync(new Uri(hub.Url + "/bench/ping"), new ByteArrayContent([])).ConfigureAwait(false);
                res.EnsureSuccessStatusCode();
            }
            return sw.Elapsed.TotalMilliseconds / perRun;
        }, "HTTP ping (ms)").ConfigureAwait(false);

        var before = rig.Counter.Requests;
        var cycles = 0;
        var (noop, runs) = await Measure.MedianOf(1, s.Runs, async _ =>
        {
            var sw = Stopwatch.StartNew();
            for (var k = 0; k < perRun; k++)
            {
                var r = await rig.SyncAsync().ConfigureAwait(false);
                if (r.Pushed + r.Pulled != 0) throw new InvalidOperationException("the no-op sync had something to do");
            }
            cycles += perRun;
            return sw.Elapsed.TotalMilliseconds / perRun;
        }, "no-op sync (ms)").ConfigureAwait(false);
        var requests = (double)(rig.Counter.Requests - before) / cycles;
        report.Add(new Figure("noop_sync_ms", noop, "ms", "empty HTTP POST round trip, same client and middleware", $"{ping:0.00} ms", "≤ 5 ms", noop <= 5,
            $"Stopwatch, median of 3 runs of the mean of {perRun} cycles"));
        report.Add(new Figure("noop_requests", requests, "requests", "-", "-", "1", requests <= 1, $"DelegatingHandler count over {cycles} cycles"));
        report.Extra("no-op sync runs", Measure.Runs(runs) + " ms", "EdgeSyncAgent.RunOnceAsync with nothing to push or pull");
    }

    private async Task UploadAsync(HubHost hub, EdgeRig rig)
    {
        // The edge writes its own documents, pushes them once (new rows), then edits all of them before each timed run.
        var gen = new DocGen(11);
        var rows = gen.Rows(s.UploadRows, rig.Node, "|" + Source + "|", DateTimeOffset.UtcNow.AddHours(-1));
        RawSql.Insert(rig.Store.DatabasePath, rows);
        var sw0 = Stopwatch.StartNew();
        var first = await rig.SyncAsync().ConfigureAwait(false);
        var firstTime = sw0.Elapsed.TotalSeconds;
        if (first.Pushed != rows.Count) throw new InvalidOperationException($"pushed {first.Pushed} of {rows.Count} new rows");
        report.Extra($"upload of {s.UploadRows:N0} new rows", $"{firstTime:0.000} s", "one sync cycle, first push of rows the hub does not have");

        var clock = new HlcClock(rig.Node, TimeProvider.System);
        var localTimes = new List<double>();
        var requests = new List<double>();
        var split = new List<(double Total, double Hub, double Client, double Edge)>();
        var (upload, runs) = await Measure.MedianOf(1, s.Runs, async i =>
        {
            var swLocal = Stopwatch.StartNew();
            RawSql.UpdateTitles(rig.Store.DatabasePath, rows, () => clock.Next().ToString(), gen);
            var local = swLocal.Elapsed.TotalSeconds;
            var before = rig.Counter.Requests;
            var hubBefore = hub.Timing.Pull + hub.Timing.Push;
            var waitedBefore = rig.Timed.Pull + rig.Timed.Push;
            var sw = Stopwatch.StartNew();
            var r = await rig.SyncAsync().ConfigureAwait(false);
            var t = sw.Elapsed.TotalSeconds;
            var hubTime = (hub.Timing.Pull + hub.Timing.Push - hubBefore).TotalSeconds;
            var waited = (rig.Timed.Pull + rig.Timed.Push - waitedBefore).TotalSeconds;
            if (i >= 0) split.Add((t, hubTime, waited - hubTime, t - waited));
            if (r.Pushed != rows.Count || r.Rejected != 0) throw new InvalidOperationException($"pushed {r.Pushed} of {rows.Count} updated rows, {r.Rejected} rejected");
            if (i >= 0)
            {
                localTimes.Add(local);
                requests.Add(rig.Counter.Requests - before);
            }
            return t;
        }, "upload updated rows (s)").ConfigureAwait(false);
        var baseline = Measure.Median(localTimes);
        report.Add(new Figure("upload_10k_s", upload, "s", $"the {s.UploadRows:N0} local updates themselves (one transaction, captured)", $"{baseline:0.000} s",
            "≤ 0.25 s", upload <= 0.25, "Stopwatch, 1 warm-up, median of 3; whole sync cycle"));
        var mid = split.OrderBy(x => x.Total).ElementAt(split.Count / 2);
        report.Extra("upload time split (median run)",
            $"hub {mid.Hub:0.00} s, HTTP + client encode/decode {mid.Client:0.00} s, edge {mid.Edge:0.00} s",
            "hub request pipeline (HubStore.ApplyPush ...); transport wait minus that; the rest (ReadPending, AckPush, state)");
        report.Extra("upload runs", Measure.Runs(runs) + " s", $"{Report.N(s.UploadRows / upload, "0")} rows/s; {Report.N(Measure.Median(requests), "0")} HTTP requests per cycle");
    }
}
