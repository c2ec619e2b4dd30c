using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Testing;

/// <summary>
/// One temp directory with the nodes and proxies a test (or fixture) starts. Disposing kills every node (kill -9),
/// stops the proxies and deletes the directory, unless the run failed (<see cref="RunAsync"/>) or
/// EGOV_KEEP_TEST_DIRS=1, in which case the files and console logs stay for inspection.
/// </summary>
public sealed class TestWorkspace : IAsyncDisposable
{
    private readonly List<NodeProcess> _nodes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Lock _gate = new();

    public TestWorkspace(string name, Action<string>? log = null)
    {
        Log = log ?? (_ => { });
        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        Root = Path.Combine(Path.GetTempPath(), "egov-tests", $"{stamp}-{name}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(Root);
        Log($"workspace {Root}");
    }

    public string Root { get; }

    /// <summary>Where progress lines go (an xunit ITestOutputHelper, usually). Replaceable, e.g. per test on a shared fixture.</summary>
    public Action<string> Log { get; set; }

    /// <summary>Keep the directory after dispose (set when something failed).</summary>
    public bool KeepFiles { get; set; } = Environment.GetEnvironmentVariable("EGOV_KEEP_TEST_DIRS") == "1";

    public IReadOnlyList<NodeProcess> Nodes
    {
        get
        {
            lock (_gate) return [.. _nodes];
        }
    }

    /// <param name="provider">SQLite (DataDir/hub.db) or a fresh PostgreSQL database from EGOV_TEST_PG (dropped when the workspace is disposed).</param>
    public HubNode AddHub(IReadOnlyList<Township> townships, HubProvider provider = HubProvider.Sqlite, int? port = null, AppBinary? binary = null,
        string dirName = "hub", IEnumerable<string>? extraArgs = null)
    {
        var hub = new HubNode(Path.Combine(Root, dirName), townships, binary, port, extraArgs, provider: provider);
        lock (_gate) _nodes.Add(hub);
        Log($"{hub.Name} on {hub.DatabaseDescription}");
        return hub;
    }

    /// <param name="hubKey">Null: no --EGov:HubKey at all.</param>
    /// <param name="extraArgs">More app arguments, e.g. <c>--EGov:SyncDebounceMilliseconds=60000</c>.</param>
    public EdgeNode AddEdge(string nodeId, string hubUrl, string? hubKey, int syncIntervalSeconds = 1, string? name = null, AppBinary? binary = null,
        IEnumerable<string>? extraArgs = null)
    {
        var dir = name ?? nodeId;
        var edge = new EdgeNode(Path.Combine(Root, dir), nodeId, hubUrl, hubKey, syncIntervalSeconds, binary, extraArgs: extraArgs, name: dir);
        lock (_gate) _nodes.Add(edge);
        return edge;
    }

    public TcpProxy AddProxy(int targetPort)
    {
        var proxy = new TcpProxy(targetPort) { Log = Log };
        lock (_gate) _owned.Add(proxy);
        return proxy;
    }

    /// <summary>Starts the given nodes in parallel and waits until all answer /healthz.</summary>
    public static Task StartAllAsync(params NodeProcess[] nodes) =>
        Task.WhenAll(nodes.Select(n => n.StartAsync()));

    /// <summary>Runs <paramref name="body"/>; on failure writes every node's log tail to <see cref="Log"/> and keeps the files.</summary>
    public async Task RunAsync(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch
        {
            KeepFiles = true;
            DumpLogs();
            throw;
        }
    }

    public void DumpLogs(int lines = 60)
    {
        Log($"---- files kept in {Root}");
        foreach (var n in Nodes)
        {
            Log($"---- {n} last {lines} lines of {n.LogFile}:");
            Log(n.LogTail(lines));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<NodeProcess> nodes;
        List<IAsyncDisposable> owned;
        lock (_gate)
        {
            nodes = [.. _nodes];
            owned = [.. _owned];
        }
        await Task.WhenAll(nodes.Select(n => Task.Run(async () => await n.DisposeAsync().ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var o in owned) await o.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        if (KeepFiles)
        {
            Log($"kept {Root}");
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
