using EGovEdge.Office.Tickets;

namespace EGovEdge.Office.Tests.Tickets;

public sealed class RedactorAndResidentTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void Scrub_removes_phone_id_email_and_landline_patterns_even_without_the_residents_data()
    {
        var text = "请联系王五 13912345678 或 0854-7221234，邮箱 ww@example.cn，身份证 52272919850506001X，工单号 2026000123。";
        var s = Redactor.Scrub(text);
        Assert.DoesNotContain("13912345678", s, StringComparison.Ordinal);
        Assert.Contains("139****5678", s, StringComparison.Ordinal);
        Assert.DoesNotContain("7221234", s, StringComparison.Ordinal);
        Assert.DoesNotContain("ww@example.cn", s, StringComparison.Ordinal);
        Assert.DoesNotContain("52272919850506001X", s, StringComparison.Ordinal);
        Assert.Contains("2026000123", s, StringComparison.Ordinal); // a 10-digit number is not personal data
        Assert.Equal("王*", Redactor.MaskName("王五"));
        Assert.Equal("138****0000", Redactor.MaskPhone("13800000000"));
    }

    [Fact]
    public void Resident_rates_the_reply_with_number_and_code_and_unsatisfied_reopens()
    {
        var hub = _w.Hub;
        var c = hub.Create(TicketWorld.Complaint(), TicketActor.Resident);
        Assert.False(hub.ResidentCallback(c.Number, c.QueryCode, Satisfaction.Satisfied)); // nothing to rate yet
        hub.Act(c.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "已处理", ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "县城管局" }, TicketWorld.Clerk("hub"));
        Assert.False(hub.ResidentCallback(c.Number, "WRONGCODE", Satisfaction.Satisfied));
        Assert.True(hub.ResidentCallback(c.Number, c.QueryCode, Satisfaction.Unsatisfied, "灯还是不亮"));
        Assert.Equal(TicketState.Accepted, hub.Track(c.Number, c.QueryCode)!.State);
        hub.Act(c.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "已更换灯泡", ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "县城管局" }, TicketWorld.Clerk("hub"));
        Assert.True(hub.ResidentCallback(c.Number, c.QueryCode, Satisfaction.Satisfied));
        var track = hub.Track(c.Number, c.QueryCode)!;
        Assert.Equal(TicketState.Closed, track.State);
        Assert.Equal(Satisfaction.Satisfied, track.Satisfaction);
        Assert.Equal("已更换灯泡", track.Reply);
        Assert.Single(hub.Outcomes());
    }

    [Fact]
    public void Photos_must_be_real_images_within_the_size_limit()
    {
        var hub = _w.Hub;
        Assert.Null(hub.PhotoError(new TicketPhoto("image/png", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0 })));
        Assert.Equal("Val_PhotoType", hub.PhotoError(new TicketPhoto("image/png", "not a png at all"u8.ToArray())));
        Assert.Equal("Val_PhotoType", hub.PhotoError(new TicketPhoto("application/pdf", "%PDF-1.7"u8.ToArray())));
        Assert.Equal("Val_PhotoTooLarge", hub.PhotoError(new TicketPhoto("image/jpeg", new byte[hub.Options.MaxPhotoBytes + 1])));
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3 };
        var c = hub.Create(TicketWorld.Complaint(), TicketActor.Resident, new TicketPhoto("image/jpeg", jpeg));
        Assert.Equal(jpeg, hub.Photo(c.Id)!.Value.Data);
    }
}
