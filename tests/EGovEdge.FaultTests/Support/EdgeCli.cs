using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EGovEdge.FaultTests.Support;

/// <summary>What one run of <c>EGovEdge.Edge sync ...</c> did.</summary>
internal sealed record CliResult(IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
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
        $"`sync {string.Join(' ', Arguments.Select(EdgeCli.Redact))}` exit {ExitCode} in {Elapsed.TotalSeconds:0.0} s\n--- stdout ---\n{(Stdout.Length > 6000 ? Stdout[..6000] + "…" : Stdout)}\n--- stderr ---\n{(Stderr.Length > 3000 ? Stderr[..3000] + "…" : Stderr)}");
}

/// <summary>
/// Runs the published edge executable as the technician's command line: <c>dotnet &lt;publish&gt;/edge/EGovEdge.Edge.dll sync
/// &lt;verb&gt; ...</c> (the native launcher with EGOV_TEST_LAUNCH=apphost), from the app's folder, stdin closed.
/// </summary>
internal static class EdgeCli
{
    public static async Task<CliResult> RunAsync(Action<string> log, TimeSpan timeout, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(log);
        var binary = Apps.Edge;
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
    /// <c>sync verify --json</c> for an edge against <paramref name="hubUrl"/> with the township's static key (there is no
    /// enrolled credential in these tests).
    /// </summary>
    public static Task<CliResult> VerifyAsync(Action<string> log, EdgeNode edge, string hubUrl, string key, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(edge);
        return RunAsync(log, timeout ?? TimeSpan.FromMinutes(2), "verify", "--EGov:DataDir=" + edge.DataDir, "--EGov:HubUrl=" + hubUrl,
            "--EGov:HubKey=" + key, "--limit", "50", "--json");
    }

    public static string Redact(string arg) => arg.StartsWith("--EGov:HubKey=", StringComparison.OrdinalIgnoreCase) ? "--EGov:HubKey=***" : arg;
}
