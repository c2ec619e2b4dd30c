using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Notices;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Notices;

public sealed class NoticeServiceTests : IDisposable
{
    private readonly NoticeWorld _w = new();

    public void Dispose() => _w.Dispose();

    private static NoticeReader Reader(string user, string unit) => new(user, unit);

    [Fact]
    public void NoticeToTownship_ReachesItsStaff_ReadReceiptFlowsBackToTheSenderAtTheHub()
    {
        _w.Staff("zhang", "guangshun", "13800000001");
        _w.Staff("li", "guangshun");
        _w.Staff("wang", "malu");
        var hubNotices = _w.Notices(_w.World.Hub);
        var sent = hubNotices.Send(new NoticeInput { Title = "关于做好冬季防火工作的通知", Body = "各乡镇：……", Units = ["guangshun"] }, "admin");
        _w.World.Edge("guangshun");
        _w.World.Edge("malu");
        _w.World.SyncAll();

        var gs = _w.Notices(_w.World.Edge("guangshun"));
        var inbox = gs.List(Reader("zhang", "guangshun"));
        var item = Assert.Single(inbox.Items);
        Assert.Equal((sent.Id, false, 1L), (item.Id, item.Read, inbox.Unread));
        Assert.Empty(_w.Notices(_w.World.Edge("malu")).List(Reader("wang", "malu")).Items); // not addressed: never reaches malu
        Assert.Null(_w.World.Edge("malu").Get(NoticesTable.Name, sent.Id));

        Assert.True(gs.MarkRead(sent.Id, Reader("zhang", "guangshun")));
        Assert.False(gs.MarkRead(sent.Id, Reader("zhang", "guangshun"))); // once per reader
        Assert.Equal(0, gs.List(Reader("zhang", "guangshun")).Unread);
        _w.World.SyncAll();

        var receipts = hubNotices.Receipts(sent.Id)!;
        Assert.Equal((1, 1), (receipts.Read, receipts.Unread));
        var zhang = receipts.Addressees.Single(a => a.Username == "zhang");
        Assert.Equal(("guangshun", "guangshun"), (zhang.Node, zhang.Unit));
        Assert.NotNull(zhang.ReadUtc);
        Assert.Null(receipts.Addressees.Single(a => a.Username == "li").ReadUtc);
        Assert.Equal(1, hubNotices.List(Reader("admin", "hub"), NoticeBox.Sent).Items.Single().ReadCount);
    }

    [Fact]
    public void MarkRead_ByStaffTheNoticeIsNotFor_IsRefusedAndWritesNothing()
    {
        var hub = _w.World.Hub;
        var n = _w.Notices(hub).Send(new NoticeInput { Title = "通知", Units = ["malu"] }, "admin");

        Assert.Throws<OfficeForbiddenException>(() => _w.Notices(hub).MarkRead(n.Id, Reader("zhang", "guangshun")));

        using var conn = hub.OpenConnection();
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM notice_reads"));
    }

