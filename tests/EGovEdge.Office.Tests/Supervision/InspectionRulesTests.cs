using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Supervision;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using static EGovEdge.Office.Tests.Supervision.SupervisionWorld;

namespace EGovEdge.Office.Tests.Supervision;

/// <summary>Inspection records and rectification replies across hub and townships, with the hub's write rules.</summary>
public sealed class InspectionRulesTests : IDisposable
{
    private readonly SupervisionWorld _w = new();

    public InspectionRulesTests()
    {
        var dir = new TownshipDirectory(_w.World.Hub);
        dir.Publish(Gs, "广顺镇");
        dir.Publish(Ml, "马路乡");
        _w.World.Edge(Gs);
        _w.World.Edge(Ml);
    }

    public void Dispose() => _w.Dispose();

    [Fact]
    public void HubRecordsAnInspection_OnlyTheInspectedTownshipReceivesIt_AndItsReplyReachesTheHub()
    {
        var hub = _w.Inspections(_w.World.Hub);
        var i = hub.Add(new InspectionInput { Team = "第一督查组", Unit = Gs, InspectedOn = "2026-11-18", Findings = "收文登记不及时", Rating = InspectionRatings.Pass }, "chen");
        _w.World.SyncAll();

        var gs = _w.Inspections(_w.World.Edge(Gs));
        Assert.Equal("收文登记不及时", Assert.Single(gs.List(Gs, supervisor: false)).Findings);
        Assert.Empty(_w.Inspections(_w.World.Edge(Ml)).List(null, supervisor: true));

        gs.Reply(i.Id, "已整改，收文当日登记", "zhang");
        _w.World.SyncAll();
        hub.FollowUp(i.Id, new FollowUpInput { Status = InspectionStatus.Closed, FollowUp = "整改到位" });
        _w.World.SyncAll();

        var atHub = hub.Get(i.Id)!;
        Assert.Equal("已整改，收文当日登记", Assert.Single(atHub.Replies).Reply);
        Assert.Equal(InspectionStatus.Closed, atHub.Status);
        Assert.Equal(InspectionStatus.Closed, gs.Get(i.Id)!.Status);
        Assert.Equal("zhang", Assert.Single(gs.Get(i.Id)!.Replies).Author);
    }

    [Fact]
    public void TownshipWrites_ThatBreakTheRules_AreRefusedByTheHub()
    {
        var hub = _w.Inspections(_w.World.Hub);
        var i = hub.Add(new InspectionInput { Team = "第二督查组", Unit = Gs, InspectedOn = "2026-11-18", Findings = "未按时签收", Rating = InspectionRatings.Fail }, "chen");
        _w.World.SyncAll();
        var gsStore = _w.World.Edge(Gs);
        var mlStore = _w.World.Edge(Ml);
        var gs = _w.Inspections(gsStore);

        // a township records an inspection of itself
        var own = gsStore.Insert(InspectionsTable.Name, new JsonObject
        {
            ["team"] = "自查", ["unit"] = Gs, ["inspected_on"] = "2026-11-19", ["findings"] = "全部合格", ["rating"] = InspectionRatings.Excellent,
            ["status"] = InspectionStatus.Closed, ["inspector"] = "zhang", ["created_utc"] = "2026-11-19T00:00:00Z",
        });
        // a township changes the hub's finding
        gsStore.Update(InspectionsTable.Name, i.Id, new JsonObject { ["rating"] = InspectionRatings.Excellent });
        // another township replies in guangshun's name
        var forged = mlStore.Insert(RectificationsTable.Name, new JsonObject
        {
            ["inspection_id"] = i.Id, ["unit"] = Gs, ["reply"] = "代为回复", ["author"] = "wang", ["at_utc"] = "2026-11-19T00:00:00Z",
        });
        // the real reply, then an edit of it
        var reply = gs.Reply(i.Id, "已整改", "zhang");
        _w.World.SyncAll();
        gsStore.Update(RectificationsTable.Name, reply.Id, new JsonObject { ["reply"] = "改口：无需整改" });
        _w.World.SyncAll();

        Assert.Null(_w.World.Hub.Get(InspectionsTable.Name, own.Id));
        Assert.Equal(InspectionRatings.Fail, _w.World.Hub.Get(InspectionsTable.Name, i.Id)!.Text("rating"));
        Assert.Null(_w.World.Hub.Get(RectificationsTable.Name, forged.Id));
        Assert.Equal("已整改", _w.World.Hub.Get(RectificationsTable.Name, reply.Id)!.Text("reply"));
        using var conn = _w.World.Hub.OpenConnection();
        var rejected = new List<string>();
        using (var cmd = conn.Command("SELECT DISTINCT row_id FROM hub_rejected WHERE tbl IN ('sup_inspections', 'sup_rectifications')"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) rejected.Add(r.GetString(0));
        }
        Assert.Equal(new[] { own.Id, i.Id, forged.Id, reply.Id }.Order(StringComparer.Ordinal), rejected.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Inspections_AreWrittenOnlyAtTheHub_AndRepliesOnlyAtTheInspectedUnit()
    {
        Assert.Throws<OfficeForbiddenException>(() => _w.Inspections(_w.World.Edge(Gs)).Add(
            new InspectionInput { Team = "自查", Unit = Gs, InspectedOn = "2026-11-18", Findings = "x", Rating = InspectionRatings.Pass }, "zhang"));
        var i = _w.Inspections(_w.World.Hub).Add(
            new InspectionInput { Team = "第三督查组", Unit = Gs, InspectedOn = "2026-11-18", Findings = "x", Rating = InspectionRatings.Pass }, "chen");
        Assert.Throws<OfficeForbiddenException>(() => _w.Inspections(_w.World.Hub).Reply(i.Id, "由县里代为回复", "chen"));
        var bad = Assert.Throws<OfficeValidationException>(() => _w.Inspections(_w.World.Hub).Add(new InspectionInput { Unit = "Bad Unit", Rating = "great" }, "chen"));
        Assert.Equal(["findings", "inspectedOn", "rating", "team", "unit"], bad.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CheckWrite_AppendOnlyReplies_AsItself()
    {
        var module = new SupervisionModule();
        var table = RectificationsTable.Definition;
        Assert.Equal("inspection records are written at the county hub",
            module.CheckWrite(Gs, InspectionsTable.Definition, null, Row(InspectionsTable.Name, Gs, new JsonObject { ["unit"] = Gs })));
        var ok = Row(table.Name, Gs, new JsonObject { ["inspection_id"] = "i1", ["unit"] = Gs, ["reply"] = "已整改", ["author"] = "zhang" });
        Assert.Null(module.CheckWrite(Gs, table, null, ok));
        Assert.Equal("rectification replies are append-only", module.CheckWrite(Gs, table, ok, ok));
        Assert.Equal("a township replies only to inspections of itself, as itself",
            module.CheckWrite(Ml, table, null, Row(table.Name, Ml, new JsonObject { ["inspection_id"] = "i1", ["unit"] = Gs, ["reply"] = "x", ["author"] = "wang" })));
        Assert.Equal("a reply has text and an author",
            module.CheckWrite(Gs, table, null, Row(table.Name, Gs, new JsonObject { ["inspection_id"] = "i1", ["unit"] = Gs, ["reply"] = " ", ["author"] = "zhang" })));
    }

    private static EGovEdge.Sync.Schema.SyncRow Row(string table, string origin, JsonObject data) =>
        new() { Table = table, Id = Guid.NewGuid().ToString(), Hlc = "0000000000000001.00000@" + origin, Origin = origin, Data = data };
}
