using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.PortalContent;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Tests.PortalContent;

public sealed class PortalContentServiceTests : IDisposable
{
    private readonly OfficeWorld _w = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _w.Dispose();
    }

    internal PortalContentService Portal(ILocalStore store) => new(store, _w.Time, _services.GetRequiredService<IStringLocalizer<PortalText>>());

    [Fact]
    public void DemoCatalogue_IsSeededOnceAtTheHub_ReachesTownships_AndIsNotReseededAfterDeletion()
    {
        var hub = Portal(_w.Hub);
        Assert.Equal(0, Portal(_w.Edge("guangshun")).SeedDemoServices());
        var n = hub.SeedDemoServices();
        Assert.True(n >= 6);
        Assert.Equal(0, hub.SeedDemoServices());
        var all = hub.Services();
        Assert.All(all, s => Assert.True(s.Demo));
        var homestead = Assert.Single(hub.Services("宅基地"));
        Assert.Equal(ServiceCategories.Licensing, homestead.Category);
        Assert.True(homestead.PromisedDays <= homestead.LegalDays);
        Assert.True(homestead.Procedure.Count > 3);
        Assert.Contains(homestead.Materials, m => m.Contains("户口簿", StringComparison.Ordinal));
        Assert.All(hub.Services(category: ServiceCategories.Benefit), s => Assert.Equal(ServiceCategories.Benefit, s.Category));

        _w.SyncAll();
        _w.Sync("guangshun");
        Assert.Equal(n, Portal(_w.Edge("guangshun")).Services().Count);

        foreach (var s in all) hub.DeleteService(s.Id);
        Assert.Equal(0, hub.SeedDemoServices());
        Assert.Empty(hub.Services());
    }

    [Fact]
    public void Service_Edits_AreValidated_HubOnly_AndNoLongerDemo()
    {
        var hub = Portal(_w.Hub);
        hub.SeedDemoServices();
        var s = hub.Services("残疾人证").Single();
        var bad = Assert.Throws<OfficeValidationException>(() => hub.SaveService(s.Id, new PortalServiceInput
        {
            Name = s.Name, Department = s.Department, Category = s.Category, LegalDays = 5, PromisedDays = 10,
        }, "admin"));
        Assert.Equal("承诺时限不能长于法定时限", bad.Errors["promisedDays"].Single());
        var saved = hub.SaveService(s.Id, new PortalServiceInput
        {
            Name = s.Name, Department = s.Department, Category = s.Category, LegalDays = 20, PromisedDays = 5,
            Procedure = "1、申请\n\n2、评定\n", Materials = "身份证\n照片",
        }, "admin");
        Assert.False(saved.Demo);
        Assert.Equal(5, saved.PromisedDays);
        Assert.Equal(["1、申请", "2、评定"], saved.Procedure);
        Assert.Throws<OfficeForbiddenException>(() => Portal(_w.Edge("malu")).SaveService(null, new PortalServiceInput { Name = "x", Department = "y", Category = "public" }, "clerk"));
    }

    [Fact]
    public void Consultation_CountsAnonymousOpinionsWhileOpen_ThenPublishesItsSummary()
    {
        var hub = Portal(_w.Hub);
        var c = hub.SaveConsultation(null, new ConsultationInput
        {
            Topic = "长顺县农村人居环境整治方案征求意见", Description = "欢迎提出意见建议。", OpensOn = "2026-11-20", ClosesOn = "2026-12-05", Publisher = "县农业农村局",
        }, "admin");
        Assert.Equal(ConsultationStates.Open, c.State);
        hub.SubmitOpinion(c.Id, "建议增加村内垃圾收集点。");
        hub.SubmitOpinion(c.Id, "希望硬化通组路。");
        Assert.Throws<OfficeValidationException>(() => hub.SubmitOpinion(c.Id, "好"));
        Assert.Equal(2, hub.GetConsultation(c.Id)!.Opinions);
        Assert.Equal(2, hub.Consultations().Single().Opinions);
        Assert.Equal(2, hub.Opinions(c.Id).Count);

        _w.Time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(ConsultationStates.Closed, hub.GetConsultation(c.Id)!.State);
        var late = Assert.Throws<OfficeValidationException>(() => hub.SubmitOpinion(c.Id, "再提一条意见建议"));
        Assert.Equal("该征集未在进行中", late.Errors["text"].Single());
        var done = hub.PublishSummary(c.Id, "共收到意见2条，采纳1条。");
        Assert.Equal("共收到意见2条，采纳1条。", done.Summary);

        // Opinions stay at the hub; the consultation itself reaches townships.
        _w.Sync("guangshun");
        var edge = Portal(_w.Edge("guangshun"));
        Assert.Equal(0, edge.GetConsultation(c.Id)!.Opinions);
        Assert.NotNull(edge.GetConsultation(c.Id)!.Summary);
    }

    [Fact]
    public void Notices_AndProjects_ArePublishedNewestFirst_AndTownshipsCannotPushPortalRows()
    {
        var hub = Portal(_w.Hub);
        hub.SaveNotice(null, new PortalNoticeInput { Title = "关于2027年城乡居民医保集中缴费的通告", Body = "……", Publisher = "长顺县医疗保障局" }, "admin");
        _w.Time.Advance(TimeSpan.FromHours(1));
        var second = hub.SaveNotice(null, new PortalNoticeInput { Title = "长顺县冬季森林防火通告", Publisher = "长顺县林业局" }, "admin");
        Assert.Equal(second.Id, hub.Notices()[0].Id);
        var project = hub.SaveProject(null, new PortalProjectInput { Name = "长顺绿壳鸡蛋深加工项目", Industry = "农产品加工", AmountWan = 8000 }, "admin");
        Assert.Equal(8000, hub.Projects().Single().AmountWan);
        Assert.True(hub.WithdrawNotice(second.Id));
        Assert.Single(hub.Notices());

        var gs = _w.Edge("guangshun");
        gs.Insert(PortalNoticesTable.Name, new System.Text.Json.Nodes.JsonObject
        {
            ["title"] = "伪造", ["publisher"] = "x", ["published_utc"] = "2026-11-27T01:00:00Z",
        });
        _w.Sync("guangshun");
        Assert.Single(hub.Notices());
        Assert.NotNull(project.Id);
    }
}
