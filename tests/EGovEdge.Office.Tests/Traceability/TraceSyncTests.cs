using EGovEdge.Office.Documents;
using EGovEdge.Office.Traceability;
using EGovEdge.Sync;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Traceability;

/// <summary>Registering at a township offline, syncing, and the hub's public lookup, on real SQLite stores.</summary>
public sealed class TraceSyncTests : IDisposable
{
    private readonly TraceWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void TraceabilityBatchRegisteredOffline_IsFoundByItsQrCodeAfterSync()
    {
        _w.World.Sync("guangshun"); // the township directory reaches the edge; then the link goes down
        var gs = _w.World.Edge("guangshun");
        var batch = _w.RegisterSample(gs);

        // The QR code encodes the hub's public URL with the short code.
        Assert.Equal(TraceWorld.PublicBase + "portal/trace/" + batch.ShortCode, batch.QrPayload);
        Assert.Contains("<svg", TraceQr.Svg(batch.QrPayload), StringComparison.Ordinal);
        var hubTrace = _w.Trace(_w.World.Hub);
        Assert.Null(hubTrace.Lookup(batch.QrPayload)); // offline: not at the hub yet
        Assert.NotNull(_w.Trace(gs).Lookup(batch.ShortCode)); // but known at the township

        _w.World.Sync("guangshun");

        var found = hubTrace.Lookup(batch.QrPayload); // what the scanned URL resolves to
        Assert.NotNull(found);
        Assert.Equal(batch.ShortCode, found.ShortCode);
        Assert.Equal("长顺绿壳鸡蛋", found.ProductName);
        Assert.Equal("顺达蔬菜种植专业合作社", found.ProducerName);
        Assert.Equal(TraceTables.KindCooperative, found.ProducerKind);
        Assert.Equal("广顺镇", found.Township);
        Assert.Equal("营盘村", found.Village);
        Assert.Equal("138****5678", found.ContactMasked);
        Assert.Equal("2026-11-20", found.ProducedOn);
        Assert.Equal("营盘村3组养殖场", found.Place);
        Assert.Equal(batch.BatchNo, found.BatchNo);
        Assert.True(TraceCodes.IsValidGtin13(found.Gtin));
        Assert.False(found.Recalled);
        Assert.Equal(found.ShortCode, hubTrace.Lookup(found.ShortCode.ToLowerInvariant())!.ShortCode);
        Assert.Null(hubTrace.Lookup("ZZZZ2222"));
    }

    [Fact]
    public void InspectionsAndRecall_RecordedAtTheTownship_ShowPubliclyAfterSync_AndTheHubMayAddResults()
    {
        var gs = _w.World.Edge("guangshun");
        var batch = _w.RegisterSample(gs);
        var trace = _w.Trace(gs);
        trace.AddInspection(batch.Id, new InspectionInput { InspectedOn = "2026-11-21", Agency = "长顺县农产品质量安全检测站", Items = "农药残留、兽药残留", Result = TraceTables.ResultPass, ReportNo = "CS-2026-118" },
            TraceWorld.Staff("zhang", "guangshun"));
        _w.World.Sync("guangshun");
        var hub = _w.Trace(_w.World.Hub);
        hub.AddInspection(batch.Id, new InspectionInput { InspectedOn = "2026-11-26", Agency = "黔南州农产品质量检测中心", Items = "抽检", Result = TraceTables.ResultFail },
            TraceWorld.Staff("admin", NodeIds.Hub));
        trace.Recall(batch.Id, "抽检不合格");
        _w.World.Sync("guangshun");

        var found = hub.Lookup(batch.ShortCode)!;
        Assert.True(found.Recalled);
        Assert.Equal("抽检不合格", found.RecallReason);
        Assert.Equal([TraceTables.ResultFail, TraceTables.ResultPass], found.Inspections.Select(i => i.Result));
        Assert.Equal("CS-2026-118", found.Inspections[1].ReportNo);
        Assert.Equal(2, _w.Trace(gs).Batch(batch.Id)!.Inspections.Count); // the hub's result reached the township
    }

    [Fact]
    public void TwoTownshipsRegisteringOffline_GetDistinctCodes_BothFoundAtTheHub()
    {
        var gs = _w.RegisterSample(_w.World.Edge("guangshun"));
        var ml = _w.RegisterSample(_w.World.Edge("malu"), "王大伯家庭农场", "马路乡高山茶");
        Assert.NotEqual(gs.ShortCode, ml.ShortCode);
        Assert.NotEqual(gs.Gtin, ml.Gtin);
        _w.World.SyncAll();

        var hub = _w.Trace(_w.World.Hub);
        Assert.Equal("长顺绿壳鸡蛋", hub.Lookup(gs.ShortCode)!.ProductName);
        Assert.Equal("马路乡高山茶", hub.Lookup(ml.ShortCode)!.ProductName);
        Assert.Equal("马路乡", hub.Lookup(ml.ShortCode)!.Township);
        // And each township can look up the other's batch once synced.
        Assert.Equal("马路乡高山茶", _w.Trace(_w.World.Edge("guangshun")).Lookup(ml.ShortCode)!.ProductName);
    }

