using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EGovEdge.Benchmarks;

// EGovEdge sync benchmarks (issue 5 §7). See docs/BENCHMARKS.md.
//   dotnet run -c Release --project tests/EGovEdge.Benchmarks                 full run (the documented figures)
//   dotnet run -c Release --project tests/EGovEdge.Benchmarks -- quick        10k rows: a development run
//   dotnet run -c Release --project tests/EGovEdge.Benchmarks -- only=store,hub
if (args is [RssProbe.ChildVerb, ..]) return await RssProbe.ChildMainAsync(args);

var settings = BenchSettings.From(args);
if (args.FirstOrDefault(a => a.StartsWith("profile=", StringComparison.Ordinal)) is { } profile)
{
    // Development aid: one engine path in a loop with nothing else around it, to run under dotnet-trace.
    return await Profiling.RunAsync(profile[8..], settings);
}
var total = Stopwatch.StartNew();
var machine = new Machine();
using var load = new LoadSampler();
var report = new Report();
Console.WriteLine($"EGovEdge sync benchmarks{(settings.Quick ? " (QUICK MODE)" : "")}: sections {string.Join(", ", settings.Sections)}, " +
                  $"{settings.Rows:N0} rows, work dir {settings.WorkDir}");
foreach (var line in machine.Lines()) Console.WriteLine("  " + line);
Directory.CreateDirectory(settings.WorkDir);
try
{
    if (settings.Has("store"))
    {
        Console.WriteLine($"\n== capture_overhead, apply_vs_raw (BenchmarkDotNet, in-process) [{total.Elapsed.TotalSeconds:0} s] ==");
        StoreBenchmarks.Settings = settings;
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(settings.BdnWarmups)
            .WithIterationCount(settings.BdnIterations)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("short");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(settings.WorkDir, "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<StoreBenchmarks>(config);
        double? Median(string method) => summary.Reports
            .FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Median / 1e9;
        var plain = Median(nameof(StoreBenchmarks.Plain));
        var capture = Median(nameof(StoreBenchmarks.Capture));
        var apply = Median(nameof(StoreBenchmarks.Apply));
        if (plain is null || capture is null || apply is null) throw new InvalidOperationException("a BenchmarkDotNet benchmark failed; see its log above");
        var method = $"BenchmarkDotNet {settings.BdnWarmups} warm-up + {settings.BdnIterations} iterations, median";
        report.Add(new Figure("capture_overhead", capture.Value / plain.Value, "ratio", "raw prepared insert, capture off",
            $"{plain:0.000} s ({settings.Rows / plain:0} rows/s)", "≤ 1.4", capture / plain <= 1.4, method));
        report.Add(new Figure("apply_vs_raw", plain.Value / apply.Value, "ratio", "raw prepared insert, capture off",
            $"{plain:0.000} s ({settings.Rows / plain:0} rows/s)", "≥ 0.5", plain / apply >= 0.5, method));
        report.Extra("insert with capture", $"{settings.Rows / capture:0} rows/s", $"{capture:0.000} s");
        report.Extra("ApplyPulled", $"{settings.Rows / apply:0} rows/s", $"{apply:0.000} s, pages of {settings.ApplyPageSize:N0}");
        Console.WriteLine("\n== the same, Stopwatch, interleaved rounds (cross-check) ==");
        var x = StoreBenchmarks.Interleaved(settings, settings.Runs);
        report.Extra("cross-check: capture_overhead, interleaved Stopwatch", Report.N(x.Capture / x.Plain, "0.000"),
            $"plain {x.Plain:0.000} s, capture {x.Capture:0.000} s; median of {settings.Runs} rounds after a warm-up round");
        report.Extra("cross-check: apply_vs_raw, interleaved Stopwatch", Report.N(x.Plain / x.Apply, "0.000"),
            $"plain {x.Plain:0.000} s, apply {x.Apply:0.000} s");
    }

    if (settings.Has("sync") || settings.Has("rss"))
    {
        Console.WriteLine($"\n== hub with the seed documents [{total.Elapsed.TotalSeconds:0} s] ==");
        var hubTownships = SyncScenarios.Townships(settings);
        await using var hub = await HubHost.StartAsync(Path.Combine(settings.WorkDir, "hub1"), hubTownships);
        var seed = SyncScenarios.SeedRows(settings);
        var took = SyncScenarios.PopulateHub(hub, seed);
        report.Extra("hub ingest (HubStore.ApplyPush in-process, batches of 5,000)", $"{settings.Rows / took.TotalSeconds:0} rows/s", $"{took.TotalSeconds:0.00} s for {settings.Rows:N0} rows");
        if (settings.Has("sync"))
        {
            Console.WriteLine($"\n== bootstrap, wire, no-op, upload (Stopwatch) [{total.Elapsed.TotalSeconds:0} s] ==");
            await new SyncScenarios(settings, report).RunAsync(hub, seed);
        }
        if (settings.Has("rss"))
        {
            Console.WriteLine($"\n== edge memory (child processes) [{total.Elapsed.TotalSeconds:0} s] ==");
            await new RssProbe(settings, report).RunAsync(hub, seed.Count);
        }
    }

    if (settings.Has("office"))
    {
        Console.WriteLine($"\n== seal_overhead: print and seal a document (Stopwatch) [{total.Elapsed.TotalSeconds:0} s] ==");
        new OfficeBench(settings, report).Run();
    }

    if (settings.Has("supervision"))
    {
        Console.WriteLine($"\n== dashboard_year_vs_scan: the supervision report over a county year (Stopwatch) [{total.Elapsed.TotalSeconds:0} s] ==");
        new SupervisionBench(settings, report).Run();
    }

    if (settings.Has("hub"))
    {
        Console.WriteLine($"\n== hub under many townships (Stopwatch) [{total.Elapsed.TotalSeconds:0} s] ==");
        await using var hub = await HubHost.StartAsync(Path.Combine(settings.WorkDir, "hub2"), HubLoad.Townships(settings));
        await new HubLoad(settings, report).RunAsync(hub);
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    try
    {
        Directory.Delete(settings.WorkDir, recursive: true);
    }
    catch (IOException ex)
    {
        Console.WriteLine($"could not remove {settings.WorkDir}: {ex.Message}");
    }
}

report.Print(machine, load, total.Elapsed, settings);
return 0;
