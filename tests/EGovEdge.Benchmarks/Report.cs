using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace EGovEdge.Benchmarks;

/// <summary>One contract figure: the value, the baseline it was measured against in this run, the goal.</summary>
internal sealed record Figure(
    string Name,
    double Value,
    string Unit,
    string Baseline,
    string BaselineValue,
    string Goal,
    bool? Met,
    string Method);

/// <summary>Figures and extra observations of one run; prints the table and the <c>metric name value unit</c> lines.</summary>
internal sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly List<(string Name, string Value, string Note)> _extras = [];

    public void Add(Figure f)
    {
        _figures.Add(f);
        Console.WriteLine($"  -> {f.Name} = {Format(f.Value, f.Unit)} {f.Unit}  (baseline: {f.Baseline} = {f.BaselineValue}; goal {f.Goal})");
    }

    public void Extra(string name, string value, string note = "")
    {
        _extras.Add((name, value, note));
        Console.WriteLine($"  .. {name}: {value} {note}");
    }

    public static string Format(double v, string unit) => unit switch
    {
        "ratio" => v.ToString("0.000", CultureInfo.InvariantCulture),
        "s" => v.ToString("0.000", CultureInfo.InvariantCulture),
        "ms" => v.ToString("0.00", CultureInfo.InvariantCulture),
        "MB" => v.ToString("0.0", CultureInfo.InvariantCulture),
        "bytes" => v.ToString("0.0", CultureInfo.InvariantCulture),
        "requests" => v.ToString("0.##", CultureInfo.InvariantCulture),
        "rows/s" => v.ToString("0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    public static string N(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);

    public void Print(Machine machine, LoadSampler load, TimeSpan total, BenchSettings settings)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("## Results" + (settings.Quick ? " (QUICK MODE: sizes reduced, figures not comparable with the goals)" : ""));
        sb.AppendLine();
        sb.AppendLine("| figure | value | unit | baseline (same run) | baseline value | goal | met | method |");
        sb.AppendLine("|---|---:|---|---|---:|---|---|---|");
        foreach (var f in _figures)
        {
            var met = f.Met switch { true => "yes", false => "**no**", null => "-" };
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {Format(f.Value, f.Unit)} | {f.Unit} | {f.Baseline} | {f.BaselineValue} | {f.Goal} | {met} | {f.Method} |");
        }
        if (_extras.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| observation | value | note |");
            sb.AppendLine("|---|---:|---|");
            foreach (var (name, value, note) in _extras) sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} | {note} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        foreach (var line in machine.Lines()) sb.AppendLine("- " + line);
        sb.AppendLine("- " + load.Summary());
        sb.AppendLine(CultureInfo.InvariantCulture, $"- total run time: {total.TotalSeconds:0.0} s");
        sb.AppendLine();
        foreach (var f in _figures)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"metric {f.Name} {Format(f.Value, f.Unit)} {f.Unit}");
        }
        Console.Write(sb.ToString());
    }
}

/// <summary>What the figures were measured on.</summary>
internal sealed class Machine
{
    public IEnumerable<string> Lines()
    {
        yield return $"nproc: {Environment.ProcessorCount}";
        yield return $"CPU: {CpuModel()}";
        yield return $"RAM: {MemTotalGb()}";
        yield return $"OS: {OsName()} ({RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture})";
        yield return $".NET: {RuntimeInformation.FrameworkDescription}, Server GC {System.Runtime.GCSettings.IsServerGC}, " +
                     $"SQLite {SqliteVersion()}";
        yield return $"disk of the databases: {Path.GetTempPath()} ({FsType(Path.GetTempPath())})";
    }

    private static string CpuModel() => ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string MemTotalGb()
    {
        var kb = ReadField("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(kb, out var k) ? $"{k / 1024.0 / 1024.0:0.0} GiB" : "unknown";
    }

    private static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            return line?[12..].Trim('"') ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string SqliteVersion()
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        conn.Open();
        return conn.ServerVersion;
    }

    private static string FsType(string path)
    {
        try
        {
            var best = "";
            var type = "unknown";
            foreach (var l in File.ReadLines("/proc/mounts"))
            {
                var p = l.Split(' ');
                if (p.Length > 2 && path.StartsWith(p[1], StringComparison.Ordinal) && p[1].Length > best.Length)
                {
                    best = p[1];
                    type = $"{p[2]} on {p[0]}";
                }
            }
            return type;
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? ReadField(string file, string key)
    {
        try
        {
            foreach (var l in File.ReadLines(file))
            {
                var i = l.IndexOf(':', StringComparison.Ordinal);
                if (i > 0 && l[..i].Trim() == key) return l[(i + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return null;
    }
}

/// <summary>Samples /proc/loadavg every 2 s during the run.</summary>
internal sealed class LoadSampler : IDisposable
{
    private readonly List<double> _one = [];
    private readonly Timer _timer;
    private readonly string _start;

    public LoadSampler()
    {
        _start = Read() ?? "n/a";
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    private static string? Read()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void Sample()
    {
        var s = Read();
        if (s is null) return;
        if (double.TryParse(s.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            lock (_one) _one.Add(v);
        }
    }

    public string Summary()
    {
        lock (_one)
        {
            var end = Read() ?? "n/a";
            if (_one.Count == 0) return $"load average: start {_start}, end {end}";
            return $"load average (1 min) during the run: min {_one.Min():0.00}, mean {_one.Average():0.00}, max {_one.Max():0.00} " +
                   $"({_one.Count} samples every 2 s); /proc/loadavg at start \"{_start}\", at end \"{end}\"";
        }
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>Stopwatch runs: warm-ups, then the median of the timed runs.</summary>
internal static class Measure
{
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * v.Length);
        return v[Math.Clamp(rank - 1, 0, v.Length - 1)];
    }

    /// <summary>Runs <paramref name="once"/> (which returns the duration it measured) warm-up + timed times.</summary>
    public static async Task<(double Median, double[] Runs)> MedianOf(int warmups, int runs, Func<int, Task<double>> once, string label)
    {
        for (var i = 0; i < warmups; i++)
        {
            var w = await once(-1 - i).ConfigureAwait(false);
            Console.WriteLine($"     {label} warm-up: {w:0.###}");
        }
        var list = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            list[i] = await once(i).ConfigureAwait(false);
            Console.WriteLine($"     {label} run {i + 1}: {list[i]:0.###}");
        }
        return (Median(list), list);
    }

    public static string Runs(IEnumerable<double> runs, string format = "0.###") =>
        string.Join(" / ", runs.Select(r => r.ToString(format, CultureInfo.InvariantCulture)));

    public static double Seconds(Stopwatch sw) => sw.Elapsed.TotalSeconds;
}