    [Fact]
    public void BatchNumbers_AreAllocatedPerProduct_AndADuplicateIsRefused()
    {
        var gs = _w.World.Edge("guangshun");
        var first = _w.RegisterSample(gs);
        Assert.Equal("20261120-01", first.BatchNo);
        var trace = _w.Trace(gs);
        var actor = TraceWorld.Staff("zhang", "guangshun");
        var second = trace.RegisterBatch(new BatchInput { ProductId = first.ProductId, ProducedOn = "2026-11-20" }, actor);
        Assert.Equal("20261120-02", second.BatchNo);
        Assert.NotEqual(first.ShortCode, second.ShortCode);

        var dup = Assert.Throws<OfficeValidationException>(() => trace.RegisterBatch(new BatchInput { ProductId = first.ProductId, BatchNo = "20261120-01", ProducedOn = "2026-11-20" }, actor));
        Assert.Contains("batchNo", dup.Errors.Keys);
        var future = Assert.Throws<OfficeValidationException>(() => trace.RegisterBatch(new BatchInput { ProductId = first.ProductId, ProducedOn = "2027-01-01" }, actor));
        Assert.Contains("producedOn", future.Errors.Keys);
        using var conn = gs.OpenConnection();
        Assert.Equal(2, conn.ScalarLong("SELECT COUNT(*) FROM trace_batches"));
    }

    [Fact]
    public void ATownship_MayNotRecordResultsForAnotherTownshipsBatch_NorRegisterBatchesOfItsProducts()
    {
        var gsBatch = _w.RegisterSample(_w.World.Edge("guangshun"));
        var malu = _w.Trace(_w.World.Edge("malu"));
        _w.World.SyncAll();
        var actor = TraceWorld.Staff("li", "malu");
        Assert.Throws<OfficeForbiddenException>(() => malu.AddInspection(gsBatch.Id, new InspectionInput { InspectedOn = "2026-11-21", Agency = "某站", Result = TraceTables.ResultPass }, actor));
        var ex = Assert.Throws<OfficeValidationException>(() => malu.RegisterBatch(new BatchInput { ProductId = gsBatch.ProductId, ProducedOn = "2026-11-21" }, actor));
        Assert.Contains("productId", ex.Errors.Keys);
        Assert.Throws<OfficeForbiddenException>(() => malu.Recall(gsBatch.Id, "冒充召回"));
    }

    [Fact]
    public void HubWriteRules_RefuseForeignTags_ForeignInspections_AndChangedResults()
    {
        var module = new TraceabilityModule();
        var schema = _w.World.Schema;
        var gs = _w.World.Edge("guangshun");
        var batch = _w.RegisterSample(gs);
        var row = gs.Get(TraceTables.Batches, batch.Id)!;

        Assert.Null(module.CheckWrite("guangshun", schema[TraceTables.Batches], null, row));
        var squatted = row.Clone();
        squatted.Data["short_code"] = TraceCodes.ShortCode("malu", 0);
        Assert.NotNull(module.CheckWrite("guangshun", schema[TraceTables.Batches], null, squatted));
        Assert.NotNull(module.CheckWrite("malu", schema[TraceTables.Batches], row, row)); // not its row

        _w.Trace(gs).AddInspection(batch.Id, new InspectionInput { InspectedOn = "2026-11-21", Agency = "站", Result = TraceTables.ResultPass }, TraceWorld.Staff("zhang", "guangshun"));
        using var conn = gs.OpenConnection();
        var inspectionId = conn.ScalarString("SELECT id FROM trace_inspections")!;
        var inspection = gs.Get(TraceTables.Inspections, inspectionId)!;
        Assert.Null(module.CheckWrite("guangshun", schema[TraceTables.Inspections], null, inspection));
        Assert.NotNull(module.CheckWrite("guangshun", schema[TraceTables.Inspections], inspection, inspection)); // append-only
        var forged = inspection.Clone();
        forged.Data["batch_node"] = "malu";
        Assert.NotNull(module.CheckWrite("guangshun", schema[TraceTables.Inspections], null, forged));
    }

    [Fact]
    public void Uninspected_CountsThisNodesBatchesWithoutAResult()
    {
        var gs = _w.World.Edge("guangshun");
        var batch = _w.RegisterSample(gs);
        var trace = _w.Trace(gs);
        Assert.Equal(1, trace.Uninspected());
        trace.AddInspection(batch.Id, new InspectionInput { InspectedOn = "2026-11-21", Agency = "站", Result = TraceTables.ResultPass }, TraceWorld.Staff("zhang", "guangshun"));
        Assert.Equal(0, trace.Uninspected());
    }
}
