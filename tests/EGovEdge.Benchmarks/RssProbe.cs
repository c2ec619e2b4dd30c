using System.Diagnostics;
using System.Globalization;

namespace EGovEdge.Benchmarks;

/// <summary>
/// edge_rss_idle_mb and edge_rss_bootstrap_mb: the edge's sync side (<see cref="EdgeRig"/>: EdgeStore, the edge's
/// "hub-sync" HttpClient with its Polly pipeline, HttpSyncTransport, EdgeSyncAgent) runs in a child process (this
/// program again, same runtimeconfig: Server GC like the edge app); the parent reads the child's peak RSS, VmHWM in
/// /proc/&lt;pid&gt;/status, when the child reports that it is done. The published edge (artifacts/publish/edge), when
/// present, is measured too, as an observation.
/// </summary>
internal sealed class RssProbe(BenchSettings s, Report report)
{
    public const string ChildVerb = "child-edge";

    /// <summary>Child side: <c>child-edge empty|idle|bootstrap HUBURL DBPATH NODE</c>. Prints DONE, waits for a line on stdin.</summary>
    public static async Task<int> ChildMainAsync(string[] args)
    {
        var mode = args[1];
        var result = "";
        if (mode != "empty")
        {
            using var rig = new EdgeRig(args[2], args[3], args[4], countBytes: false);
            var r = await rig.SyncAsync().ConfigureAwait(false);
            result = $"pulled={r.Pulled}";
            if (mode == "idle")
            {
                // An idle edge: nothing to do, polling now and then.
                for (var i = 0; i < 5; i++)
                {
                    await Task.Delay(200).ConfigureAwait(false);
                    await rig.SyncAsync().ConfigureAwait(false);
                }
            }
            Console.WriteLine($"DONE {result}");
            Console.Out.Flush();
            await Console.In.ReadLineAsync().ConfigureAwait(false);
            return 0;
        }
        Console.WriteLine("DONE empty");
        Console.Out.Flush();
        await Console.In.ReadLineAsync().ConfigureAwait(false);
        return 0;
    }

    public async Task RunAsync(HubHost hub, int expectedRows)
    {
        var dir = Path.Combine(s.WorkDir, "rss1");
        var db = Path.Combine(dir, "edge.db");
        var empty = await ChildAsync("empty", hub.Url, db, "rss1").ConfigureAwait(false);
        var (bootHwm, bootOut, bootSecs) = await ChildAsync("bootstrap", hub.Url, db, "rss1").ConfigureAwait(false);
        if (bootOut != $"pulled={expectedRows}") throw new InvalidOperationException($"the bootstrapping child said '{bootOut}'");
        var (idleHwm, idleOut, _) = await ChildAsync("idle", hub.Url, db, "rss1").ConfigureAwait(false);
        if (idleOut != "pulled=0") throw new InvalidOperationException($"the idle child said '{idleOut}'");
        report.Add(new Figure("edge_rss_idle_mb", idleHwm, "MB", "the same child process doing nothing (runtime only)", $"{empty.Hwm:0.0} MB", "-", null,
            "VmHWM of a child: opens the bootstrapped edge database, 6 no-op sync cycles"));
        report.Add(new Figure("edge_rss_bootstrap_mb", bootHwm, "MB", "the same child process doing nothing (runtime only)", $"{empty.Hwm:0.0} MB",
            "≤ 120 MB", bootHwm <= 120, $"VmHWM of a child bootstrapping {expectedRows:N0} rows ({bootSecs:0.0} s incl. start)"));
        RawSql.Delete(db);

        await PublishedEdgeAsync(hub, expectedRows).ConfigureAwait(false);
    }

    private static (string File, List<string> Args) Self()
    {
        var path = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(RssProbe).Assembly.Location;
        return Path.GetFileNameWithoutExtension(path) == "dotnet" ? (path, [dll]) : (path, []);
    }

