using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Agent;

/// <summary>An edge restored from an older copy of its database (same store id, log numbers behind the hub's ack).</summary>
public sealed class RestoredEdgeTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);

    public void Dispose() => _dir.Dispose();

    private EdgeSyncAgent Agent(EdgeStore store, HubStore hub) =>
        new(store, new InProcessTransport(hub, store.NodeId), new SyncAgentOptions { SchemaVersion = SchemaVersion }, _time,
            NullLogger<EdgeSyncAgent>.Instance);

    [Fact]
    public async Task RunOnce_RestoredFromOlderCopy_NewWritesReachTheHubAndLaterOwnRowsComeBack()
    {
        var hub = new HubStore(new SqliteHubDatabase(_dir.File("hub.db")), TestSchema.Create(), _time);
        var live = new EdgeStore(_dir.File("malu.db"), Malu, TestSchema.Create(), _time);
        var before = live.Insert(Documents, Doc("synced before the backup"));
        Assert.True((await Agent(live, hub).RunOnceAsync(CancellationToken.None)).Succeeded);

        using (var source = (SqliteConnection)live.OpenConnection())
        using (var copy = new SqliteConnection(SqliteDdl.ConnectionString(_dir.File("backup.db"))))
        {
            copy.Open();
            source.BackupDatabase(copy); // the SQLite online backup API
        }

        var after = live.Insert(Documents, Doc("synced after the backup"));
        for (var i = 0; i < 3; i++) live.Insert(Documents, Doc($"more after the backup {i}"));
        Assert.True((await Agent(live, hub).RunOnceAsync(CancellationToken.None)).Succeeded);
        SqliteConnection.ClearAllPools();

        // The disk dies; the township restores last night's copy and keeps working.
        var restored = new EdgeStore(_dir.File("backup.db"), Malu, TestSchema.Create(), _time);
        _time.Advance(TimeSpan.FromMinutes(10));
        var written = restored.Insert(Documents, Doc("written after the restore"));
        var result = await Agent(restored, hub).RunOnceAsync(CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.NotNull(hub.Get(Documents, written.Id));                 // not mistaken for an old, acknowledged batch
        Assert.NotNull(restored.Get(Documents, after.Id));              // its own later rows come back from the hub
        Assert.NotNull(restored.Get(Documents, before.Id));
        Assert.Equal(0, restored.PendingRowCount());
        Assert.Equal(6, Sql.CountRows(hub));
        Assert.Equal(0, Sql.Long(hub, "SELECT COUNT(*) FROM hub_conflicts"));
    }
}
