using System.Text;
using EGovEdge.Sync.Transport;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Edge.Cli;

/// <summary>
/// The technician's command line: <c>EGovEdge.Edge sync &lt;verb&gt; --EGov:DataDir=DIR [--json]</c>. It opens the edge's
/// SQLite database directly (WAL lets it run next to the edge's web process, or without it) and exits with
/// 0 (in sync / success), 1 (differences or failure) or 2 (usage).
/// </summary>
public static class SyncCli
{
    public const int Ok = 0;
    public const int NotOk = 1;
    public const int Usage = 2;

    public const string UsageText = """
        Usage: EGovEdge.Edge sync <verb> --EGov:DataDir=DIR [--json] [options]
               dotnet run --project edge/EGovEdge.Edge -- sync <verb> --EGov:DataDir=DIR [--json] [options]

        Diagnostics for a township edge, from its own machine, whether or not the edge's web process is running.

        Verbs:
          status      node, pending changes, last success and last error, open conflicts, rejected rows,
                      push/pull cursors, database path and size
                      exit 0 when nothing is pending and the last cycle succeeded, else 1
          run         one push + pull cycle with the hub now; exit 1 when unreachable or refused
          history     recent sync cycles, newest first (--limit N, default 20)
          conflicts   open conflicts awaiting review; exit 1 when there are any
          verify      compare this edge's rows with the hub's (per-table counts and checksums, then only the
                      buckets that differ) and name each row that differs; rows with unpushed changes are
                      listed as pending, rows the hub changed since the last pull as incoming, neither is a
                      difference (--limit N rows listed, default 100); exit 1 when anything differs
          bootstrap   pull this township's whole scope from the hub in pages, with progress and time left;
                      an interrupted bootstrap continues where it stopped. A new, empty DataDir needs
                      --EGov:NodeId=CODE (and the hub's address and a key or enrollment code)

        Options:
          --EGov:DataDir=DIR          the edge's data folder, holding edge.db (required)
          --json                      one JSON document on stdout (camelCase) instead of text
          --limit N                   how many cycles (history) or rows (verify) to list
          --verbose                   the engine's log on stderr
          --EGov:HubUrl=URL           the hub (default: the address the edge's web process last started with)
          --EGov:HubKey=KEY           the township key (default: the enrolled key in DataDir/hub-credential)
          --EGov:EnrollmentCode=CODE  enroll first, as the web process would (run, verify, bootstrap)
          --EGov:NodeId=CODE          must match the database; required to create one with bootstrap
          -h, --help                  this text
        Other --EGov:* keys are accepted and ignored unless they matter to the verb.

        Exit codes: 0 in sync / success, 1 differences or failure, 2 usage error (message on stderr).
        """;

    /// <summary>True when the process was started as the command line (<c>sync ...</c>), not as the web host.</summary>
    public static bool IsCommandLine(string[] args) => args is ["sync", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (OperatingSystem.IsWindows() && !Console.IsOutputRedirected) Console.OutputEncoding = Encoding.UTF8;
        var @out = stdout ?? Console.Out;
        var err = stderr ?? Console.Error;
        CliArguments parsed;
        try
        {
            parsed = CliArguments.Parse(args);
        }
        catch (UsageException ex)
        {
            return UsageError(err, ex.Message);
        }
        if (parsed.Help)
        {
            await @out.WriteLineAsync(UsageText);
            return Ok;
        }
        if (parsed.Verb is null) return UsageError(err, "a verb is required.");

        using var cts = new CancellationTokenSource();
        var cancelled = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancelled) return; // a second Ctrl-C ends the process the usual way
            cancelled = true;
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var session = CliSession.Open(parsed, allowCreate: parsed.Verb == "bootstrap");
            return parsed.Verb switch
            {
                "status" => StatusVerb.Run(session, @out),
                "history" => HistoryVerb.Run(session, @out),
                "conflicts" => ConflictsVerb.Run(session, @out),
                "run" => await RunVerb.RunAsync(session, @out, err, bootstrap: false, cts.Token),
                "bootstrap" => await RunVerb.RunAsync(session, @out, err, bootstrap: true, cts.Token),
                "verify" => await VerifyVerb.RunAsync(session, @out, cts.Token),
                _ => UsageError(err, $"unknown verb '{parsed.Verb}'."),
            };
        }
        catch (UsageException ex)
        {
            return UsageError(err, ex.Message);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await err.WriteLineAsync("interrupted. Whatever was acknowledged is kept; run the same command again to continue.");
            return NotOk;
        }
        catch (SqliteException ex)
        {
            await err.WriteLineAsync($"error: the edge database cannot be used: {ex.Message}");
            return NotOk;
        }
        catch (UnauthorizedAccessException ex)
        {
            await err.WriteLineAsync($"error: {ex.Message} (run as the account the edge service runs as)");
            return NotOk;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or InvalidDataException or SyncRefusedException or HttpRequestException)
        {
            await err.WriteLineAsync($"error: {ex.Message}");
            return NotOk;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int UsageError(TextWriter err, string message)
    {
        err.WriteLine("error: " + message);
        err.WriteLine("Usage: EGovEdge.Edge sync <status|run|history|conflicts|verify|bootstrap> --EGov:DataDir=DIR [--json]; see 'sync --help'.");
        return Usage;
    }
}
