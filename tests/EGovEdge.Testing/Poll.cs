using System.Diagnostics;

namespace EGovEdge.Testing;

/// <summary>Polling instead of fixed sleeps: check a condition often until it holds or a deadline passes.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Waits until <paramref name="condition"/> returns true. Exceptions thrown by the condition count as "not yet"
    /// (a node may be restarting); the last one is reported if the deadline passes. A <see cref="NodeExitedException"/>
    /// ends the wait at once.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await WaitForAsync(async () => await condition().ConfigureAwait(false), ok => ok, timeout, what, interval, ct).ConfigureAwait(false);
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitUntilAsync(() => Task.FromResult(condition()), timeout, what, interval, ct);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds for its value and returns that value. On timeout
    /// the message names <paramref name="what"/>, the last value seen and the last exception.
    /// </summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var watch = Stopwatch.StartNew();
        var pause = interval ?? DefaultInterval;
        Exception? lastError = null;
        var lastValue = default(T);
        var seen = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                lastValue = await probe().ConfigureAwait(false);
                seen = true;
                lastError = null;
                if (done(lastValue)) return lastValue;
            }
            catch (Exception ex) when (ex is not NodeExitedException && (ex is not OperationCanceledException || !ct.IsCancellationRequested))
            {
                lastError = ex;
            }
            if (watch.Elapsed >= timeout)
            {
                var detail = seen ? $" Last value: {Describe(lastValue)}." : "";
                if (lastError is not null) detail += $" Last error: {lastError.GetType().Name}: {lastError.Message}";
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.{detail}", lastError);
            }
            await Task.Delay(pause, ct).ConfigureAwait(false);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => '"' + s + '"',
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>().Take(10)) + "]",
        _ => value.ToString() ?? "",
    };
}
