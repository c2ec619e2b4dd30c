using System.Diagnostics;
using System.Globalization;

namespace EGovEdge.Testing;

/// <summary>
/// Safety net so no node outlives the tests: every started process is registered here and killed when the test
/// process exits (<see cref="AppDomain.ProcessExit"/>). A test process that was itself killed with SIGKILL cannot
/// clean up, so each child is also recorded in a pid file (/tmp/egov-test-nodes) and the next test run kills the
/// children of test processes that are gone (matching the child's start time, so a recycled pid is never hit).
/// </summary>
public static class ProcessJanitor
{
    private static readonly Dictionary<int, Process> Live = [];
    private static readonly Lock Gate = new();
    private static readonly string PidDir = Path.Combine(Path.GetTempPath(), "egov-test-nodes");
    private static readonly int Self = Environment.ProcessId;

    static ProcessJanitor()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
        ReapOrphans();
    }

    /// <summary>Tracks a started child until <see cref="Forget"/>.</summary>
    public static void Track(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        lock (Gate) Live[process.Id] = process;
        try
        {
            Directory.CreateDirectory(PidDir);
            File.WriteAllText(PidFile(process.Id), $"{Self} {StartTime(Self)} {process.Id} {StartTime(process.Id)}\n");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static void Forget(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        lock (Gate) Live.Remove(process.Id);
        try
        {
            File.Delete(PidFile(process.Id));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static void KillAll()
    {
        List<Process> all;
        lock (Gate) all = [.. Live.Values];
        foreach (var p in all)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
            Forget(p);
        }
    }

    private static string PidFile(int child) => Path.Combine(PidDir, $"{Self}.{child}");

    /// <summary>Kills children left behind by test processes that no longer exist.</summary>
    private static void ReapOrphans()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(PidDir)) return;
        foreach (var file in Directory.EnumerateFiles(PidDir))
        {
            try
            {
                var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length < 4) continue;
                int owner = int.Parse(parts[0], CultureInfo.InvariantCulture), child = int.Parse(parts[2], CultureInfo.InvariantCulture);
                if (owner == Self) continue;
                if (StartTime(owner) == parts[1]) continue; // the owning test process still runs
                if (StartTime(child) == parts[3] && parts[3].Length > 0)
                {
                    using var orphan = Process.GetProcessById(child);
                    orphan.Kill(entireProcessTree: true);
                }
                File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or FormatException or ArgumentException or InvalidOperationException
                                           or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot), or "" when the process is gone.</summary>
    private static string StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return rest.Length > 19 ? rest[19] : "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
