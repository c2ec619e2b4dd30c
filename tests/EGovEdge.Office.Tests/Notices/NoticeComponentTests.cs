using Bunit;
using EGovEdge.Office.Components.Notices;
using EGovEdge.Office.Notices;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Notices;

/// <summary>The notices pages rendered with bUnit over real SQLite stores, in Chinese.</summary>
public sealed class NoticeComponentTests : IDisposable
{
    private readonly NoticeWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Inbox_ShowsUnreadMarks_MarkReadClearsOneAndWritesTheReceipt()
    {
        _w.Staff("zhang", "guangshun");
        var hub = _w.Notices(_w.World.Hub);
        hub.Send(new NoticeInput { Title = "关于冬季防火的通知", Units = ["guangshun"] }, "admin");
        _w.World.Time.Advance(TimeSpan.FromMinutes(1));
        var second = hub.Send(new NoticeInput { Kind = "reminder", Title = "请按时报送材料", Users = ["zhang"] }, "admin");
        var gs = _w.World.Edge("guangshun");
        _w.World.SyncAll();
        await using var ui = new NoticeUi(_w, gs, "zhang", "guangshun");

        var cut = ui.Render<NoticeList>();

        Assert.Equal(["请按时报送材料", "关于冬季防火的通知"], cut.FindAll("[data-testid=notice-link]").Select(a => a.TextContent));
        Assert.Equal(2, cut.FindAll("[data-testid=notice-unread]").Count);
        Assert.Equal("共 2 条", cut.Find("[data-testid=notice-count]").TextContent);
        Assert.Contains("提醒", cut.FindAll("[data-testid=notice-kind]")[0].TextContent, StringComparison.Ordinal);

        cut.FindAll("[data-testid=mark-read]")[0].Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=notice-unread]")));
        Assert.True(_w.Notices(gs).HasRead(second.Id, "zhang"));
    }

    [Fact]
    public async Task Stats_View_ShowsTheTotalsRow()
    {
        _w.Staff("zhang", "hub");
        _w.Notices(_w.World.Hub).Send(new NoticeInput { Kind = "warning", Title = "寒潮预警", Users = ["zhang"] }, "admin");
        await using var ui = new NoticeUi(_w, _w.World.Hub, "admin", "hub", null, "admin");

        var cut = ui.Render<NoticeList>();
        cut.Find("[data-testid=view-stats]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=stats-row]")));
        var total = cut.Find("[data-testid=stats-total]").TextContent;
        Assert.StartsWith("合计", total.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_WithoutAddressee_ShowsChineseErrorAndStoresNothing()
    {
        await using var ui = new NoticeUi(_w, _w.World.Hub, "admin", "hub", null, "admin");
        var cut = ui.Render<NoticeCompose>();

        cut.Find("#notice-title").Input("关于春节值班安排的通知");
        cut.Find("[data-testid=send-notice]").Click();

        cut.WaitForAssertion(() => Assert.Contains("请选择接收单位或人员", cut.Markup, StringComparison.Ordinal));
        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM notices"));
    }

    [Fact]
    public async Task Compose_ToNamedStaffWithSms_SendsQueuesTheSmsAndGoesBackToTheList()
    {
        _w.Staff("zhang", "guangshun", "13800000001");
        await using var ui = new NoticeUi(_w, _w.World.Hub, "admin", "hub", null, "admin");
        var cut = ui.Render<NoticeCompose>();

        cut.Find("#notice-title").Input("请于周五前报送年度总结");
        cut.Find("#notice-body").Change("各位同事：……");
        cut.Find("#notice-users").Change("zhang");
        var sms = cut.Find("[data-testid=notice-sms]");
        (sms.TagName == "INPUT" ? sms : sms.QuerySelector("input")!).Change(true);
        cut.Find("[data-testid=send-notice]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/notices", ui.Uri, StringComparison.Ordinal));
        var sent = Assert.Single(_w.Notices(_w.World.Hub).List(new NoticeReader("admin", "hub"), NoticeBox.Sent).Items);
        Assert.Equal(("请于周五前报送年度总结", "各位同事：……", true), (sent.Title, sent.Body, sent.Sms));
        Assert.Equal(["zhang"], sent.Users);
        Assert.Equal("13800000001", Assert.Single(_w.Outbox(_w.World.Hub, new ScriptedGateway()).List().Items).Phone);
    }

    [Fact]
    public async Task Detail_OpenedByTheAddresseeMarksRead_SenderSeesWhoReadIt()
    {
        _w.Staff("zhang", "hub");
        _w.Staff("li", "hub");
        var n = _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "明日上午开会", Users = ["zhang", "li"] }, "admin");

        await using (var zhang = new NoticeUi(_w, _w.World.Hub, "zhang", "hub"))
        {
            var mine = zhang.Render<NoticeDetail>(p => p.Add(x => x.Id, n.Id));
            Assert.Equal("明日上午开会", mine.Find("[data-testid=notice-title]").TextContent);
            Assert.NotNull(mine.Find("[data-testid=notice-read-state]"));
            Assert.Empty(mine.FindAll("[data-testid=receipt-row]")); // an addressee does not see the others
        }
        await using var admin = new NoticeUi(_w, _w.World.Hub, "admin", "hub", null, "admin");

        var cut = admin.Render<NoticeDetail>(p => p.Add(x => x.Id, n.Id));

        Assert.Equal("已读 1 人，未读 1 人", cut.Find("[data-testid=receipt-summary]").TextContent);
        Assert.Equal(2, cut.FindAll("[data-testid=receipt-row]").Count);
        Assert.Single(cut.FindAll("[data-testid=receipt-read]"));
    }

    [Fact]
    public async Task Detail_NotForMe_ShowsNotFound()
    {
        var n = _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "仅发马路乡", Units = ["malu"] }, "admin");
        await using var ui = new NoticeUi(_w, _w.World.Hub, "zhang", "hub");

        var cut = ui.Render<NoticeDetail>(p => p.Add(x => x.Id, n.Id));

        Assert.NotNull(cut.Find("[data-testid=notice-missing]"));
        Assert.DoesNotContain("仅发马路乡", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmsPage_SaysMessagesAreOnlyLogged_ShowsCountsAndMaskedPhones()
    {
        _w.Staff("zhang", "hub", "13812345678");
        var outbox = _w.Outbox(_w.World.Hub, new LogFileSmsGateway(_w.Env("hub"), _w.World.Time));
        _w.Notices(_w.World.Hub).Send(new NoticeInput { Kind = "warning", Title = "山洪预警", Users = ["zhang"] }, "admin");
        await outbox.DispatchDueAsync();
        await using var ui = new NoticeUi(_w, _w.World.Hub, "admin", "hub", null, "admin");

        var cut = ui.Render<SmsOutboxPage>();

        Assert.Contains("outbox.log", cut.Find("[data-testid=sms-log-note]").TextContent, StringComparison.Ordinal);
        Assert.Equal("138****5678", cut.Find("[data-testid=sms-row]").TextContent);
        Assert.Equal("已记录（未发出）", cut.Find("[data-testid=sms-status]").TextContent);
        Assert.Contains("1", cut.Find("[data-testid=sms-count-logged]").TextContent, StringComparison.Ordinal);
    }
}
