using System.Text.Json.Nodes;
using EGovEdge.Office.Archives;
using EGovEdge.Office.Seals;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Archives;

/// <summary>Filed items travel to the hub and no further; the hub's write rule refuses forged or altered items.</summary>
public sealed class ArchiveSyncTests : IDisposable
{
    private readonly ArchiveWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void FiledItem_SyncsToTheHub_WhichRebuildsTheSamePackage_AndNoOtherTownshipReceivesIt()
    {
        var doc = _w.Dispatched();
        var item = Assert.Single(_w.Archive("guangshun").File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));

        _w.Wf.Sync();

        var hub = _w.Archive("hub");
        var atHub = Assert.Single(hub.List());
        Assert.Equal(item.ArchivalCode, atHub.ArchivalCode);
        Assert.Equal("guangshun", atHub.Node);
        Assert.Equal(item.PackageSm3, SmCrypto.Sm3Hex(hub.Package(item.Id)!.Value.Zip));
        Assert.True(hub.Check(item.Id).Passed);
        Assert.Null(_w.Store("malu").Get(ArchiveTables.Items, item.Id));
        Assert.Empty(_w.Archive("malu").List());
    }

    [Fact]
    public void ForgedItemForAnotherTownship_IsRefusedByTheHub_AndKeptAsRejectedAtTheEdge()
    {
        var malu = _w.Store("malu");
        var forged = malu.Insert(ArchiveTables.Items, new JsonObject
        {
            ["document_id"] = Guid.NewGuid().ToString(), ["direction"] = "out", ["node"] = "guangshun", ["fonds"] = "GUANGSHUN", ["year"] = 2026L,
            ["retention"] = "Y", ["item_no"] = 1L, ["archival_code"] = "GUANGSHUN-WS·2026-Y-0001", ["title"] = "伪造的归档文件", ["date_written"] = "2026-11-27",
            ["filed_by"] = "x", ["filed_utc"] = "2026-11-27T01:00:00.0000000Z", ["package_sm3"] = "00",
        });

        _w.Wf.World.Sync("malu");

        Assert.Null(_w.Wf.World.Hub.Get(ArchiveTables.Items, forged.Id));
        using var conn = malu.OpenConnection();
        var reason = conn.ScalarString("SELECT reason FROM _sync_rejected WHERE row_id = @r", null, ("@r", forged.Id));
        Assert.Contains("files documents only as itself", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HubRule_RefusesAChangedArchivalCode_AWithdrawal_AndAMismatchedCode_ButAcceptsANoteChange()
    {
        var module = new ArchiveModule();
        var table = ArchiveTables.ItemsDefinition;
        SyncRow Row(string code, long itemNo = 7, bool deleted = false, string note = "") => new()
        {
            Table = table.Name, Id = "0195f3a0-0000-7000-8000-000000000001", Hlc = "1", Origin = "guangshun", Deleted = deleted,
            Data = new JsonObject
            {
                ["document_id"] = "d1", ["direction"] = "out", ["node"] = "guangshun", ["fonds"] = "GS01", ["year"] = 2026L, ["retention"] = "Y",
                ["item_no"] = itemNo, ["archival_code"] = code, ["date_written"] = "2026-11-27", ["filed_by"] = "x", ["filed_utc"] = "t",
                ["handling"] = "{}", ["seal_result"] = "{}", ["manifest"] = "{}", ["package_sm3"] = "ab", ["note"] = note,
            },
        };
        var filed = Row("GS01-WS·2026-Y-0007");

        Assert.Null(module.CheckWrite("guangshun", table, null, filed));
        Assert.Null(module.CheckWrite("guangshun", table, filed, Row("GS01-WS·2026-Y-0007", note: "补充说明")));
        Assert.Contains("never changes", module.CheckWrite("guangshun", table, filed, Row("GS01-WS·2026-Y-0008", 8)), StringComparison.Ordinal);
        Assert.Contains("never withdrawn", module.CheckWrite("guangshun", table, filed, Row("GS01-WS·2026-Y-0007", deleted: true)), StringComparison.Ordinal);
        Assert.Contains("must read", module.CheckWrite("guangshun", table, null, Row("GS01-WS·2026-Y-0008")), StringComparison.Ordinal);
        Assert.Contains("must read", module.CheckWrite("guangshun", table, null, Row("GS01-2026-Y-0007")), StringComparison.Ordinal);
        Assert.NotNull(module.CheckWrite("malu", table, null, filed));
        Assert.NotNull(module.CheckWrite("malu", table, filed, Row("GS01-WS·2026-Y-0007", note: "改")));
    }
}
