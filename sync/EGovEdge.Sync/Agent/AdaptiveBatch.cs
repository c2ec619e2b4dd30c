using System.Diagnostics;

namespace EGovEdge.Sync.Agent;

/// <summary>
/// Batch size that follows the link: halves after a timeout or a failed call (down to 1/16 of the configured size),
/// doubles after a call that finished quickly (up to 4 times the configured size). Small batches keep making durable
/// progress on a slow, lossy link; large ones cut round trips on a good one.
/// </summary>
internal sealed class AdaptiveBatch(int configured, bool adaptive = true)
{
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(2);
    private readonly int _min = Math.Max(1, configured / 16);
    private readonly int _max = Math.Max(configured, configured * 4);

    public int Size { get; private set; } = configured;

    public async Task<T> Measure<T>(Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await call().ConfigureAwait(false);
            if (!adaptive) return result;
            if (watch.Elapsed < Fast) Size = Math.Min(_max, Size * 2);
            else if (watch.Elapsed > Fast * 4) Size = Math.Max(_min, Size / 2);
            return result;
        }
        catch (Exception ex) when (adaptive && ex is not Transport.SyncRefusedException)
        {
            Size = Math.Max(_min, Size / 2);
            throw;
        }
    }
}
