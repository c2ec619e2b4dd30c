namespace EGovEdge.IntegrationTests.Support;

/// <summary>Timestamped lines to the xunit output (see <see cref="LogLines"/>).</summary>
internal static class TestLog
{
    public static Action<string> To(ITestOutputHelper output) => LogLines.Timestamped(output.WriteLine);

    /// <summary>"sqlite" or "pg", for workspace names.</summary>
    public static string Tag(this HubProvider provider) => provider == HubProvider.Postgres ? "pg" : "sqlite";
}
