using System.Diagnostics;
using System.Globalization;

namespace EGovEdge.Testing;

/// <summary>
/// A hub or edge running as a child process: <c>dotnet &lt;dll&gt; --urls http://127.0.0.1:PORT --EGov:DataDir=DIR ...</c>,
/// working directory = the dll's folder (as deploy/demo.sh does), stdout+stderr appended to <see cref="LogFile"/>.
/// <see cref="Kill"/> is kill -9 of the whole tree; <see cref="RestartAsync"/> starts it again on the same port and files.
/// </summary>
public class NodeProcess : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Process? _process;

    /// <param name="credentials">User and password the <see cref="Api"/> client signs in with (POST /api/auth/token).</param>
    public NodeProcess(string name, AppBinary binary, string dataDir, IEnumerable<string> arguments, int? port = null, string? logFile = null,
        (string User, string Password)? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(arguments);
        Name = name;
        Binary = binary;
        DataDir = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(DataDir);
        Port = port ?? FreePorts.Next();
        LogFile = logFile ?? Path.Combine(Path.GetDirectoryName(DataDir)!, name + ".console.log");
        _arguments = [.. arguments];
        Api = new NodeApiClient(BaseUrl, credentials);
    }

    public string Name { get; }

    public AppBinary Binary { get; }

    public string DataDir { get; }

    public int Port { get; }

    public string BaseUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    public string LogFile { get; }

    private readonly List<string> _arguments;

    /// <summary>The app's own arguments after --urls and --EGov:DataDir.</summary>
    public IReadOnlyList<string> Arguments
    {
        get
        {
            lock (_gate) return [.. _arguments];
        }
    }

    /// <summary>
    /// Sets <c>--KEY=VALUE</c> for the next start (replacing any <c>--KEY=…</c> already there), or removes it when
    /// <paramref name="value"/> is null. E.g. <c>SetArgument("EGov:EnrollmentCode", code)</c> before a restart.
    /// </summary>
    public void SetArgument(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var prefix = "--" + key + "=";
        lock (_gate)
        {
            _arguments.RemoveAll(a => a.StartsWith(prefix, StringComparison.Ordinal));
            if (value is not null) _arguments.Add(prefix + value);
        }
    }

    /// <summary>Extra environment variables for the child (e.g. ASPNETCORE_ENVIRONMENT overrides).</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public NodeApiClient Api { get; }

    public int StartCount { get; private set; }

    public int? Pid
    {
        get
        {
            lock (_gate) return _process?.Id;
        }
    }

    public bool IsRunning
    {
        get
        {
            lock (_gate) return _process is { HasExited: false };
        }
    }

    /// <summary>Starts the process and returns at once (see <see cref="WaitHealthyAsync"/>).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false }) throw new InvalidOperationException($"{Name} is already running (pid {_process.Id}).");
            _process?.Dispose();
            var psi = new ProcessStartInfo("/bin/sh")
            {
                UseShellExecute = false,
                WorkingDirectory = Binary.Directory,
                RedirectStandardInput = true, // the app gets an empty stdin; closing it does not stop ASP.NET Core
            };
            // exec: the shell becomes dotnet (same pid), so Kill hits the app itself; output goes straight to the file.
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("exec \"$@\" >>\"$EGOV_TEST_LOG\" 2>&1");
            psi.ArgumentList.Add("sh");
            var launch = LaunchCommand(Binary);
            foreach (var part in launch) psi.ArgumentList.Add(part);
            psi.ArgumentList.Add("--urls");
            psi.ArgumentList.Add(BaseUrl);
            psi.ArgumentList.Add("--EGov:DataDir=" + DataDir);
            foreach (var a in _arguments) psi.ArgumentList.Add(a);
            psi.Environment["EGOV_TEST_LOG"] = LogFile;
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = Binary.Environment;
            psi.Environment.Remove("DOTNET_ENVIRONMENT");
            psi.Environment.Remove("ASPNETCORE_URLS");
            psi.Environment.Remove("ASPNETCORE_HTTP_PORTS");
            psi.Environment["DOTNET_NOLOGO"] = "1";
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            foreach (var (k, v) in Environment)
            {
                if (v is null) psi.Environment.Remove(k);
                else psi.Environment[k] = v;
            }
            File.AppendAllText(LogFile, string.Create(CultureInfo.InvariantCulture,
                $"\n===== {DateTimeOffset.Now:O} start #{StartCount + 1} of {Name}: {string.Join(' ', launch)} --urls {BaseUrl} --EGov:DataDir={DataDir} {string.Join(' ', _arguments)} (ASPNETCORE_ENVIRONMENT={Binary.Environment})\n"));
            var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
            p.Exited += (_, _) => OnExited(p);
            _killing = false;
            if (!p.Start()) throw new InvalidOperationException($"Could not start {Name}.");
            p.StandardInput.Close();
            _process = p;
            StartCount++;
            ProcessJanitor.Track(p);
        }
    }

    /// <summary>
    /// Set when the process ended without <see cref="Kill"/>: a crash, or a graceful stop (exit code 0 after
    /// "Application is shutting down...") caused by a SIGTERM from outside the test.
    /// </summary>
    public string? UnexpectedExit { get; private set; }

    /// <summary>Throws <see cref="NodeExitedException"/> if the node is not running (it was never started, or it exited).</summary>
    public void EnsureRunning()
    {
        if (IsRunning) return;
        throw new NodeExitedException(UnexpectedExit ?? $"{Name} is not running.", LogTail(25));
    }

    private volatile bool _killing;

    private void OnExited(Process p)
    {
        if (_killing) return;
        int code;
        try
        {
            code = p.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return;
        }
        UnexpectedExit = string.Create(CultureInfo.InvariantCulture,
            $"{Name} (pid {p.Id}) exited on its own with code {code} at {DateTimeOffset.Now:HH:mm:ss.fff}; the test did not kill it.") +
            (code == 0 ? " Exit code 0 after \"Application is shutting down\" means a SIGTERM/SIGINT from outside: is another process on this machine running e.g. `pkill -f EGovEdge.Edge.dll`? (EGOV_TEST_LAUNCH=apphost avoids name-based kills.)" : "");
        try
        {
            File.AppendAllText(LogFile, $"===== {UnexpectedExit}\n");
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// <c>dotnet &lt;dll&gt;</c>, as deploy/demo.sh runs it. With EGOV_TEST_LAUNCH=apphost (and <paramref name="binary"/> allowing it)
    /// the native launcher next to the dll is used instead: same app and runtime, but a command line without ".dll", which
    /// keeps the nodes out of reach of a `pkill -f EGovEdge.Edge.dll` run by someone else on a shared machine.
    /// </summary>
    private static string[] LaunchCommand(AppBinary binary)
    {
        if (binary.AllowAppHost && System.Environment.GetEnvironmentVariable("EGOV_TEST_LAUNCH") == "apphost")
        {
            var apphost = Path.ChangeExtension(binary.DllPath, null);
            if (File.Exists(apphost)) return [apphost];
        }
        return ["dotnet", binary.DllPath];
    }

    /// <summary>Waits until GET /healthz answers 200; fails early with the log tail if the process exits.</summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        string last = "no answer yet";
        while (watch.Elapsed < limit)
        {
            ct.ThrowIfCancellationRequested();
            Process? p;
            lock (_gate) p = _process;
            if (p is null) throw new InvalidOperationException($"{Name} was not started.");
            if (p.HasExited)
            {
                throw new NodeExitedException($"{Name} exited with code {p.ExitCode} during startup.", LogTail(40));
            }
            try
            {
                using var res = await http.GetAsync(new Uri(BaseUrl + "/healthz"), ct).ConfigureAwait(false);
                if (res.IsSuccessStatusCode) return;
                last = "HTTP " + (int)res.StatusCode;
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "timeout";
            }
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        throw new TimeoutException($"{Name} not healthy after {limit.TotalSeconds:0} s ({last}). Last log lines ({LogFile}):\n{LogTail(40)}");
    }

    public async Task StartAsync(TimeSpan? timeout = null, CancellationToken ct = default)
    {
        Start();
        await WaitHealthyAsync(timeout, ct).ConfigureAwait(false);
    }

    /// <summary>kill -9 of the process tree; returns once it has exited. Does nothing if it is not running.</summary>
    public void Kill()
    {
        Process? p;
        lock (_gate) p = _process;
        if (p is null) return;
        string what;
        try
        {
            if (!p.HasExited)
            {
                _killing = true;
                p.Kill(entireProcessTree: true);
                if (!p.WaitForExit(TimeSpan.FromSeconds(15)))
                {
                    throw new TimeoutException($"{Name} (pid {p.Id}) did not exit within 15 s of SIGKILL.");
                }
                what = "killed (SIGKILL) by the test";
            }
            else
            {
                what = $"had already exited (code {p.ExitCode})";
            }
        }
        catch (InvalidOperationException)
        {
            what = "already gone";
        }
        finally
        {
            ProcessJanitor.Forget(p);
        }
        File.AppendAllText(LogFile, string.Create(CultureInfo.InvariantCulture, $"===== {DateTimeOffset.Now:O} {Name} (pid {p.Id}) {what}\n"));
    }

    /// <summary>Kills (if running) and starts again on the same port, data directory and arguments.</summary>
    public async Task RestartAsync(TimeSpan? timeout = null, CancellationToken ct = default)
    {
        Kill();
        await StartAsync(timeout, ct).ConfigureAwait(false);
    }

    /// <summary>True if the process exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        Process? p;
        lock (_gate) p = _process;
        if (p is null) return true;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return p.HasExited;
        }
    }

    public string LogTail(int lines)
    {
        try
        {
            using var fs = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(fs);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(no log: {ex.Message})";
        }
    }

    public override string ToString() => $"{Name} {BaseUrl} ({(IsRunning ? "pid " + Pid : "stopped")})";

    public async ValueTask DisposeAsync()
    {
        Kill();
        lock (_gate)
        {
            _process?.Dispose();
            _process = null;
        }
        Api.Dispose();
        OnDisposed();
        await Task.CompletedTask.ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs once the process is gone, on dispose (e.g. a PostgreSQL hub drops its database).</summary>
    protected virtual void OnDisposed()
    {
    }
}
