using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EGovEdge.Testing;

/// <summary>What the proxy does with the links it carries.</summary>
public enum ProxyMode
{
    /// <summary>Bytes flow both ways unchanged.</summary>
    PassThrough,

    /// <summary>The link is down: open connections are reset and new ones are reset as soon as they are accepted.</summary>
    Drop,
}

/// <summary>What to do with a request a rule matched.</summary>
public enum ProxyVerdict
{
    /// <summary>Forward it as usual.</summary>
    Forward,

    /// <summary>
    /// Forward the request, and when the server's answer starts to arrive, reset both sides without passing it on:
    /// the server did the work, the client never hears of it (the "lost acknowledgement").
    /// </summary>
    ForwardThenCutBeforeResponse,

    /// <summary>Reset the connection without forwarding this chunk.</summary>
    DropConnection,
}

/// <summary>A request a rule matched: the marker, the proxy connection it came on and how many times this rule fired so far (1-based).</summary>
public sealed record ProxyRequest(string Marker, int ConnectionId, int Occurrence);

/// <summary>
/// A small TCP proxy on 127.0.0.1 for cutting links between an edge and the hub. Rules watch the client→server bytes
/// for a marker such as <c>POST /api/sync/push</c> and run a handler (synchronously, before the chunk that holds the
/// marker is forwarded) that decides the verdict and may act (kill the hub, switch <see cref="Mode"/> to Drop).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, Link> _links = new();
    private readonly List<Rule> _rules = [];
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;
    private volatile ProxyMode _mode;
    private int _nextId;
    private int _targetPort;

    public TcpProxy(int targetPort, int? listenPort = null)
    {
        _targetPort = targetPort;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort ?? FreePorts.Next()));
        _listener.Listen(128);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    public int TargetPort
    {
        get => Volatile.Read(ref _targetPort);
        set => Volatile.Write(ref _targetPort, value);
    }

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _nextId);

    /// <summary>Connections reset by a rule (<see cref="ProxyVerdict.ForwardThenCutBeforeResponse"/> or DropConnection).</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    private int _cuts;

    /// <summary>
    /// Raised (on a proxy thread) right after a connection was reset because the server's answer to a request marked
    /// <see cref="ProxyVerdict.ForwardThenCutBeforeResponse"/> started to arrive; the argument is the connection id.
    /// </summary>
    public event Action<int>? ResponseCut;

    /// <summary>Optional diagnostics sink (called from proxy threads).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Switching to <see cref="ProxyMode.Drop"/> resets every open connection at once.</summary>
    public ProxyMode Mode
    {
        get => _mode;
        set
        {
            _mode = value;
            Log?.Invoke($"proxy :{Port} mode {value}");
            if (value == ProxyMode.Drop) ResetAll();
        }
    }

    /// <summary>Resets every open connection (the mode is unchanged).</summary>
    public void ResetAll()
    {
        foreach (var link in _links.Values) link.Abort();
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for every request whose bytes contain <paramref name="marker"/> (e.g.
    /// <c>"POST /api/sync/push "</c>) until the returned handle is disposed.
    /// </summary>
    public IDisposable OnRequest(string marker, Func<ProxyRequest, ProxyVerdict> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        ArgumentNullException.ThrowIfNull(handler);
        var rule = new Rule(this, Encoding.ASCII.GetBytes(marker), marker, handler);
        lock (_gate) _rules.Add(rule);
        return rule;
    }

    private void Remove(Rule rule)
    {
        lock (_gate) _rules.Remove(rule);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            var id = Interlocked.Increment(ref _nextId);
            _ = Task.Run(() => HandleAsync(id, client));
        }
    }

    private async Task HandleAsync(int id, Socket client)
    {
        client.NoDelay = true;
        if (_mode == ProxyMode.Drop)
        {
            Reset(client);
            return;
        }
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(5));
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, TargetPort), connectTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing listens behind the proxy (hub down): the client sees its connection reset.
            Reset(client);
            server.Dispose();
            return;
        }
        var link = new Link(id, client, server);
        _links[id] = link;
        if (_mode == ProxyMode.Drop) link.Abort();
        try
        {
            await Task.WhenAll(PumpUpAsync(link), PumpDownAsync(link)).ConfigureAwait(false);
        }
        finally
        {
            _links.TryRemove(id, out _);
            link.Abort();
        }
    }

    /// <summary>Client → server, watching for rule markers (also across chunk boundaries).</summary>
    private async Task PumpUpAsync(Link link)
    {
        var buffer = new byte[64 * 1024];
        var carry = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var n = await link.Client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    link.Server.Shutdown(SocketShutdown.Send);
                    return;
                }
                var chunk = buffer.AsMemory(0, n);
                var verdict = Inspect(link, carry, chunk.Span);
                if (verdict == ProxyVerdict.DropConnection || _mode == ProxyMode.Drop || link.Aborted)
                {
                    Interlocked.Increment(ref _cuts);
                    link.Abort();
                    return;
                }
                if (verdict == ProxyVerdict.ForwardThenCutBeforeResponse) link.CutBeforeResponse = true;
                await link.Server.SendAsync(chunk, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                var keep = Math.Min(MaxMarkerLength(), n);
                carry = chunk.Span[(n - keep)..].ToArray();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            link.Abort();
        }
    }

    private async Task PumpDownAsync(Link link)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await link.Server.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    link.Client.Shutdown(SocketShutdown.Send);
                    return;
                }
                if (link.CutBeforeResponse || _mode == ProxyMode.Drop)
                {
                    Log?.Invoke($"proxy :{Port} conn {link.Id}: server answered, cutting before the answer reaches the client");
                    Interlocked.Increment(ref _cuts);
                    link.Abort();
                    if (link.CutBeforeResponse) ResponseCut?.Invoke(link.Id);
                    return;
                }
                await link.Client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            link.Abort();
        }
    }

    private int MaxMarkerLength()
    {
        lock (_gate) return _rules.Count == 0 ? 64 : Math.Max(64, _rules.Max(r => r.Marker.Length));
    }

    /// <summary>Runs the rules whose marker starts in this chunk (or straddles the previous one); the strongest verdict wins.</summary>
    private ProxyVerdict Inspect(Link link, byte[] carry, ReadOnlySpan<byte> chunk)
    {
        List<Rule> rules;
        lock (_gate)
        {
            if (_rules.Count == 0) return ProxyVerdict.Forward;
            rules = [.. _rules];
        }
        var joined = new byte[carry.Length + chunk.Length];
        carry.CopyTo(joined, 0);
        chunk.CopyTo(joined.AsSpan(carry.Length));
        var verdict = ProxyVerdict.Forward;
        foreach (var rule in rules)
        {
            var span = joined.AsSpan();
            var offset = 0;
            while (true)
            {
                var at = span[offset..].IndexOf(rule.Marker);
                if (at < 0) break;
                var end = offset + at + rule.Marker.Length;
                offset = end;
                // A marker lying wholly in the carried-over tail was seen with the previous chunk.
                if (end <= carry.Length) continue;
                var occurrence = Interlocked.Increment(ref rule.Count);
                Log?.Invoke($"proxy :{Port} conn {link.Id}: saw '{rule.Text}' (#{occurrence})");
                var v = rule.Handler(new ProxyRequest(rule.Text, link.Id, occurrence));
                if (v > verdict) verdict = v;
            }
        }
        return verdict;
    }

    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0); // close → RST
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        s.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        ResetAll();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Rule(TcpProxy owner, byte[] marker, string text, Func<ProxyRequest, ProxyVerdict> handler) : IDisposable
    {
        public int Count;

        public byte[] Marker { get; } = marker;

        public string Text { get; } = text;

        public Func<ProxyRequest, ProxyVerdict> Handler { get; } = handler;

        public void Dispose() => owner.Remove(this);
    }

    private sealed class Link(int id, Socket client, Socket server)
    {
        private int _aborted;

        public int Id { get; } = id;

        public Socket Client { get; } = client;

        public Socket Server { get; } = server;

        public volatile bool CutBeforeResponse;

        public bool Aborted => Volatile.Read(ref _aborted) != 0;

        public void Abort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
            Reset(Client);
            Reset(Server);
        }
    }
}
