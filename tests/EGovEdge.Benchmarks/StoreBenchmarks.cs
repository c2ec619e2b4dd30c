using BenchmarkDotNet.Attributes;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Benchmarks;

/// <summary>
/// capture_overhead and apply_vs_raw, run by BenchmarkDotNet in this process (InProcessEmitToolchain), one
/// operation = all rows into a fresh database (made in [IterationSetup], not timed).
/// <list type="bullet">
/// <item><see cref="Plain"/>: the raw baseline, a prepared INSERT reused in one transaction into the real documents table
/// (same columns and indexes) with the capture triggers dropped.</item>
/// <item><see cref="Capture"/>: the same inserts into an edge database with the capture triggers on.</item>
/// <item><see cref="Apply"/>: <see cref="EdgeStore.ApplyPulled"/> of the same rows as pulled pages.</item>
/// </list>
/// </summary>
// BenchmarkDotNet needs a public, unsealed class.
#pragma warning disable CA1001, CA1515
public class StoreBenchmarks
#pragma warning restore CA1001, CA1515
{
    /// <summary>Set by the program before the run (same process).</summary>
    internal static BenchSettings Settings { get; set; } = BenchSettings.From([]);

    private List<DocRow> _rows = [];
    private List<PullResponse> _pages = [];
    private string _dir = "";
    private string _db = "";
    private EdgeStore? _store;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Settings.WorkDir, "bdn");
        Directory.CreateDirectory(_dir);
        _db = Path.Combine(_dir, "store.db");
        _rows = new DocGen(1).Rows(Settings.Rows, "src", "*", DateTimeOffset.UtcNow.AddDays(-2));
        _pages = Pages(_rows, Settings.ApplyPageSize);
    }

    /// <summary>The rows as the hub serves them: pages of <paramref name="pageSize"/> changes with increasing hub sequence.</summary>
    internal static List<PullResponse> Pages(IReadOnlyList<DocRow> rows, int pageSize)
    {
        var pages = new List<PullResponse>();
        for (var start = 0; start < rows.Count; start += pageSize)
        {
            var n = Math.Min(pageSize, rows.Count - start);
            var changes = new List<SyncChange>(n);
            for (var i = start; i < start + n; i++) changes.Add(rows[i].ToChange(i + 1));
            pages.Add(new PullResponse { Changes = changes, NextCursor = start + n, HasMore = start + n < rows.Count });
        }
        return pages;
    }

    [IterationSetup(Target = nameof(Plain))]
    public void SetupPlain() => RawSql.NewPlainDb(_db, "bench");

    [IterationSetup(Target = nameof(Capture))]
    public void SetupCapture() => RawSql.NewEdgeDb(_db, "bench");

    [IterationSetup(Target = nameof(Apply))]
    public void SetupApply() => _store = RawSql.NewEdgeDb(_db, "bench");

    [IterationCleanup]
    public void Cleanup()
    {
        _store = null;
        RawSql.Delete(_db);
    }

    [Benchmark(Baseline = true, Description = "raw insert, capture off")]
    public void Plain() => RawSql.Insert(_db, _rows);

    [Benchmark(Description = "insert, capture on")]
    public void Capture() => RawSql.Insert(_db, _rows);

    [Benchmark(Description = "EdgeStore.ApplyPulled")]
    public int Apply()
    {
        var applied = 0;
        foreach (var page in _pages) applied += _store!.ApplyPulled(page).Applied;
        if (applied != _rows.Count) throw new InvalidOperationException($"applied {applied} of {_rows.Count}");
        return applied;
    }

    /// <summary>
    /// Cross-check of the BenchmarkDotNet figures, robust to load that drifts during the run: rounds of plain, capture,
    /// apply back to back (one warm-up round, then <paramref name="rounds"/>), median seconds of each.
    /// </summary>
    internal static (double Plain, double Capture, double Apply) Interleaved(BenchSettings s, int rounds)
    {
        var b = new StoreBenchmarks();
        b.Setup();
        var plain = new List<double>();
        var capture = new List<double>();
        var apply = new List<double>();
        for (var round = -1; round < rounds; round++)
        {
            b.SetupPlain();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            b.Plain();
            var tp = sw.Elapsed.TotalSeconds;
            b.Cleanup();
            b.SetupCapture();
            sw.Restart();
            b.Capture();
            var tc = sw.Elapsed.TotalSeconds;
            b.Cleanup();
            b.SetupApply();
            sw.Restart();
            b.Apply();
            var ta = sw.Elapsed.TotalSeconds;
            b.Cleanup();
            Console.WriteLine($"     interleaved round {(round < 0 ? "warm-up" : (round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}: " +
                              $"plain {tp:0.000} s, capture {tc:0.000} s, apply {ta:0.000} s");
            if (round < 0) continue;
            plain.Add(tp);
            capture.Add(tc);
            apply.Add(ta);
        }
        return (Measure.Median(plain), Measure.Median(capture), Measure.Median(apply));
    }
}
