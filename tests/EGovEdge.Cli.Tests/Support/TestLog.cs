using System.Diagnostics;
using System.Globalization;

namespace EGovEdge.Cli.Tests.Support;

/// <summary>Timestamped lines to the xunit output; lines written after the test ended are dropped.</summary>
internal static class TestLog
{
    public static Action<string> To(ITestOutputHelper output)
    {
        var watch = Stopwatch.StartNew();
        return line =>
        {
            try
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,7:0.00}s] {line}"));
            }
            catch (InvalidOperationException)
            {
            }
        };
    }
}
