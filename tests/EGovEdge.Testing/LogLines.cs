using System.Diagnostics;
using System.Globalization;

namespace EGovEdge.Testing;

/// <summary>Progress lines for test output.</summary>
public static class LogLines
{
    /// <summary>
    /// Prefixes each line with the seconds since this call. Lines written after the test ended (from a proxy or timer
    /// thread: xunit's output helper then throws InvalidOperationException) are dropped.
    /// </summary>
    public static Action<string> Timestamped(Action<string> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var watch = Stopwatch.StartNew();
        return line =>
        {
            try
            {
                sink(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,7:0.00}s] {line}"));
            }
            catch (InvalidOperationException)
            {
            }
        };
    }
}