    private static async Task<(double Hwm, string Out, double Seconds)> ChildAsync(string mode, string hubUrl, string db, string node)
    {
        var (file, args) = Self();
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args.Concat([ChildVerb, mode, hubUrl, db, node])) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the child");
        var errTask = p.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            string? line;
            while ((line = await p.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)) is not null && !line.StartsWith("DONE", StringComparison.Ordinal))
            {
            }
            if (line is null) throw new InvalidOperationException($"child {mode} ended without DONE: {await errTask.ConfigureAwait(false)}");
            var secs = sw.Elapsed.TotalSeconds;
            var hwm = StatusMb(p.Id, "VmHWM") ?? double.NaN;
            Console.WriteLine($"     child {mode}: VmHWM {hwm:0.0} MB, VmRSS {StatusMb(p.Id, "VmRSS"):0.0} MB ({line})");
            await p.StandardInput.WriteLineAsync().ConfigureAwait(false);
            await p.StandardInput.FlushAsync().ConfigureAwait(false);
            await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return (hwm, line[4..].Trim(), secs);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A field of /proc/PID/status in MB (the file gives kB).</summary>
    public static double? StatusMb(int pid, string field)
    {
        try
        {
            foreach (var l in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (!l.StartsWith(field + ":", StringComparison.Ordinal)) continue;
                var kb = l[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>
    /// The published edge (deploy/publish.sh output), if there: <c>EGovEdge.Edge sync bootstrap</c> (the technician's
    /// command line, VmHWM sampled every 20 ms until it exits) and the edge web app left idle for 10 s after it started.
    /// </summary>
    private async Task PublishedEdgeAsync(HubHost hub, int expectedRows)
    {
        var root = RepoRoot();
        var dll = root is null ? null : Path.Combine(root, "artifacts", "publish", "edge", "EGovEdge.Edge.dll");
        if (dll is null || !File.Exists(dll))
        {
            report.Extra("published edge", "not measured", "no artifacts/publish/edge/EGovEdge.Edge.dll (run deploy/publish.sh)");
            return;
        }
        var dataDir = Path.Combine(s.WorkDir, "pub1");
        try
        {
            var common = new[] { $"--EGov:DataDir={dataDir}", "--EGov:NodeId=pub1", $"--EGov:HubUrl={hub.Url}", $"--EGov:HubKey={HubHost.Key}" };
            var (code, hwm, secs) = await SampleAsync(dll, ["sync", "bootstrap", .. common], TimeSpan.FromMinutes(3), stopAfter: null).ConfigureAwait(false);
            report.Extra("published edge: `sync bootstrap` peak RSS", code == 0 ? $"{hwm:0.0} MB" : $"failed (exit {code})",
                $"{expectedRows:N0} rows, {secs:0.0} s incl. start; VmHWM sampled every 20 ms");
            var (_, idle, _) = await SampleAsync(dll, [.. common, "--EGov:Admin:Password=Bench-Passw0rd-2025!", "--urls=http://127.0.0.1:0",
                "--EGov:SyncIntervalSeconds=5"], TimeSpan.FromSeconds(30), stopAfter: TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            report.Extra("published edge: web app idle peak RSS", $"{idle:0.0} MB", "the whole edge (Blazor, Kestrel, Serilog, OpenTelemetry) 10 s after start, database bootstrapped");
        }
#pragma warning disable CA1031 // an observation only: report and go on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            report.Extra("published edge", "not measured", ex.Message);
        }
    }

    private static async Task<(int Code, double Hwm, double Seconds)> SampleAsync(string dll, string[] args, TimeSpan limit, TimeSpan? stopAfter)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the published edge");
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        double hwm = 0;
        try
        {
            while (!p.HasExited && sw.Elapsed < limit && (stopAfter is null || sw.Elapsed < stopAfter))
            {
                if (StatusMb(p.Id, "VmHWM") is { } v) hwm = Math.Max(hwm, v);
                await Task.Delay(20).ConfigureAwait(false);
            }
            if (stopAfter is not null)
            {
                if (p.HasExited) throw new InvalidOperationException($"the edge exited early ({p.ExitCode}): {Tail(await errTask.ConfigureAwait(false) + await outTask.ConfigureAwait(false))}");
                return (0, hwm, sw.Elapsed.TotalSeconds);
            }
            if (!p.HasExited) throw new TimeoutException("the published edge did not finish in time");
            await p.WaitForExitAsync().ConfigureAwait(false);
            if (p.ExitCode != 0) Console.WriteLine("     published edge said: " + Tail(await errTask.ConfigureAwait(false) + await outTask.ConfigureAwait(false)));
            return (p.ExitCode, hwm, sw.Elapsed.TotalSeconds);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync().ConfigureAwait(false);
            }
        }
    }

    private static string Tail(string s) => s.Length > 400 ? s[^400..] : s;

    private static string? RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "EGovEdge.sln"))) return d.FullName;
            }
        }
        return null;
    }
}
