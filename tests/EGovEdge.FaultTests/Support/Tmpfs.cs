using System.Diagnostics;
using System.Globalization;

namespace EGovEdge.FaultTests.Support;

/// <summary>
/// A size-limited tmpfs mounted on a node's data folder (<c>mount -t tmpfs -o size=3m tmpfs DIR</c>; needs root), so the
/// node meets a real ENOSPC. <see cref="ResizeAsync"/> is <c>mount -o remount,size=…</c>. Disposing kills the node that
/// uses the folder (a busy mount cannot be unmounted), copies the contents next to it when the workspace keeps its files,
/// and unmounts. Each mount is recorded in /tmp/egov-fault-mounts, so a run that was itself killed leaves nothing mounted
/// after the next run starts (only mounts recorded there, whose test process is gone, are touched).
/// </summary>
internal sealed class Tmpfs : IAsyncDisposable
{
    private static readonly string MarkerDir = Path.Combine(Path.GetTempPath(), "egov-fault-mounts");
    private readonly TestWorkspace _workspace;
    private readonly NodeProcess? _user;
    private readonly string _marker;
    private bool _mounted;

    private Tmpfs(string path, TestWorkspace workspace, NodeProcess? user, string marker)
    {
        MountPath = path;
        _workspace = workspace;
        _user = user;
        _marker = marker;
    }

    public string MountPath { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "3m") on <paramref name="path"/>; fails the test with the reason when it cannot.</summary>
    public static async Task<Tmpfs> MountAsync(string path, string size, TestWorkspace workspace, NodeProcess? user)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ReapStale(workspace.Log);
        Directory.CreateDirectory(path);
        if (Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new InvalidOperationException($"{path} is not empty; a tmpfs would hide its contents.");
        }
        Directory.CreateDirectory(MarkerDir);
        var marker = System.IO.Path.Combine(MarkerDir, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Guid.NewGuid():N}"));
        await File.WriteAllTextAsync(marker, $"{Environment.ProcessId} {ProcessStart(Environment.ProcessId)}\n{path}\n");
        var r = await RunAsync("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", path);
        if (r.Code != 0)
        {
            File.Delete(marker);
            throw new InvalidOperationException(
                $"Cannot mount a {size} tmpfs on {path} (`mount -t tmpfs` exit {r.Code}: {r.Output.Trim()}). The full-disk test needs root " +
                "(or CAP_SYS_ADMIN) to give the edge a really full disk; run the fault tests as root.");
        }
        var fs = new Tmpfs(path, workspace, user, marker) { _mounted = true };
        workspace.Log($"tmpfs {size} mounted on {path}");
        return fs;
    }

    /// <summary>Free bytes on the mount (statvfs).</summary>
    public long FreeBytes => new DriveInfo(MountPath).AvailableFreeSpace;

    public async Task ResizeAsync(string size)
    {
        var r = await RunAsync("mount", "-o", "remount,size=" + size, MountPath);
        if (r.Code != 0) throw new InvalidOperationException($"`mount -o remount,size={size} {MountPath}` failed (exit {r.Code}): {r.Output.Trim()}");
        _workspace.Log($"tmpfs on {MountPath} remounted with size={size} ({FreeBytes / 1024} KiB free)");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_mounted) return;
        _user?.Kill();
        if (_workspace.KeepFiles)
        {
            var copy = MountPath.TrimEnd('/') + "-tmpfs-copy";
            try
            {
                CopyTree(MountPath, copy);
                _workspace.Log($"contents of the tmpfs copied to {copy}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _workspace.Log($"could not copy the tmpfs contents: {ex.Message}");
            }
        }
        var r = await RunAsync("umount", MountPath);
        if (r.Code != 0)
        {
            _workspace.Log($"umount {MountPath} failed ({r.Output.Trim()}); detaching it lazily");
            r = await RunAsync("umount", "-l", MountPath);
        }
        if (r.Code == 0)
        {
            _mounted = false;
            File.Delete(_marker);
        }
        else
        {
            _workspace.Log($"could not unmount {MountPath}: {r.Output.Trim()} (the next run unmounts it)");
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, f));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(f, target, overwrite: true);
        }
    }

    /// <summary>Unmounts tmpfs mounts recorded by test processes that no longer run.</summary>
    private static void ReapStale(Action<string> log)
    {
        if (!Directory.Exists(MarkerDir)) return;
        var mounts = File.Exists("/proc/mounts") ? File.ReadAllLines("/proc/mounts") : [];
        foreach (var marker in Directory.EnumerateFiles(MarkerDir))
        {
            try
            {
                var lines = File.ReadAllLines(marker);
                if (lines.Length < 2) continue;
                var owner = lines[0].Split(' ', 2);
                if (int.TryParse(owner[0], CultureInfo.InvariantCulture, out var pid) && owner.Length == 2 && ProcessStart(pid) == owner[1]) continue; // still running
                var path = lines[1];
                if (mounts.Any(m => m.Split(' ') is [ "tmpfs", var point, "tmpfs", ..] && point == path))
                {
                    using var p = Process.Start(new ProcessStartInfo("umount", ["-l", path]) { UseShellExecute = false });
                    p?.WaitForExit(10_000);
                    log($"unmounted a tmpfs left by an earlier run that was killed: {path}");
                }
                File.Delete(marker);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    /// <summary>Start time of a process (field 22 of /proc/PID/stat), "" when it does not exist.</summary>
    private static string ProcessStart(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[19];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return "";
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(cts.Token);
            return (p.ExitCode, await output + await error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{file} could not be started: {ex.Message}");
        }
    }
}
