using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EGovEdge.Testing;

/// <summary>What one run of <c>EGovEdge.Edge sync ...</c> did.</summary>
public sealed record CliResult(IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>stdout as the one JSON document --json promises, or null when it is not one.</summary>
    public JsonElement? TryJson()
    {
        try
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"`sync {string.Join(' ', Arguments.Select(EdgeCommandLine.Redact))}` exit {ExitCode} in {Elapsed.TotalSeconds:0.0} s\n--- stdout ---\n{(Stdout.Length > 6000 ? Stdout[..6000] + "…" : Stdout)}\n--- stderr ---\n{(Stderr.Length > 3000 ? Stderr[..3000] + "…" : Stderr)}");
}

/// <summary>
/// Runs an edge executable as the technician's command line: <c>dotnet EGovEdge.Edge.dll sync &lt;verb&gt; ...</c> (the
/// native launcher with EGOV_TEST_LAUNCH=apphost), from the app's folder, stdin closed, stdout and stderr captured,
/// with no EGov__ settings inherited from the test process.
/// </summary>
public static class EdgeCommandLine
{
    public static async Task<CliResult> RunAsync(AppBinary binary, Action<string> log, TimeSpan timeout, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo
        {
            UseShellExecute = false,
            WorkingDirectory = binary.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        var apphost = Path.ChangeExtension(binary.DllPath, null);
        if (Environment.GetEnvironmentVariable("EGOV_TEST_LAUNCH") == "apphost" && File.Exists(apphost))
        {
            psi.FileName = apphost;
        }
        else
        {
            psi.FileName = "dotnet";
            psi.ArgumentList.Add(binary.DllPath);
        }
        psi.ArgumentList.Add("sync");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("EGov__", StringComparison.OrdinalIgnoreCase)).ToList()) psi.Environment.Remove(key);

        var watch = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.Start();
        ProcessJanitor.Track(p);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
                ProcessJanitor.Forget(p);
                throw new TimeoutException($"`sync {string.Join(' ', args.Select(Redact))}` did not finish within {timeout.TotalSeconds:0} s.\n{await stdout}\n{await stderr}");
            }
        }
        ProcessJanitor.Forget(p);
        var result = new CliResult(args, p.ExitCode, await stdout, await stderr, watch.Elapsed);
        log(string.Create(CultureInfo.InvariantCulture, $"$ sync {string.Join(' ', args.Select(Redact))} → exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0.0} s"));
        return result;
    }

    /// <summary>
    /// Runs the command under a pseudo-terminal (util-linux <c>script</c>, part of Debian's essential bsdutils), so that
    /// stdout is a TTY as on a technician's screen. Returns everything the terminal showed.
    /// </summary>
    public static async Task<CliResult> RunOnTerminalAsync(AppBinary binary, Action<string> log, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(args);
        const string script = "/usr/bin/script";
        if (!File.Exists(script)) throw new FileNotFoundException($"{script} (package bsdutils) is needed to give the command a terminal.", script);
        var command = string.Join(' ', new[] { "dotnet", binary.DllPath, "sync" }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var psi = new ProcessStartInfo(script)
        {
            UseShellExecute = false,
            WorkingDirectory = binary.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in new[] { "-q", "-e", "-c", command, "/dev/null" }) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["TERM"] = "xterm";
        var watch = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.Start();
        ProcessJanitor.Track(p);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                throw;
            }
            finally
            {
                ProcessJanitor.Forget(p);
            }
        }
        var result = new CliResult(args, p.ExitCode, await stdout, await stderr, watch.Elapsed);
        log(string.Create(CultureInfo.InvariantCulture, $"$ script -c 'sync {string.Join(' ', args.Select(Redact))}' → exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0.0} s"));
        return result;
    }

    /// <summary>Hides the township key in logs.</summary>
    public static string Redact(string arg) =>
        arg is not null && arg.StartsWith("--EGov:HubKey=", StringComparison.OrdinalIgnoreCase) ? "--EGov:HubKey=***" : arg ?? "";

    /// <summary>Arguments a verb talking to the hub needs: data dir, hub and key.</summary>
    public static string[] Args(string dataDir, string? hubUrl, string? key, params string[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var list = new List<string> { "--EGov:DataDir=" + dataDir };
        if (hubUrl is not null) list.Add("--EGov:HubUrl=" + hubUrl);
        if (key is not null) list.Add("--EGov:HubKey=" + key);
        list.AddRange(more);
        return [.. list];
    }
}
