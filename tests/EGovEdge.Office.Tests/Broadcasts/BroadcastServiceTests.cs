using EGovEdge.Office.Broadcasts;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Notices;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Broadcasts;

public sealed class BroadcastServiceTests : IDisposable
{
    private readonly BroadcastWorld _w = new();

    public void Dispose() => _w.Dispose();

    private void PortalSubscribe(string phone, string township, string? village, params string[] topics)
    {
        var hub = _w.Broadcasts(_w.World.Hub);
        hub.RequestSubscribe(new SubscriberInput { Phone = phone, Township = township, Village = village, Topics = [.. topics] });
        Assert.Equal(BroadcastService.ActionSubscribe, hub.Confirm(phone, _w.LastCode(_w.World.Hub, phone)));
    }

    [Fact]
    public async Task Broadcasts_ReachExactlyTheSubscribersOfTheirTopicAndTownship_AndCountDeliveryFromTheOutbox()
    {
        var gs = _w.World.Edge("guangshun");
        var ml = _w.World.Edge("malu");
        PortalSubscribe("13800000001", "guangshun", "营盘村", BroadcastTopics.Weather);
        _w.Broadcasts(gs).Register(new SubscriberInput { Phone = "13800000002", Name = "王大户", Village = "营盘村", Topics = ["farming", "weather"] }, "clerk-gs");
        _w.Broadcasts(gs).Register(new SubscriberInput { Phone = "13800000003", Village = "杨柳村", Topics = ["pension"] }, "clerk-gs");
        _w.Broadcasts(ml).Register(new SubscriberInput { Phone = "13800000004", Topics = ["weather"] }, "clerk-ml");
        _w.World.SyncAll();

        // County-wide weather warning from the hub: every weather subscriber of every township, once each.
        var hub = _w.Broadcasts(_w.World.Hub);
        var warning = hub.Publish(new BroadcastInput { Topic = "weather", Text = "明日有强降雨，请做好防范。" }, "admin");
        Assert.Equal(3, warning.Recipients);
        Assert.Equal(["13800000001", "13800000002", "13800000004"], _w.BroadcastPhones(_w.World.Hub, warning.Id));
        Assert.Equal(3, warning.Counts.Queued);

        // The county to one village of guangshun.
        var village = hub.Publish(new BroadcastInput { Topic = "weather", Township = "guangshun", Village = "营盘村", Text = "营盘村请注意山洪。" }, "admin");
        Assert.Equal(["13800000001", "13800000002"], _w.BroadcastPhones(_w.World.Hub, village.Id));

        // A township's own farming broadcast: its farming subscribers only.
        var farming = _w.Broadcasts(gs).Publish(new BroadcastInput { Topic = "farming", Text = "生猪价格行情：本周每斤7.2元。" }, "clerk-gs");
        Assert.Equal("guangshun", farming.Township);
        Assert.Equal(["13800000002"], _w.BroadcastPhones(gs, farming.Id));

        // Delivery: the hub's gateway accepts all; one carrier receipt says delivered.
        await _w.Outbox(_w.World.Hub).DispatchDueAsync();
        var firstSms = _w.World.Hub.OpenConnection();
        string smsId;
        using (firstSms)
        {
            smsId = firstSms.ScalarString("SELECT id FROM sms_outbox WHERE ref_id = @r AND phone = '13800000004'", null, ("@r", warning.Id))!;
        }
        Assert.True(_w.Outbox(_w.World.Hub).ReportDelivery(smsId, new SmsDeliveryReport { Delivered = true }));
        var counted = hub.Get(warning.Id)!;
        Assert.Equal(0, counted.Counts.Queued);
        Assert.Equal(2, counted.Counts.Sent);
        Assert.Equal(1, counted.Counts.Delivered);
        Assert.Equal(3, counted.Counts.Total);

        // The township's broadcast and its SMS reach the hub, which counts them too; the township sees the county's.
        await _w.Outbox(gs).DispatchDueAsync();
        _w.World.SyncAll();
        Assert.Equal(1, hub.Get(farming.Id)!.Counts.Sent);
        Assert.Contains(_w.Broadcasts(gs).List(), b => b.Id == warning.Id);
        Assert.DoesNotContain(_w.Broadcasts(ml).List(), b => b.Id == farming.Id);
    }

