using System.Globalization;

namespace EGovEdge.Benchmarks;

/// <summary>
/// Sizes of a run. Full run by default (the figures in docs/BENCHMARKS.md). For development:
/// <c>quick</c> (or EGOV_BENCH_QUICK=1): 10,000 rows instead of 100,000, 1,000 updated rows instead of 10,000,
/// fewer BenchmarkDotNet iterations; the metric names stay the same but the figures are not comparable.
/// <c>only=store,sync,hub,rss</c> (or EGOV_BENCH_ONLY) runs only those sections.
/// </summary>
internal sealed record BenchSettings
{
    public bool Quick { get; init; }
    public int Rows { get; init; } = 100_000;
    public int UploadRows { get; init; } = 10_000;
    public int ApplyPageSize { get; init; } = 2_000;
    public int HubEdges { get; init; } = 100;
    public int HubRowsPerEdge { get; init; } = 100;
    public int IdleEdges { get; init; } = 1_000;
    public int Runs { get; init; } = 3;
    public int BdnWarmups { get; init; } = 1;
    public int BdnIterations { get; init; } = 3;
    public IReadOnlySet<string> Sections { get; init; } = AllSections;
    public string WorkDir { get; init; } = "";

    public static readonly IReadOnlySet<string> AllSections = new HashSet<string>(["store", "sync", "hub", "rss", "office", "supervision"], StringComparer.Ordinal);

    public bool Has(string section) => Sections.Contains(section);

    public static BenchSettings From(string[] args)
    {
        var quick = args.Contains("quick") || Environment.GetEnvironmentVariable("EGOV_BENCH_QUICK") is "1" or "true";
        var only = args.FirstOrDefault(a => a.StartsWith("only=", StringComparison.Ordinal))?[5..]
            ?? Environment.GetEnvironmentVariable("EGOV_BENCH_ONLY");
        var sections = string.IsNullOrWhiteSpace(only)
            ? AllSections
            : only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = sections.Except(AllSections).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown section(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllSections)}");
        var work = Path.Combine(Path.GetTempPath(), "egov-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var s = new BenchSettings { Sections = sections, WorkDir = work };
        return quick
            ? s with { Quick = true, Rows = 10_000, UploadRows = 1_000, BdnWarmups = 1, BdnIterations = 3 }
            : s;
    }
}
