using System.Text.Json;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Notices;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Notices;

public sealed class SmsOutboxTests : IDisposable
{
    private readonly NoticeWorld _w = new();

    public void Dispose() => _w.Dispose();

    private string Queue(SmsOutbox outbox, string phone = "13800000001", int priority = 0) =>
        _w.World.Hub.Transact(w => outbox.Queue(w, phone, "【通知】测试", "notice", "ref-1", "zhang", priority));

    [Fact]
    public async Task TransientFailures_RetryWithExponentialBackoff_ThenSentOnce()
    {
        var gateway = new ScriptedGateway().FailTimes(2);
        var outbox = _w.Outbox(_w.World.Hub, gateway);
        var id = Queue(outbox);
        var t0 = _w.World.Time.GetUtcNow();

        Assert.Equal(1, await outbox.DispatchDueAsync());
        var first = outbox.Get(id)!;
        Assert.Equal(("queued", 1, "carrier busy"), (first.Status, first.Attempts, first.LastError));
        Assert.Equal(t0.AddSeconds(30), first.NextAttemptUtc);           // base delay

        _w.World.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await outbox.DispatchDueAsync());                   // not due yet
        _w.World.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await outbox.DispatchDueAsync());
        var second = outbox.Get(id)!;
        Assert.Equal(("queued", 2), (second.Status, second.Attempts));
        Assert.Equal(_w.World.Time.GetUtcNow().AddSeconds(60), second.NextAttemptUtc); // doubled

        _w.World.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await outbox.DispatchDueAsync());
        var done = outbox.Get(id)!;
        Assert.Equal(("sent", 3, "p-3", (string?)null), (done.Status, done.Attempts, done.ProviderId, done.LastError));
        Assert.Equal(_w.World.Time.GetUtcNow(), done.SentUtc);

        _w.World.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await outbox.DispatchDueAsync());                   // acknowledged: never handed over again
        Assert.Equal(3, gateway.Calls.Count);
        Assert.All(gateway.Calls, c => Assert.Equal(id, c.Id));             // the same client message id every try
    }

    [Fact]
    public async Task AlwaysFailing_GivesUpAfterMaxAttempts_WithTheLastError()
    {
        var gateway = new ScriptedGateway().FailTimes(10, "timeout");
        var outbox = _w.Outbox(_w.World.Hub, gateway);
        var id = Queue(outbox);

        for (var i = 0; i < 6; i++)
        {
            await outbox.DispatchDueAsync();
            _w.World.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var sms = outbox.Get(id)!;
        Assert.Equal(("failed", 3, "timeout", (DateTimeOffset?)null), (sms.Status, sms.Attempts, sms.LastError, sms.NextAttemptUtc));
        Assert.Equal(3, gateway.Calls.Count);
    }

    [Fact]
    public async Task PermanentRejection_FailsAtOnce()
    {
        var gateway = new ScriptedGateway().Then(_ => SmsSendResult.Rejected("invalid template"));
        var outbox = _w.Outbox(_w.World.Hub, gateway);
        var id = Queue(outbox);

        await outbox.DispatchDueAsync();
        _w.World.Time.Advance(TimeSpan.FromHours(1));
        await outbox.DispatchDueAsync();

        Assert.Equal(("failed", 1, "invalid template"), (outbox.Get(id)!.Status, outbox.Get(id)!.Attempts, outbox.Get(id)!.LastError));
        Assert.Single(gateway.Calls);
    }

    [Fact]
    public async Task GatewayThrowing_CountsAsAFailedTry_NotAsACrash()
    {
        var gateway = new ScriptedGateway().Then(_ => throw new HttpRequestException("connection refused"));
        var outbox = _w.Outbox(_w.World.Hub, gateway);
        var id = Queue(outbox);

        await outbox.DispatchDueAsync();

        var sms = outbox.Get(id)!;
        Assert.Equal(("queued", 1), (sms.Status, sms.Attempts));
        Assert.Contains("connection refused", sms.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryInterruptedByARestart_IsRetriedAfterItsLease_ByANewOutbox()
    {
        var outbox = _w.Outbox(_w.World.Hub, new ScriptedGateway());
        var id = Queue(outbox);
        // A try recorded as "sending" whose outcome never came back (the node stopped mid-send).
        _w.World.Hub.Update(SmsOutboxTable.Name, id, new() { ["status"] = "sending", ["attempts"] = 1L,
            ["next_attempt_utc"] = _w.World.Time.GetUtcNow().AddMinutes(1).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        var gateway = new ScriptedGateway();
        var restarted = _w.Outbox(_w.World.Hub, gateway);

        Assert.Equal(0, await restarted.DispatchDueAsync());               // lease still running
        _w.World.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await restarted.DispatchDueAsync());

        Assert.Equal(("sent", 2), (restarted.Get(id)!.Status, restarted.Get(id)!.Attempts));
        Assert.Equal(id, Assert.Single(gateway.Calls).Id);
    }

    [Fact]
    public async Task DeliveryReceipts_MoveSentToDeliveredOrFailed_LoggedNeverBecomesDelivered()
    {
        var outbox = _w.Outbox(_w.World.Hub, new ScriptedGateway().Then(_ => SmsSendResult.Sent("a")).Then(_ => SmsSendResult.Sent("b"))
            .Then(_ => SmsSendResult.Logged("log")));
        var ok = Queue(outbox, "13800000001", priority: 2);
        var bad = Queue(outbox, "13800000002", priority: 1);
        var logged = Queue(outbox, "13800000003");
        await outbox.DispatchDueAsync();

        Assert.True(outbox.ReportDelivery(ok, new SmsDeliveryReport { Delivered = true, Code = "DELIVRD" }));
        Assert.True(outbox.ReportDelivery(bad, new SmsDeliveryReport { Delivered = false, Code = "UNDELIV" }));
        Assert.False(outbox.ReportDelivery(logged, new SmsDeliveryReport { Delivered = true }));
        Assert.False(outbox.ReportDelivery(ok, new SmsDeliveryReport { Delivered = false })); // already final

        Assert.Equal(("delivered", "a"), (outbox.Get(ok)!.Status, outbox.Get(ok)!.ProviderId));
        Assert.Equal(_w.World.Time.GetUtcNow(), outbox.Get(ok)!.DeliveredUtc);
        Assert.Equal(("failed", "carrier: UNDELIV"), (outbox.Get(bad)!.Status, outbox.Get(bad)!.LastError));
        Assert.Equal("logged", outbox.Get(logged)!.Status);
        var list = outbox.List();
        Assert.Equal((1L, 1L, 1L, 0L), (list.Counts["delivered"], list.Counts["failed"], list.Counts["logged"], list.Counts["queued"]));
    }

    [Fact]
    public async Task LogFileGateway_WritesOneJsonLinePerMessage_StatusLoggedNotDelivered()
    {
        var env = _w.Env("hub");
        var gateway = new LogFileSmsGateway(env, _w.World.Time);
        var outbox = _w.Outbox(_w.World.Hub, gateway);
        var a = Queue(outbox, "13800000001");
        var b = Queue(outbox, "13800000002");

        Assert.Equal(2, await outbox.DispatchDueAsync());

        var path = Path.Combine(env.DataDir, "sms", "outbox.log");
        Assert.Equal(path, gateway.LogPath);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines.Single(l => l.Contains(a, StringComparison.Ordinal)));
        Assert.Equal((a, "13800000001", "【通知】测试", "logged", "hub"), (first.RootElement.GetProperty("id").GetString(), first.RootElement.GetProperty("phone").GetString(),
            first.RootElement.GetProperty("text").GetString(), first.RootElement.GetProperty("status").GetString(), first.RootElement.GetProperty("node").GetString()));
        Assert.All(lines, l => Assert.Contains("【通知】测试", l, StringComparison.Ordinal)); // readable Chinese, not \u escapes
        Assert.Equal(("logged", "logged"), (outbox.Get(a)!.Status, outbox.Get(b)!.Status));
    }

    [Fact]
    public void Backoff_DoublesWithJitterWithinTwentyPercent_AndIsCapped()
    {
        var outbox = _w.Outbox(_w.World.Hub, new ScriptedGateway());
        _w.Jitter = 0;
        Assert.Equal(TimeSpan.FromSeconds(24), outbox.Backoff(1));
        _w.Jitter = 1;
        Assert.Equal(TimeSpan.FromSeconds(72), outbox.Backoff(2));
        _w.Jitter = 0.5;
        Assert.Equal(TimeSpan.FromSeconds(120), outbox.Backoff(3));
        Assert.Equal(TimeSpan.FromMinutes(10), outbox.Backoff(12)); // capped at MaxDelay
    }

    [Theory]
    [InlineData("13800138000", true)]
    [InlineData("19912345678", true)]
    [InlineData("12800138000", false)]
    [InlineData("1380013800", false)]
    [InlineData("138001380001", false)]
    [InlineData("+8613800138000", false)]
    [InlineData("1380013800a", false)]
    [InlineData("", false)]
    public void IsMobile_MainlandNumbersOnly(string phone, bool ok) => Assert.Equal(ok, SmsOutbox.IsMobile(phone));

    [Fact]
    public async Task TownshipDispatcher_SendsOnlyItsOwnRows()
    {
        var gs = _w.World.Edge("guangshun");
        var hubOutbox = _w.Outbox(_w.World.Hub, new ScriptedGateway());
        var gsOutbox = _w.Outbox(gs, new ScriptedGateway());
        gs.Transact(w => gsOutbox.Queue(w, "13800000009", "乡镇短信", "notice", null, null));
        _w.World.SyncAll();

        using var conn = _w.World.Hub.OpenConnection();
        Assert.Equal(1, conn.ScalarLong("SELECT COUNT(*) FROM sms_outbox WHERE origin = 'guangshun'")); // the hub sees the counts
        Assert.Equal(0, await hubOutbox.DispatchDueAsync());
        Assert.Equal(1, hubOutbox.List().Counts["queued"]);
    }

    [Fact]
    public void UserPhones_ValidatedOnCreateAndUpdate()
    {
        var ex = Assert.Throws<OfficeValidationException>(() => _w.Staff("bad", "guangshun", "12345"));
        Assert.Contains("11 位", ex.Errors["phone"][0], StringComparison.Ordinal);
        var u = _w.Staff("zhang", "guangshun", "138 0000 0001");
        Assert.Equal("13800000001", _w.Users.Phones()[u.Id]);

        _w.Users.Update(u.Id, null, null, "+86 139-0000-0002");
        Assert.Equal("13900000002", _w.Users.Phones()[u.Id]);
        Assert.Throws<OfficeValidationException>(() => _w.Users.Update(u.Id, null, null, "110"));
        _w.Users.Update(u.Id, null, null, "");
        Assert.False(_w.Users.Phones().ContainsKey(u.Id));
        _w.Users.Update(u.Id, ["leader"], null);                       // no phone given: unchanged
        Assert.False(_w.Users.Phones().ContainsKey(u.Id));
    }
}