    [Fact]
    public void Unsubscribe_ByPhoneAndCode_StopsBroadcasts_AndAWrongCodeChangesNothing()
    {
        PortalSubscribe("13900000001", "guangshun", null, "pension", "weather");
        var hub = _w.Broadcasts(_w.World.Hub);
        Assert.Equal(1, hub.Publish(new BroadcastInput { Topic = "pension", Text = "养老保险缴费截止日期为12月31日。" }, "admin").Recipients);

        _w.World.Time.Advance(TimeSpan.FromMinutes(2));
        hub.RequestUnsubscribe("13900000001");
        var code = _w.LastCode(_w.World.Hub, "13900000001");
        var wrong = code == "000000" ? "000001" : "000000";
        var ex = Assert.Throws<OfficeValidationException>(() => hub.Confirm("13900000001", wrong));
        Assert.Equal("验证码不正确", ex.Errors["code"].Single());
        Assert.Equal(SubscriberStatus.Active, hub.Subscribers().Items.Single().Status);

        Assert.Equal(BroadcastService.ActionUnsubscribe, hub.Confirm("13900000001", code));
        Assert.Equal(SubscriberStatus.Cancelled, hub.Subscribers().Items.Single().Status);
        Assert.Equal(0, hub.Publish(new BroadcastInput { Topic = "pension", Text = "第二条通知" }, "admin").Recipients);
        // The code is used up.
        Assert.Throws<OfficeValidationException>(() => hub.Confirm("13900000001", code));
    }

    [Fact]
    public void Portal_Subscription_IsPendingUntilTheCodeIsEntered_CodesExpireAndResendsWait()
    {
        var hub = _w.Broadcasts(_w.World.Hub);
        hub.RequestSubscribe(new SubscriberInput { Phone = "13700000001", Township = "malu", Topics = ["farming"] });
        Assert.Equal(SubscriberStatus.Pending, hub.Subscribers().Items.Single().Status);
        Assert.Equal(0, hub.Publish(new BroadcastInput { Topic = "farming", Text = "春耕备耕技术要点" }, "admin").Recipients);

        var again = Assert.Throws<OfficeValidationException>(() => hub.RequestSubscribe(new SubscriberInput { Phone = "13700000001", Township = "malu", Topics = ["farming"] }));
        Assert.Contains("phone", again.Errors.Keys);

        var code = _w.LastCode(_w.World.Hub, "13700000001");
        _w.World.Time.Advance(BroadcastService.CodeLifetime + TimeSpan.FromSeconds(1));
        var expired = Assert.Throws<OfficeValidationException>(() => hub.Confirm("13700000001", code));
        Assert.Equal("验证码已失效，请重新获取", expired.Errors["code"].Single());
        Assert.Equal(SubscriberStatus.Pending, hub.Subscribers().Items.Single().Status);

        var bad = Assert.Throws<OfficeValidationException>(() => hub.RequestSubscribe(new SubscriberInput { Phone = "1234", Township = "malu", Topics = [] }));
        Assert.Contains("phone", bad.Errors.Keys);
        Assert.Contains("topics", bad.Errors.Keys);
    }

    [Fact]
    public void Township_CannotBroadcastBeyondItsOwnSubscribers_AndTheHubRefusesSuchRows()
    {
        var gs = _w.World.Edge("guangshun");
        var ex = Assert.Throws<OfficeValidationException>(() =>
            _w.Broadcasts(gs).Publish(new BroadcastInput { Topic = "weather", Township = "*", Text = "全县通知" }, "clerk"));
        Assert.Contains("township", ex.Errors.Keys);

        // A forged county-wide row written straight into the township's store is refused at the hub.
        gs.Insert(BroadcastsTable.Name, new System.Text.Json.Nodes.JsonObject
        {
            ["topic"] = "weather", ["township"] = "*", ["text"] = "伪造", ["publisher"] = "x", ["published_utc"] = "2026-11-27T01:00:00Z",
        });
        gs.Insert(BroadcastSubscribersTable.Name, new System.Text.Json.Nodes.JsonObject
        {
            ["phone"] = "13800000009", ["township"] = "malu", ["topics"] = "|weather|", ["status"] = "active", ["created_utc"] = "2026-11-27T01:00:00Z",
        });
        _w.World.Sync("guangshun");
        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM broadcasts"));
        Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM broadcast_subscribers"));
    }

    [Fact]
    public void Township_CancelsAPortalSubscriberOfItsOwnTownship_AndTheCancellationSyncs()
    {
        PortalSubscribe("13600000001", "guangshun", null, "weather");
        var gs = _w.World.Edge("guangshun");
        _w.World.SyncAll();
        var edge = _w.Broadcasts(gs);
        var sub = edge.Subscribers().Items.Single();
        Assert.True(edge.Cancel(sub.Id, "clerk-gs"));
        _w.World.SyncAll();
        Assert.Equal(SubscriberStatus.Cancelled, _w.Broadcasts(_w.World.Hub).GetSubscriber(sub.Id)!.Status);
        Assert.Empty(_w.Broadcasts(_w.World.Edge("malu")).Subscribers().Items);
    }
}
