using System.Collections.Concurrent;
using System.Diagnostics;

namespace EGovEdge.Deploy.Tests.Support;

/// <summary>
/// Writes documents to a node through its API, one after another, until stopped: staff at work while a backup runs.
/// <see cref="Acknowledged"/> holds every document whose 201 Created has arrived, in order.
/// </summary>
public sealed class DocumentWriter : IAsyncDisposable
{
    private readonly NodeApiClient _api;
    private readonly string _prefix;
    private readonly int _max;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Document> _acked = new();
    private Task? _loop;

    public DocumentWriter(NodeApiClient api, string prefix, int max = 5000)
    {
        _api = api;
        _prefix = prefix;
        _max = max;
    }

    public int Count => _acked.Count;

    /// <summary>A copy of what has been acknowledged so far.</summary>
    public IReadOnlyList<Document> Acknowledged => [.. _acked];

    public Exception? Error { get; private set; }

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        // ~2 KB bodies, so the database grows by several pages per document and the backup has pages to copy.
        var body = string.Concat(Enumerable.Repeat("县乡两级公文往来，备份期间照常办公。", 60));
        var watch = Stopwatch.StartNew();
        try
        {
            for (var i = 1; i <= _max && !_stop.IsCancellationRequested; i++)
            {
                var doc = await _api.CreateDocumentAsync(new NewDocument($"{_prefix} {i}", Body: body), _stop.Token).ConfigureAwait(false);
                _acked.Enqueue(doc);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Error = ex;
        }
    }

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        await Poll.WaitUntilAsync(() => Error is not null || Count >= count || _loop!.IsCompleted, timeout, $"{count} documents to be written",
            TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        if (Error is not null) throw new InvalidOperationException("the document writer failed", Error);
    }

    /// <summary>Stops writing (a request in flight is abandoned) and rethrows a writer failure.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        if (Error is not null) throw new InvalidOperationException("the document writer failed", Error);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }
}
