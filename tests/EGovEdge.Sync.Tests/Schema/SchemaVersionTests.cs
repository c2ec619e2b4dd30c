using System.Text.Json.Nodes;
using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Schema;

/// <summary>Schema N and N-1 side by side: additive migration on start, and no column lost between versions.</summary>
public sealed class SchemaVersionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(SyncWorld.Start);

    /// <summary>Version 2 of the documents table: one more (optional) column.</summary>
    private static readonly SyncTable DocumentsV2 = new(
        Documents,
        [.. DocumentsTable.Columns, new SyncColumn("priority")],
        DocumentScope);

    private static SyncSchema V1 => TestSchema.Create();

    private static SyncSchema V2 => new(SchemaVersion + 1, [DocumentsV2]);

    /// <summary>Version 2 with an index on its new column (created after the column is added to an older database).</summary>
    private static SyncSchema V2Indexed => new(SchemaVersion + 1,
        [new SyncTable(Documents, [.. DocumentsTable.Columns, new SyncColumn("priority")], DocumentScope,
            [.. DocumentsTable.Indexes, "ix_documents_priority(priority)"])]);

    /// <summary>A table that only version 2 has.</summary>
    private static readonly SyncTable NotesV2 = new("notes", [new SyncColumn("text", Required: true)], _ => Scopes.Everyone);

    private static SyncSchema V2WithNotes => new(SchemaVersion + 1, [DocumentsV2, NotesV2]);

    public void Dispose() => _dir.Dispose();

    private static PushResponse Push(HubStore hub, EdgeStore edge)
    {
        var batch = edge.ReadPending(500, edge.Schema.Version)!;
        var res = hub.ApplyPush(edge.NodeId, batch);
        edge.AckPush(batch, res);
        return res;
    }

    [Fact]
    public void Open_UpgradedEdgeWithUnsyncedChanges_AddsColumnKeepsDataAndPendingChanges()
    {
        var path = _dir.File("malu.db");
        var v1 = new EdgeStore(path, Malu, V1, _time);
        var doc = v1.Insert(Documents, Doc("written before the upgrade", To(Guangshun)));
        Assert.Equal(1, v1.PendingRowCount());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var v2 = new EdgeStore(path, Malu, V2, _time);

        Assert.Equal(1, v2.PendingRowCount());
        var row = v2.Get(Documents, doc.Id)!;
        Assert.Equal("written before the upgrade", row.Text("title"));
        Assert.True(row.Data.ContainsKey("priority"));
        Assert.Null(row.Text("priority"));
        v2.Update(Documents, doc.Id, new JsonObject { ["priority"] = "high" });
        var hub = new HubStore(new SqliteHubDatabase(_dir.File("hub.db")), V2, _time);
        Push(hub, v2);
        Assert.Equal("high", hub.Get(Documents, doc.Id)!.Text("priority"));
    }

    [Fact]
    public void Open_UpgradeAddsAColumnAndAnIndexOnIt_OnTheEdgeAndTheHub()
    {
        var edgePath = _dir.File("malu.db");
        var hubPath = _dir.File("hub.db");
        var doc = new EdgeStore(edgePath, Malu, V1, _time).Insert(Documents, Doc("before the upgrade"));
        new HubStore(new SqliteHubDatabase(hubPath), V1, _time).Insert(Documents, Doc("at the hub before the upgrade"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var edge = new EdgeStore(edgePath, Malu, V2Indexed, _time);
        var hub = new HubStore(new SqliteHubDatabase(hubPath), V2Indexed, _time);

        Assert.Equal(1, Sql.Long(edge, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_documents_priority'"));
        Assert.Equal(1, Sql.Long(hub, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_documents_priority'"));
        Assert.Equal("before the upgrade", edge.Get(Documents, doc.Id)!.Text("title"));
        Assert.Equal(1, edge.PendingRowCount());
    }

    [Fact]
    public void Push_EdgeOneVersionBehindEditsARow_HubKeepsTheNewerColumn()
    {
        var hub = new HubStore(new SqliteHubDatabase(_dir.File("hub.db")), V2, _time);
        var oldEdge = new EdgeStore(_dir.File("malu.db"), Malu, V1, _time);
        var doc = oldEdge.Insert(Documents, Doc("v1 edge's document"));
        Push(hub, oldEdge);
        // At the hub (schema 2) the document gets a priority ... (a hub-side write the rules would allow for the hub)
        hub.Update(Documents, doc.Id, new JsonObject { ["priority"] = "urgent" });
        var pulled = hub.Pull(Malu, new PullRequest { NodeId = Malu, SchemaVersion = 1, Cursor = 0, IncludeOwn = true });
        oldEdge.ApplyPulled(pulled); // the v1 edge ignores the column it does not know
        Assert.False(oldEdge.Get(Documents, doc.Id)!.Data.ContainsKey("priority"));

        _time.Advance(TimeSpan.FromMinutes(1));
        oldEdge.Update(Documents, doc.Id, new JsonObject { ["title"] = "edited on the old edge" });
        var res = Push(hub, oldEdge);

        Assert.Empty(res.Rejected);
        var atHub = hub.Get(Documents, doc.Id)!;
        Assert.Equal("edited on the old edge", atHub.Text("title"));
        Assert.Equal("urgent", atHub.Text("priority"));
    }

    [Fact]
    public void Pull_NewTableAndNewColumnFromANewerHub_KeptAtTheOldEdge_AndAppliedWhenItIsUpgraded()
    {
        var hub = new HubStore(new SqliteHubDatabase(_dir.File("hub.db")), V2WithNotes, _time);
        var path = _dir.File("malu.db");
        var oldEdge = new EdgeStore(path, Malu, V1, _time);
        var plain = hub.Insert(Documents, Doc("no priority set"));
        var urgent = hub.Insert(Documents, new JsonObject { ["title"] = "紧急通知", ["recipients"] = "*", ["priority"] = "urgent" });
        var note = hub.Insert("notes", new JsonObject { ["text"] = "只有新版本才有的表" });

        // The v1 edge pulls rows of a table it does not have and a column it does not know: no failure, nothing lost.
        var applied = oldEdge.ApplyPulled(hub.Pull(Malu, new PullRequest { NodeId = Malu, SchemaVersion = 1, Cursor = 0 }));

        Assert.Equal(2, applied.Applied);
        Assert.Equal(2, applied.Parked); // the note, and the urgent document's priority (a null column is nothing to keep)
        Assert.Equal(2, oldEdge.ParkedChangeCount());
        Assert.Equal("紧急通知", oldEdge.Get(Documents, urgent.Id)!.Text("title"));
        Assert.False(oldEdge.Get(Documents, urgent.Id)!.Data.ContainsKey("priority"));
        Assert.True(oldEdge.PullCursor > 0);
        Assert.Equal(0, oldEdge.PendingRowCount()); // parking is not a local change
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // Upgraded to v2: the note is there and the document has its priority, as at the hub.
        var upgraded = new EdgeStore(path, Malu, V2WithNotes, _time);

        Assert.Equal(0, upgraded.ParkedChangeCount());
        Assert.Equal("只有新版本才有的表", upgraded.Get("notes", note.Id)!.Text("text"));
        Assert.Equal(hub.Get("notes", note.Id)!.Hlc, upgraded.Get("notes", note.Id)!.Hlc);
        Assert.Equal("urgent", upgraded.Get(Documents, urgent.Id)!.Text("priority"));
        Assert.Equal(hub.Get(Documents, urgent.Id)!.Hlc, upgraded.Get(Documents, urgent.Id)!.Hlc);
        Assert.Null(upgraded.Get(Documents, plain.Id)!.Text("priority"));
        Assert.Equal(0, upgraded.PendingRowCount()); // replayed rows came from the hub: nothing to push back
        Assert.Equal(0, upgraded.OpenConflictCount());

        // A later edit of the note at the hub reaches the upgraded edge as usual.
        _time.Advance(TimeSpan.FromMinutes(1));
        hub.Update("notes", note.Id, new JsonObject { ["text"] = "已更新" });
        upgraded.ApplyPulled(hub.Pull(Malu, new PullRequest { NodeId = Malu, SchemaVersion = 2, Cursor = upgraded.PullCursor }));
        Assert.Equal("已更新", upgraded.Get("notes", note.Id)!.Text("text"));
    }

    [Fact]
    public void Upgrade_AParkedVersionOlderThanTheRowHere_DoesNotOverwriteIt()
    {
        var hub = new HubStore(new SqliteHubDatabase(_dir.File("hub.db")), V2WithNotes, _time);
        var path = _dir.File("malu.db");
        var oldEdge = new EdgeStore(path, Malu, V1, _time);
        var doc = hub.Insert(Documents, new JsonObject { ["title"] = "县里的文件", ["recipients"] = "*", ["priority"] = "urgent" });
        oldEdge.ApplyPulled(hub.Pull(Malu, new PullRequest { NodeId = Malu, SchemaVersion = 1, Cursor = 0 }));
        _time.Advance(TimeSpan.FromMinutes(1));
        oldEdge.Update(Documents, doc.Id, new JsonObject { ["title"] = "乡里改过的标题" });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var upgraded = new EdgeStore(path, Malu, V2WithNotes, _time);

        var row = upgraded.Get(Documents, doc.Id)!;
        Assert.Equal("乡里改过的标题", row.Text("title")); // the township's newer version stays
        Assert.Equal(1, upgraded.PendingRowCount());      // and still waits to be pushed (the hub keeps the priority)
        Assert.Equal(0, upgraded.ParkedChangeCount());
        Assert.Equal(0, upgraded.OpenConflictCount());
    }

    [Fact]
    public async Task Agent_EdgeOneVersionBehind_KeepsSyncingBothWays()
    {
        var hub = new HubStore(new SqliteHubDatabase(_dir.File("hub.db")), V2WithNotes, _time);
        var oldEdge = new EdgeStore(_dir.File("malu.db"), Malu, V1, _time);
        hub.Insert("notes", new JsonObject { ["text"] = "a row of a table the old edge does not have" });
        var agent = new EdgeSyncAgent(oldEdge, new InProcessTransport(hub, Malu), new SyncAgentOptions { SchemaVersion = 1 }, _time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EdgeSyncAgent>.Instance);
        var fromHub = hub.Insert(Documents, new JsonObject { ["title"] = "from the county", ["recipients"] = "*", ["priority"] = "normal" });
        var fromEdge = oldEdge.Insert(Documents, Doc("from the township"));

        var result = await agent.RunOnceAsync(CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.NotNull(hub.Get(Documents, fromEdge.Id));
        Assert.Equal("from the county", oldEdge.Get(Documents, fromHub.Id)!.Text("title"));
        Assert.Equal(2, oldEdge.ParkedChangeCount()); // the note, and the county document's priority
        Assert.True((await agent.RunOnceAsync(CancellationToken.None)).Succeeded); // and the next cycle too
    }
}
