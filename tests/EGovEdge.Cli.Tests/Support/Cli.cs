using System.Text.Json;
using EGovEdge.Testing;

namespace EGovEdge.Cli.Tests.Support;

/// <summary>Runs the edge executable (build output or published) as the technician does; see <see cref="EdgeCommandLine"/>.</summary>
public static class EdgeCli
{
    private static readonly Lazy<AppBinary> Binary = new(() => AppBinaries.Edge());

    public static AppBinary Edge => Binary.Value;

    public static Task<CliResult> RunAsync(Action<string> log, params string[] args) => RunAsync(log, TimeSpan.FromMinutes(3), args);

    public static Task<CliResult> RunAsync(Action<string> log, TimeSpan timeout, params string[] args) =>
        EdgeCommandLine.RunAsync(Edge, log, timeout, args);

    public static Task<CliResult> RunOnTerminalAsync(Action<string> log, params string[] args) =>
        EdgeCommandLine.RunOnTerminalAsync(Edge, log, args);

    public static string[] Args(string dataDir, string? hubUrl, string? key, params string[] more) =>
        EdgeCommandLine.Args(dataDir, hubUrl, key, more);
}

public static class CliResultExtensions
{
    extension(CliResult result)
    {
        /// <summary>stdout parsed as the single JSON document --json promises (fails the test if it is not one).</summary>
        public JsonElement Json => result.TryJson() ?? throw new Xunit.Sdk.XunitException($"stdout is not one JSON document:\n{result}");
    }
}
