using System.Net.Sockets;
using EGovEdge.Edge.Extensions;
using EGovEdge.Office;
using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace EGovEdge.Benchmarks;

/// <summary>Counts what crosses the edge's connections to the hub: HTTP requests (attempts) and TCP bytes both ways.</summary>
internal sealed class WireCounter
{
    private long _requests;
    private long _sent;
    private long _received;

    public long Requests => Interlocked.Read(ref _requests);
    public long Sent => Interlocked.Read(ref _sent);
    public long Received => Interlocked.Read(ref _received);
    public long Bytes => Sent + Received;

    public void Request() => Interlocked.Increment(ref _requests);
    public void AddSent(long n) => Interlocked.Add(ref _sent, n);
    public void AddReceived(long n) => Interlocked.Add(ref _received, n);
}

/// <summary>Innermost handler of the "hub-sync" client: one count per attempt that reaches the socket handler.</summary>
internal sealed class CountingHandler(WireCounter counter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        counter.Request();
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>A stream over the TCP connection that counts the bytes read and written (HTTP headers and framing included).</summary>
internal sealed class CountingStream(Stream inner, WireCounter counter) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        counter.AddReceived(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        counter.AddReceived(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        counter.AddSent(count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        counter.AddSent(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// The edge's side of sync as the edge app wires it: the "hub-sync" HttpClient from
/// <see cref="EdgeServiceExtensions.AddHubClients"/> (its SocketsHttpHandler and Polly pipeline), HttpSyncTransport
/// (gzip up, br/gzip down), EdgeStore on the real schema and EdgeSyncAgent with the edge's options. The benchmark only
/// adds counters: a DelegatingHandler inside the pipeline and a counting stream under the socket handler.
/// </summary>
internal sealed class EdgeRig : IDisposable
{
    private readonly ServiceProvider _services;

    public EdgeRig(string hubUrl, string dbPath, string node, bool countBytes = true)
    {
        Node = node;
        Counter = new WireCounter();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubClients(hubUrl);
        var counter = Counter;
        services.AddHttpClient(EdgeServiceExtensions.HubClient).AddHttpMessageHandler(() => new CountingHandler(counter));
        if (countBytes)
        {
            services.Configure<HttpClientFactoryOptions>(EdgeServiceExtensions.HubClient, o => o.HttpMessageHandlerBuilderActions.Add(b =>
            {
                if (b.PrimaryHandler is SocketsHttpHandler h)
                {
                    h.ConnectCallback = async (ctx, ct) =>
                    {
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        try
                        {
                            await socket.ConnectAsync(ctx.DnsEndPoint, ct).ConfigureAwait(false);
                            return new CountingStream(new NetworkStream(socket, ownsSocket: true), counter);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    };
                }
            }));
        }
        _services = services.BuildServiceProvider();
        Http = _services.GetRequiredService<IHttpClientFactory>().CreateClient(EdgeServiceExtensions.HubClient);
        Store = new EdgeStore(dbPath, node, OfficeSchema.Create(), TimeProvider.System);
        Transport = new HttpSyncTransport(Http, () => new SyncCredentials(node, HubHost.Key));
        Timed = new TimingTransport(Transport);
        Agent = new EdgeSyncAgent(Store, Timed, new SyncAgentOptions { SchemaVersion = OfficeSchema.Version }, TimeProvider.System,
            NullLogger<EdgeSyncAgent>.Instance);
    }

    public string Node { get; }
    public WireCounter Counter { get; }
    public HttpClient Http { get; }
    public EdgeStore Store { get; }
    public HttpSyncTransport Transport { get; }
    public TimingTransport Timed { get; }
    public EdgeSyncAgent Agent { get; }

    public async Task<SyncCycleResult> SyncAsync()
    {
        var r = await Agent.RunOnceAsync(CancellationToken.None).ConfigureAwait(false);
        if (r.Outcome != SyncOutcome.Ok) throw new InvalidOperationException($"sync of {Node} ended {r.Outcome}: {r.Error}");
        return r;
    }

    public void Dispose()
    {
        Http.Dispose();
        _services.Dispose();
    }
}

/// <summary>Wraps the transport the agent uses and adds up the time spent waiting for each kind of call.</summary>
internal sealed class TimingTransport(ISyncTransport inner) : ISyncTransport
{
    private long _pullTicks;
    private long _pushTicks;

    public TimeSpan Pull => TimeSpan.FromTicks(Interlocked.Read(ref _pullTicks));
    public TimeSpan Push => TimeSpan.FromTicks(Interlocked.Read(ref _pushTicks));

    public async Task<TransportResult<PushResponse>> PushAsync(PushRequest request, string correlationId, CancellationToken ct)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await inner.PushAsync(request, correlationId, ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _pushTicks, System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks);
        }
    }

    public async Task<TransportResult<PullResponse>> PullAsync(PullRequest request, string correlationId, CancellationToken ct)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await inner.PullAsync(request, correlationId, ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _pullTicks, System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks);
        }
    }
}
