using Bunit;
using EGovEdge.Office.Components.Traceability;
using EGovEdge.Office.Traceability;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Traceability;

/// <summary>The traceability pages rendered with bUnit over real SQLite stores, in Chinese.</summary>
public sealed class TraceComponentTests : IDisposable
{
    private readonly TraceWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task PublicView_ShowsARecalledBatchProminently_WithItsInspections()
    {
        var gs = _w.World.Edge("guangshun");
        var batch = _w.RegisterSample(gs);
        var trace = _w.Trace(gs);
        trace.AddInspection(batch.Id, new InspectionInput { InspectedOn = "2026-11-21", Agency = "长顺县农产品质量安全检测站", Result = TraceTables.ResultFail, ReportNo = "CS-9" }, TraceWorld.Staff("zhang", "guangshun"));
        trace.Recall(batch.Id, "抽检不合格");
        _w.World.Sync("guangshun");
        await using var ui = new ModuleUi(_w, _w.World.Hub, "anyone", "hub");

        var cut = ui.Render<TracePublicView>(p => p.Add(x => x.Result, _w.Trace(_w.World.Hub).Lookup(batch.ShortCode)).Add(x => x.Code, batch.ShortCode));

        Assert.Contains("已召回", cut.Find("[data-testid=trace-recalled]").TextContent, StringComparison.Ordinal);
        Assert.Contains("抽检不合格", cut.Find("[data-testid=trace-recalled]").TextContent, StringComparison.Ordinal);
        Assert.Equal("长顺绿壳鸡蛋", cut.Find("[data-testid=trace-product]").TextContent);
        Assert.Equal("广顺镇 营盘村", cut.Find("[data-testid=trace-township]").TextContent.Trim());
        Assert.Equal("138****5678", cut.Find("[data-testid=trace-contact]").TextContent);
        Assert.Equal("2026年11月20日", cut.Find("[data-testid=trace-produced]").TextContent);
        Assert.Contains("不合格", cut.Find("[data-testid=trace-inspection]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("93522729MA6H000001", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicView_SaysClearlyWhenNothingIsFound()
    {
        await using var ui = new ModuleUi(_w, _w.World.Hub, "anyone", "hub");
        var cut = ui.Render<TracePublicView>(p => p.Add(x => x.Result, null).Add(x => x.Code, "ABCD2345"));
        Assert.Contains("未找到", cut.Find("[data-testid=trace-notfound]").TextContent, StringComparison.Ordinal);
        Assert.Contains("ABCD2345", cut.Find("[data-testid=trace-notfound]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ABatchOfAnExistingProduct_StoresItAndOpensTheLabel()
    {
        var gs = _w.World.Edge("guangshun");
        var first = _w.RegisterSample(gs);
        await using var ui = new ModuleUi(_w, gs, "zhang", "guangshun");
        var cut = ui.Render<TraceRegister>();

        cut.Find("#trace-batch-product").Change(first.ProductId);
        cut.Find("#trace-batch-date").Input("2026-11-25");
        cut.Find("#trace-batch-place").Input("营盘村5组");
        cut.Find("[data-testid=trace-register-batch]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/label", ui.Uri, StringComparison.Ordinal));
        using var conn = gs.OpenConnection();
        Assert.Equal("20261125-01", conn.ScalarString("SELECT batch_no FROM trace_batches WHERE place = '营盘村5组'"));
    }

    [Fact]
    public async Task Register_WithoutProduct_ShowsTheChineseErrorAndStoresNothing()
    {
        var gs = _w.World.Edge("guangshun");
        await using var ui = new ModuleUi(_w, gs, "zhang", "guangshun");
        var cut = ui.Render<TraceRegister>();
        cut.Find("[data-testid=trace-register-batch]").Click();
        cut.WaitForAssertion(() => Assert.Contains("请选择产品", cut.Markup, StringComparison.Ordinal));
        using var conn = gs.OpenConnection();
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM trace_batches"));
    }

    [Fact]
    public async Task Label_ShowsTheQrCodeTheShortCodeAndTheProduct()
    {
        var gs = _w.World.Edge("guangshun");
        var batch = _w.RegisterSample(gs);
        await using var ui = new ModuleUi(_w, gs, "zhang", "guangshun");
        var cut = ui.Render<TraceLabel>(p => p.Add(x => x.Id, batch.Id));
        var svg = cut.Find("[data-testid=trace-qr] svg");
        Assert.Null(svg.GetAttribute("width")); // scales to the label
        Assert.NotNull(svg.GetAttribute("viewBox"));
        Assert.Equal(batch.ShortCode[..4] + " " + batch.ShortCode[4..], cut.Find("[data-testid=trace-label-code]").TextContent);
        Assert.Equal("长顺绿壳鸡蛋", cut.Find("[data-testid=trace-label-product]").TextContent);
    }

    [Fact]
    public async Task Detail_AddInspection_AppendsTheResult()
    {
        var gs = _w.World.Edge("guangshun");
        var batch = _w.RegisterSample(gs);
        await using var ui = new ModuleUi(_w, gs, "zhang", "guangshun");
        var cut = ui.Render<TraceBatchDetail>(p => p.Add(x => x.Id, batch.Id));
        Assert.Single(cut.FindAll("[data-testid=trace-no-inspection]"));

        cut.Find("#trace-insp-agency").Input("长顺县农产品质量安全检测站");
        cut.Find("#trace-insp-items").Input("农药残留");
        cut.Find("[data-testid=trace-add-inspection]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=trace-inspection]")));
        Assert.Contains("合格", cut.Find("[data-testid=trace-inspection]").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, _w.Trace(gs).Uninspected());
    }
}
