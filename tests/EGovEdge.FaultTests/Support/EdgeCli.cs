using EGovEdge.Testing;

namespace EGovEdge.FaultTests.Support;

/// <summary>The published edge executable as the technician's command line (see <see cref="EdgeCommandLine"/>).</summary>
internal static class EdgeCli
{
    public static Task<CliResult> RunAsync(Action<string> log, TimeSpan timeout, params string[] args) =>
        EdgeCommandLine.RunAsync(Apps.Edge, log, timeout, args);

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
}
