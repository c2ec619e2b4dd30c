using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>A county hub and its township edges, each on its own SQLite file and its own fake clock.</summary>
internal sealed class SyncWorld : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, EdgeNode> _edges = new(StringComparer.Ordinal);

    public SyncWorld(IHubWriteRules? rules = null)
    {
        HubTime = new FakeTimeProvider(Start);
        Hub = new HubStore(new SqliteHubDatabase(_dir.File("hub.db")), Schema, HubTime, rules);
    }

    public SyncSchema Schema { get; } = TestSchema.Create();

    public FakeTimeProvider HubTime { get; }

    public HubStore Hub { get; }

    public string Directory => _dir.Path;

    public EdgeNode Edge(string nodeId, SyncAgentOptions? options = null)
    {
        if (_edges.TryGetValue(nodeId, out var existing)) return existing;
        var time = new FakeTimeProvider(Start);
        var store = new EdgeStore(_dir.File(nodeId + ".db"), nodeId, Schema, time);
        var transport = new InProcessTransport(Hub, nodeId);
        var agent = new EdgeSyncAgent(store, transport, options ?? new SyncAgentOptions { SchemaVersion = TestSchema.SchemaVersion },
            time, NullLogger<EdgeSyncAgent>.Instance);
        var edge = new EdgeNode(store, time, transport, agent);
        _edges.Add(nodeId, edge);
        return edge;
    }

    /// <summary>Moves every clock (hub and edges) forward together.</summary>
    public void AdvanceAll(TimeSpan by)
    {
        HubTime.Advance(by);
        foreach (var e in _edges.Values) e.Time.Advance(by);
    }

    public void Dispose() => _dir.Dispose();
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
