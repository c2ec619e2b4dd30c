using System.Text.Json.Nodes;
using EGovEdge.Office.Seals;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Tests.Seals;

/// <summary>The hub's rules for rows a township pushes into the seal tables, directly and through a real sync.</summary>
public sealed class SealWriteRulesTests
{
    private const string Gs = "guangshun";

    private static SyncRow Row(string table, string origin, JsonObject data, bool deleted = false) => new()
    {
        Table = table,
        Id = Guid.CreateVersion7().ToString(),
        Hlc = "0000000000000001.00000@" + origin,
        Origin = origin,
        Deleted = deleted,
        Data = data,
    };

    private static SyncRow Request(string origin = Gs, string unit = Gs, string status = SealTables.Requested, string? makerSig = null) =>
        Row(SealTables.Seals, origin, new JsonObject
        {
            ["unit"] = unit, ["unit_name"] = "广顺镇人民政府", ["seal_code"] = "ES-X", ["name"] = "公章", ["image_svg"] = "<svg/>",
            ["valid_from"] = "2026-01-01", ["valid_to"] = "2030-12-31", ["signer"] = "wang", ["signer_public_key"] = "04",
            ["status"] = status, ["maker_sig"] = makerSig,
        });

    private static SyncRow Use(string origin = Gs, string node = Gs, string unit = Gs) =>
        Row(SealTables.Uses, origin, new JsonObject
        {
            ["document_id"] = "d", ["seal_id"] = Guid.NewGuid().ToString(), ["unit"] = unit, ["signer"] = "wang", ["node"] = node,
            ["at_utc"] = "2026-11-27T01:00:00Z", ["digest"] = "00", ["parts"] = "{}", ["seal_hash"] = "00", ["signature"] = "AA==",
        });

    private static string? Check(SyncTable table, SyncRow? existing, SyncRow incoming) => new SealsModule().CheckWrite(Gs, table, existing, incoming);

    [Fact]
    public void SealMaker_OnlyTheHub()
    {
        var row = Row(SealTables.Makers, Gs, new JsonObject { ["key_id"] = "k", ["public_key"] = "04", ["created_utc"] = "x" });
        Assert.Equal("only the county hub publishes the seal maker's keys", Check(SealTables.MakersDefinition, null, row));
    }

    [Fact]
    public void SealRequest_OwnUnitAllowed_OtherUnitOrIssuedOrOnBehalfRefused()
    {
        Assert.Null(Check(SealTables.SealsDefinition, null, Request()));
        Assert.Equal("a township requests seals for its own unit only", Check(SealTables.SealsDefinition, null, Request(unit: "malu")));
        Assert.Equal("only the county seal maker at the hub issues or revokes seals",
            Check(SealTables.SealsDefinition, null, Request(status: SealTables.Issued)));
        Assert.Equal("only the county seal maker at the hub issues or revokes seals",
            Check(SealTables.SealsDefinition, null, Request(makerSig: "forged")));
        Assert.StartsWith("node 'guangshun' may not write a seal on behalf of", Check(SealTables.SealsDefinition, null, Request(origin: "malu")), StringComparison.Ordinal);
    }

    [Fact]
    public void SealRow_ChangeWhileRequestedAllowed_ChangeOfIssuedRefused()
    {
        var requested = Request();
        var edited = requested.Clone();
        edited.Data["name"] = "党委公章";
        Assert.Null(Check(SealTables.SealsDefinition, requested, edited));

        var issued = requested.Clone();
        issued.Data["status"] = SealTables.Issued;
        issued.Data["maker_sig"] = "sig";
        var tampered = issued.Clone();
        tampered.Data["valid_to"] = "2099-12-31";
        Assert.Equal("a seal is issued, revoked and changed only by the county seal maker at the hub", Check(SealTables.SealsDefinition, issued, tampered));
        var unrevoked = issued.Clone();
        unrevoked.Data["status"] = SealTables.Revoked;
        Assert.NotNull(Check(SealTables.SealsDefinition, issued, unrevoked));
    }

    [Fact]
    public void SealUse_AppendOnlyOwnUnitOwnNode()
    {
        Assert.Null(Check(SealTables.UsesDefinition, null, Use()));
        Assert.Equal("a township applies only its own unit's seals", Check(SealTables.UsesDefinition, null, Use(unit: "malu")));
        Assert.Equal("a township records only its own seal uses", Check(SealTables.UsesDefinition, null, Use(node: "malu")));
        Assert.Equal("a township records only its own seal uses", Check(SealTables.UsesDefinition, null, Use(origin: "malu", node: "malu")));
        var use = Use();
        Assert.Equal("用印登记 is append-only", Check(SealTables.UsesDefinition, use, use.Clone()));
        var deleted = Use();
        deleted.Deleted = true;
        Assert.Equal("用印登记 is append-only", Check(SealTables.UsesDefinition, null, deleted));
    }

    [Fact]
    public void Sync_TownshipIssuesItsOwnSeal_HubRefusesAndKeepsTheRequest()
    {
        using var w = new SealWorld();
        w.AddUser("wang", Gs);
        var seal = w.Registry(Gs).Request(new SealRequest { Name = "公章", UnitName = "广顺镇人民政府", Signer = "wang" }, "x");
        w.World.Sync(Gs);
        // The township forges an issue locally (it holds no maker key, so it signs with its own).
        w.Store(Gs).Update(SealTables.Seals, seal.Id, new JsonObject { ["status"] = SealTables.Issued, ["maker_sig"] = "AAAA", ["maker_key_id"] = "k" });

        w.World.Sync(Gs);

        Assert.Equal(SealTables.Requested, w.Store(NodeIds.Hub).Get(SealTables.Seals, seal.Id)!.Text("status"));
        Assert.Equal(SealTables.Requested, w.Store(Gs).Get(SealTables.Seals, seal.Id)!.Text("status"));
    }
}
