using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EGovEdge.Deploy.Tests.Support;

/// <summary>What a script run left behind: exit code, stdout, stderr, duration.</summary>
public sealed record ScriptResult(string Command, int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    /// <summary>The last non-empty line of stdout (the scripts print their result there, e.g. the archive's path).</summary>
    public string LastLine => StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Command}: exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stdout\n{StdOut}--- stderr\n{StdErr}");
}

/// <summary>Runs the repository's deploy/*.sh scripts with bash, as an operator would, in their own process group.</summary>
public static class Script
{
    public static string Path(string relative) => System.IO.Path.Combine(RepoLayout.Root, relative);

    /// <summary>bash SCRIPT ARGS...; never throws for a non-zero exit (the caller asserts), throws on timeout.</summary>
    public static async Task<ScriptResult> RunAsync(string script, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? env = null, Action<string>? log = null)
    {
        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = RepoLayout.Root,
        };
        psi.ArgumentList.Add("-w"); // own session and process group: a timeout kills everything the script started
        psi.ArgumentList.Add("bash");
        psi.ArgumentList.Add(Path(script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        var command = script + " " + string.Join(' ', args);
        log?.Invoke("$ " + command);
        var watch = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.Append(e.Data).Append('\n');
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.Append(e.Data).Append('\n');
            log?.Invoke("  " + e.Data);
        };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                // setsid -w: the child is the group leader of a new session; kill the whole group.
                using var kill = Process.Start("kill", ["-KILL", "--", "-" + p.Id.ToString(CultureInfo.InvariantCulture)]);
                kill?.WaitForExit(5000);
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            throw new TimeoutException($"{command} did not finish within {timeout.TotalSeconds:0} s.\n--- stderr\n{stderr}");
        }
        p.WaitForExit(); // flushes the asynchronous readers
        var result = new ScriptResult(command, p.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  -> exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0.0} s"));
        return result;
    }
}

/// <summary>Timestamped lines to the xunit output.</summary>
internal static class TestLog
{
    public static Action<string> To(ITestOutputHelper output) => LogLines.Timestamped(output.WriteLine);
}
