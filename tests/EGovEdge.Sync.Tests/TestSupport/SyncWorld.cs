using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>
/// A county hub and its township edges, each edge on its own SQLite file and its own fake clock. The hub runs on
/// SQLite (default) or on a fresh PostgreSQL database (<see cref="HubProvider.Postgres"/>).
/// </summary>
internal sealed class SyncWorld : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, EdgeNode> _edges = new(StringComparer.Ordinal);
    private readonly PostgresTestDatabase? _pg;
    private int _rebuilds;

    public SyncWorld(IHubWriteRules? rules = null, HubProvider provider = HubProvider.Sqlite, SyncSchema? schema = null)
    {
        Schema = schema ?? TestSchema.Create();
        Provider = provider;
        HubTime = new FakeTimeProvider(Start);
        try
        {
            if (provider == HubProvider.Postgres)
            {
                _pg = new PostgresTestDatabase();
                HubDatabase = new PostgresHubDatabase(_pg.ConnectionString);
            }
            else
            {
                HubDatabase = new SqliteHubDatabase(_dir.File("hub.db"));
            }
            Hub = new HubStore(HubDatabase, Schema, HubTime, rules);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public SyncSchema Schema { get; }

    public HubProvider Provider { get; }

    public FakeTimeProvider HubTime { get; }

    public IHubDatabase HubDatabase { get; } = null!;

    public HubStore Hub { get; } = null!;

    public string Directory => _dir.Path;

    public EdgeNode Edge(string nodeId, SyncAgentOptions? options = null)
    {
        if (_edges.TryGetValue(nodeId, out var existing)) return existing;
        var edge = NewEdge(nodeId, _dir.File(nodeId + ".db"), new FakeTimeProvider(Start), options);
        _edges.Add(nodeId, edge);
        return edge;
    }

    /// <summary>
    /// The township's machine is replaced: a new, empty database under the same node id (its clock carries on).
    /// From now on <see cref="Edge"/> returns the new node.
    /// </summary>
    public EdgeNode RebuildEdge(string nodeId, SyncAgentOptions? options = null)
    {
        var old = _edges[nodeId];
        var edge = NewEdge(nodeId, _dir.File($"{nodeId}-rebuilt-{++_rebuilds}.db"), old.Time, options);
        _edges[nodeId] = edge;
        return edge;
    }

    private EdgeNode NewEdge(string nodeId, string path, FakeTimeProvider time, SyncAgentOptions? options)
    {
        var store = new EdgeStore(path, nodeId, Schema, time);
        var transport = new InProcessTransport(Hub, nodeId);
        var agent = new EdgeSyncAgent(store, transport, options ?? new SyncAgentOptions { SchemaVersion = TestSchema.SchemaVersion },
            time, NullLogger<EdgeSyncAgent>.Instance);
        return new EdgeNode(store, time, transport, agent);
    }

    /// <summary>Moves every clock (hub and edges) forward together.</summary>
    public void AdvanceAll(TimeSpan by)
    {
        HubTime.Advance(by);
        foreach (var e in _edges.Values) e.Time.Advance(by);
    }

    public void Dispose()
    {
        (HubDatabase as IDisposable)?.Dispose();
        _pg?.Dispose();
        _dir.Dispose();
    }
}

internal sealed record EdgeNode(EdgeStore Store, FakeTimeProvider Time, InProcessTransport Transport, EdgeSyncAgent Agent)
{
    public Task<SyncCycleResult> SyncAsync() => Agent.RunOnceAsync(CancellationToken.None);

    /// <summary>Runs one cycle and fails the test unless it succeeded.</summary>
    public async Task<SyncCycleResult> SyncOkAsync()
    {
        var result = await Agent.RunOnceAsync(CancellationToken.None);
        Assert.True(result.Succeeded, $"sync of {Store.NodeId} ended {result.Outcome}: {result.Error}");
        return result;
    }
}
