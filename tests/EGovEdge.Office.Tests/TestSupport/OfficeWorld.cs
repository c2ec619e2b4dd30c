using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;

namespace EGovEdge.Office.Tests.TestSupport;

/// <summary>A hub and township edges on real SQLite files with the real office schema, synced in-process.</summary>
internal sealed class OfficeWorld : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "egov-office-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, EdgeStore> _edges = new(StringComparer.Ordinal);
    private readonly ServiceProvider _services;

    public OfficeWorld(IHubWriteRules? rules = null)
    {
        Directory.CreateDirectory(_dir);
        Schema = OfficeSchema.Create();
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));
        Hub = new HubStore(new SqliteHubDatabase(Path.Combine(_dir, "hub.db")), Schema, Time, rules ?? new OfficeWriteRules());
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        Text = _services.GetRequiredService<IStringLocalizer<Text>>();
    }

    public SyncSchema Schema { get; }

    public FakeTimeProvider Time { get; }

    public HubStore Hub { get; }

    public IStringLocalizer<Text> Text { get; }

    public EdgeStore Edge(string node)
    {
        if (!_edges.TryGetValue(node, out var edge))
        {
            edge = new EdgeStore(Path.Combine(_dir, node + ".db"), node, Schema, Time);
            _edges.Add(node, edge);
        }
        return edge;
    }

    public DocumentService Documents(ILocalStore store) => new(store, Time, Text);

    /// <summary>One full push and pull for a township, straight against the hub store.</summary>
    public void Sync(string node)
    {
        var edge = Edge(node);
        while (edge.ReadPending(500, Schema.Version) is { } batch) edge.AckPush(batch, Hub.ApplyPush(node, batch));
        while (true)
        {
            var cursor = edge.PullCursor;
            var page = Hub.Pull(node, new PullRequest { NodeId = node, SchemaVersion = Schema.Version, Cursor = cursor, Limit = 500 });
            edge.ApplyPulled(page);
            if (!page.HasMore) break;
        }
    }

    public void SyncAll()
    {
        foreach (var node in _edges.Keys.ToList()) Sync(node);
        foreach (var node in _edges.Keys.ToList()) Sync(node);
    }

    public static JsonObject Set(string column, string value) => new() { [column] = value };

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Lets any township write any row, so two townships can really edit the same document concurrently.</summary>
internal sealed class AnyoneMayWriteRules : IHubWriteRules
{
    public string? Check(string node, SyncTable table, SyncRow? existing, SyncRow incoming) => null;
}