    [Fact]
    public void NamedStaff_GetsTheNoticeAtTheirTownship_UnitsOfNamedUsersGoIntoTheScope()
    {
        _w.Staff("zhang", "guangshun");
        var n = _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "请张三参会", Users = ["zhang"] }, "admin");
        _w.World.Edge("guangshun");
        _w.World.SyncAll();

        var row = _w.World.Hub.Get(NoticesTable.Name, n.Id)!;
        Assert.Equal("|guangshun|", row.Text("user_units"));
        Assert.Single(_w.Notices(_w.World.Edge("guangshun")).List(Reader("zhang", "guangshun")).Items);
        Assert.Empty(_w.Notices(_w.World.Edge("guangshun")).List(Reader("li", "guangshun")).Items);
    }

    [Fact]
    public void Warning_IsUrgent_QueuesSmsForAddresseesWithPhones_AndShowsAsAlertUntilRead()
    {
        _w.Staff("zhang", "guangshun", "13800000001");
        _w.Staff("li", "guangshun");                      // no phone: no SMS
        _w.Staff("zhao", "guangshun", "13900000002");
        _w.Users.Update(_w.Users.FindByUsername("zhao")!.Id, null, true); // disabled: no SMS
        _w.Staff("wang", "malu", "13700000003");          // another unit
        var notices = _w.Notices(_w.World.Hub);

        var n = notices.Send(new NoticeInput { Kind = "warning", Title = "暴雨红色预警", Body = "今夜有特大暴雨", Units = ["guangshun"], Priority = 0 }, "admin");

        Assert.Equal((2, true), (n.Priority, n.Sms));
        using (var conn = _w.World.Hub.OpenConnection())
        using (var cmd = conn.Command("SELECT phone, status, ref_id, purpose, text FROM sms_outbox"))
        using (var r = cmd.ExecuteReader())
        {
            Assert.True(r.Read());
            Assert.Equal(("13800000001", "queued", n.Id, "warning"), (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
            Assert.StartsWith("【预警】暴雨红色预警：今夜有特大暴雨", r.GetString(4), StringComparison.Ordinal);
            Assert.False(r.Read());
        }
        _w.World.Edge("guangshun");
        _w.World.SyncAll();
        var gs = _w.Notices(_w.World.Edge("guangshun"));
        var zhang = Reader("zhang", "guangshun");
        Assert.Equal(n.Id, Assert.Single(gs.Alerts(zhang)).Id);
        Assert.Equal(1, gs.ActiveWarningCount(zhang));

        gs.MarkRead(n.Id, zhang);

        Assert.Empty(gs.Alerts(zhang));
        Assert.Equal(1, gs.ActiveWarningCount(zhang)); // still in force, just read
        using var edgeConn = _w.World.Edge("guangshun").OpenConnection();
        Assert.Equal(0, edgeConn.ScalarLong("SELECT COUNT(*) FROM sms_outbox")); // the hub's outbox stays at the hub
    }

    [Fact]
    public void ExpiredWarning_NoLongerAlertsNorCountsAsActive()
    {
        var notices = _w.Notices(_w.World.Hub);
        notices.Send(new NoticeInput { Kind = "warning", Title = "大风预警", Units = ["*"], ExpiresUtc = _w.World.Time.GetUtcNow().AddHours(6) }, "admin");
        var reader = Reader("zhang", "guangshun");
        Assert.Single(notices.Alerts(reader));

        _w.World.Time.Advance(TimeSpan.FromHours(7));

        Assert.Empty(notices.Alerts(reader));
        Assert.Equal(0, notices.ActiveWarningCount(reader));
        Assert.Single(notices.List(reader).Items); // still in the inbox
    }

    [Fact]
    public async Task ScheduledReminder_HiddenAndNotTextedUntilDue_ThenShownAndSent()
    {
        _w.Staff("zhang", "guangshun", "13800000001");
        var gateway = new ScriptedGateway();
        var outbox = _w.Outbox(_w.World.Hub, gateway);
        var notices = new NoticeService(_w.World.Hub, outbox, _w.World.Time, _w.Text);
        var due = _w.World.Time.GetUtcNow().AddHours(2);

        var n = notices.Send(new NoticeInput { Kind = "reminder", Title = "下午三点开会", Users = ["zhang"], Sms = true, DueUtc = due }, "admin");

        var zhang = Reader("zhang", "guangshun");
        Assert.Empty(notices.List(zhang).Items);
        Assert.Equal(0, await outbox.DispatchDueAsync());
        Assert.Empty(gateway.Calls);

        _w.World.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(n.Id, Assert.Single(notices.List(zhang).Items).Id);
        Assert.Equal(1, await outbox.DispatchDueAsync());
        Assert.Equal("13800000001", Assert.Single(gateway.Calls).Phone);
    }

    [Fact]
    public void Send_InvalidInput_GivesFieldErrorsAndStoresNothing()
    {
        var notices = _w.Notices(_w.World.Hub);

        var ex = Assert.Throws<OfficeValidationException>(() => notices.Send(
            new NoticeInput { Kind = "gossip", Title = " ", Users = ["nobody"], Units = ["*", "malu"], Link = "https://evil.example", DueUtc = _w.World.Time.GetUtcNow().AddHours(1) },
            "admin"));

        Assert.Equal(["dueUtc", "kind", "link", "title", "units", "users"], ex.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("标题不能为空", ex.Errors["title"][0]);
        Assert.Throws<OfficeValidationException>(() => notices.Send(new NoticeInput { Title = "无人接收" }, "admin"));
        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM notices"));
    }

    [Fact]
    public void NoticeSender_InCallersTransaction_RollsBackWithIt()
    {
        _w.Staff("zhang", "hub", "13800000001");
        INoticeSender sender = _w.Notices(_w.World.Hub);

        Assert.Throws<InvalidOperationException>(() => _w.World.Hub.Transact<int>(w =>
        {
            sender.Send(w, new NoticeMessage(NoticeKinds.Reminder, "会议提醒", "", [], ["zhang"], Sms: true), "admin");
            throw new InvalidOperationException("the meeting could not be saved");
        }));
        var id = _w.World.Hub.Transact(w => sender.Send(w, new NoticeMessage(NoticeKinds.Reminder, "会议提醒", "", [], ["zhang", "stranger"], Sms: true, SourceId: "m1", Link: "/meetings/m1"), "admin"));

        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(1, conn.ScalarLong("SELECT COUNT(*) FROM notices"));
        Assert.Equal(1, conn.ScalarLong("SELECT COUNT(*) FROM sms_outbox")); // the unknown "stranger" gets no SMS
        var n = _w.Notices(_w.World.Hub).Get(id)!;
        Assert.Equal(["zhang", "stranger"], n.Users);
        Assert.Equal(("m1", "/meetings/m1"), (n.SourceId, n.Link));
    }

    [Fact]
    public async Task Stats_CountPerDayWeekAndMonth_InChinaTime_WithTheFakeClock()
    {
        _w.Staff("zhang", "hub", "13800000001");
        var gateway = new ScriptedGateway().Then(_ => SmsSendResult.Rejected("blacklisted"));
        var outbox = _w.Outbox(_w.World.Hub, gateway);
        var notices = new NoticeService(_w.World.Hub, outbox, _w.World.Time, _w.Text);
        var clock = _w.World.Time;
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 29, 15, 30, 0, TimeSpan.Zero)); // Sunday 29th 23:30 China time
        notices.Send(new NoticeInput { Title = "周日通知", Users = ["zhang"] }, "admin");
        notices.Send(new NoticeInput { Kind = "warning", Title = "周日预警", Users = ["zhang"] }, "admin");
        await outbox.DispatchDueAsync(); // rejected: failed
        clock.Advance(TimeSpan.FromHours(1));                                          // Monday 30th 00:30 China time
        notices.Send(new NoticeInput { Kind = "reminder", Title = "周一提醒", Users = ["zhang"], Sms = true }, "admin");
        notices.Send(new NoticeInput { Kind = "reminder", Title = "十二月提醒", Users = ["zhang"], DueUtc = clock.GetUtcNow().AddDays(2) }, "admin");
        await outbox.DispatchDueAsync(); // sent
        clock.Advance(TimeSpan.FromDays(3));                                           // Thursday 3 December: the scheduled one is out

        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var to = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var days = notices.Stats(from, to, StatsPeriod.Day);
        var weeks = notices.Stats(from, to, StatsPeriod.Week);
        var months = notices.Stats(from, to, StatsPeriod.Month);

        Assert.Equal(["2026-11-29", "2026-11-30", "2026-12-02"], days.Buckets.Select(b => b.Period));
        var sunday = days.Buckets[0];
        Assert.Equal((1, 0, 1, 1, 0, 1), (sunday.Notices, sunday.Reminders, sunday.Warnings, sunday.SmsQueued, sunday.SmsSent, sunday.SmsFailed));
        var monday = days.Buckets[1];
        Assert.Equal((0, 1, 0, 1, 1, 0), (monday.Notices, monday.Reminders, monday.Warnings, monday.SmsQueued, monday.SmsSent, monday.SmsFailed));
        Assert.Equal(["2026-11-23", "2026-11-30"], weeks.Buckets.Select(b => b.Period));
        Assert.Equal((1, 1, 2), (weeks.Buckets[0].Notices, weeks.Buckets[0].Warnings, weeks.Buckets[1].Reminders));
        Assert.Equal(["2026-11", "2026-12"], months.Buckets.Select(b => b.Period));
        Assert.Equal((1, 1, 1, 2, 1, 1), (months.Total.Notices, months.Total.Warnings, months.Buckets[1].Reminders, months.Total.SmsQueued, months.Total.SmsSent, months.Total.SmsFailed));
        Assert.Throws<OfficeValidationException>(() => notices.Stats(to, from, StatsPeriod.Day));
    }

    [Fact]
    public void StatsPeriod_IsWrittenAsText_WhicheverJsonResolverServesIt()
    {
        var dto = new NoticeStatsDto { Period = StatsPeriod.Week, Buckets = [], Total = new NoticeStatsBucket { Period = "total" } };

        Assert.Contains("\"period\":\"Week\"", System.Text.Json.JsonSerializer.Serialize(dto, System.Text.Json.JsonSerializerOptions.Web), StringComparison.Ordinal);
        Assert.Contains("\"period\":\"Week\"", System.Text.Json.JsonSerializer.Serialize(dto, NoticeJsonContext.Default.NoticeStatsDto), StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_AtATownship_CountOnlyWhatItSent()
    {
        var gs = _w.World.Edge("guangshun");
        _w.Notices(gs).Send(new NoticeInput { Title = "广顺镇通知", Units = ["hub"] }, "clerk");
        _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "县里通知", Units = ["*"] }, "admin");
        _w.World.SyncAll();
        var range = (_w.World.Time.GetUtcNow().AddDays(-1), _w.World.Time.GetUtcNow().AddDays(1));

        Assert.Equal(1, _w.Notices(gs).Stats(range.Item1, range.Item2, StatsPeriod.Day).Total.Notices);
        Assert.Equal(2, _w.Notices(_w.World.Hub).Stats(range.Item1, range.Item2, StatsPeriod.Day).Total.Notices);
    }

    [Fact]
    public void HubWriteRule_ReadReceiptsAppendOnlyAndOnlyForReadsAtThatTownship()
    {
        var module = new NoticesModule();
        var t = NoticeReadsTable.Definition;
        SyncRow Receipt(string origin, string node) => new()
        {
            Table = t.Name, Id = Guid.CreateVersion7().ToString(), Hlc = "x", Origin = origin,
            Data = new JsonObject { ["notice_id"] = "n", ["notice_origin"] = "hub", ["username"] = "zhang", ["node"] = node, ["read_utc"] = "t" },
        };

        Assert.Null(module.CheckWrite("guangshun", t, null, Receipt("guangshun", "guangshun")));
        Assert.NotNull(module.CheckWrite("guangshun", t, null, Receipt("guangshun", "malu")));
        Assert.NotNull(module.CheckWrite("guangshun", t, null, Receipt("malu", "malu")));
        var existing = Receipt("guangshun", "guangshun");
        Assert.NotNull(module.CheckWrite("guangshun", t, existing, existing.Clone()));
        var sms = new SyncRow { Table = SmsOutboxTable.Name, Id = "s", Hlc = "x", Origin = "malu", Data = [] };
        Assert.NotNull(module.CheckWrite("guangshun", SmsOutboxTable.Definition, null, sms));
    }

    [Fact]
    public void TownshipPushingAReceiptForAnotherTownship_IsRefusedByTheHub()
    {
        var n = _w.Notices(_w.World.Hub).Send(new NoticeInput { Title = "全县通知", Units = ["*"] }, "admin");
        var gs = _w.World.Edge("guangshun");
        _w.World.SyncAll();
        gs.Insert(NoticeReadsTable.Name, new JsonObject
        {
            ["notice_id"] = n.Id, ["notice_origin"] = "hub", ["username"] = "wang", ["node"] = "malu", ["read_utc"] = "2026-11-27T01:00:00Z",
        });

        _w.World.Sync("guangshun");

        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM notice_reads"));
    }
}
