namespace EGovEdge.FaultTests.Support;

/// <summary>Timestamped lines to the xunit output (see <see cref="LogLines"/>).</summary>
internal static class TestLog
{
    public static Action<string> To(ITestOutputHelper output) => LogLines.Timestamped(output.WriteLine);
}
