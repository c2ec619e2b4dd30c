using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Identity;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>Registration, leave, sign-in, statistics, materials, closing, minutes and the calendar feed on real stores.</summary>
public sealed class MeetingLifecycleTests : IDisposable
{
    private readonly BookingNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    private MeetingDto BookAtGuangshun(MeetingService svc)
    {
        var room = svc.CreateRoom(new RoomInput { Name = "一楼会议室" });
        return svc.Book(new MeetingInput
        {
            RoomId = room.Id, Title = "安全生产工作会", Start = BookingNodes.At(9), End = BookingNodes.At(11),
            Attendees = ["zhang", "wang", "zhao"], AttendeeUnits = ["malu"], Agenda = "一、通报情况\n二、部署工作",
        }, BookingNodes.Staff("li", "guangshun"));
    }

    [Fact]
    public void Attendance_LeaveNeedsReason_SignInWindow_AndStatistics()
    {
        var svc = _nodes.Meetings("guangshun");
        var m = BookAtGuangshun(svc);

        svc.Respond(m.Id, MeetingTables.Accept, null, BookingNodes.Staff("zhang", "guangshun"));
        Assert.Throws<OfficeValidationException>(() => svc.Respond(m.Id, MeetingTables.Leave, " ", BookingNodes.Staff("wang", "guangshun")));
        svc.Respond(m.Id, MeetingTables.Leave, "下村督导", BookingNodes.Staff("wang", "guangshun"));
        // Now is 2026-11-27 09:00 China time: the day before, so sign-in is not open yet.
        Assert.Throws<OfficeValidationException>(() => svc.Respond(m.Id, MeetingTables.SignIn, null, BookingNodes.Staff("zhang", "guangshun")));
        _nodes.World.Time.SetUtcNow(BookingNodes.At(8, 50));
        svc.Respond(m.Id, MeetingTables.SignIn, null, BookingNodes.Staff("zhang", "guangshun"));

        var stats = svc.Detail(m.Id)!.Stats;
        Assert.Equal(3, stats.Invited);
        Assert.Equal(1, stats.Accepted);
        Assert.Equal(1, stats.OnLeave);
        Assert.Equal(1, stats.SignedIn);
        Assert.Equal(0.333, stats.Rate);
        Assert.Single(svc.Statistics(BookingNodes.At(0), BookingNodes.At(23)));
    }

    [Fact]
    public void Materials_StoredWithHash_LimitedTo10MB_ArchivedOnClose_ThenNoMore()
    {
        var svc = _nodes.Meetings("guangshun");
        var m = BookAtGuangshun(svc);
        var actor = BookingNodes.Staff("li", "guangshun");
        var bytes = "会议材料"u8.ToArray();

        var mat = svc.AddMaterial(m.Id, new MaterialInput { Name = "材料.txt", ContentType = "text/plain", Data = Convert.ToBase64String(bytes) }, actor);
        var big = Assert.Throws<OfficeValidationException>(() => svc.AddMaterial(m.Id,
            new MaterialInput { Name = "big.bin", Data = Convert.ToBase64String(new byte[MeetingService.MaxMaterialBytes + 1]) }, actor));
        Assert.Contains("data", big.Errors.Keys);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), mat.Sha256);
        Assert.Equal(bytes, svc.Material(mat.Id)!.Value.Data);
        Assert.False(mat.Archived);

        svc.Close(m.Id, actor, dispatcher: false);

        Assert.True(svc.Detail(m.Id)!.Materials.Single().Archived);
        Assert.Equal(1, _nodes.Store("guangshun").Get(MeetingTables.Materials, mat.Id)!.Integer("archived"));
        Assert.Throws<OfficeValidationException>(() => svc.AddMaterial(m.Id, new MaterialInput { Name = "late.txt", Data = "eA==" }, actor));
    }

    [Fact]
    public void Minutes_CreatedAsDocumentOfType纪要_WithPresentAndLeaveLists_AndLinked()
    {
        var svc = _nodes.Meetings("guangshun");
        var m = BookAtGuangshun(svc);
        _nodes.World.Time.SetUtcNow(BookingNodes.At(9));
        svc.Respond(m.Id, MeetingTables.SignIn, null, new Actor("zhang", "张三", "guangshun"));
        svc.Respond(m.Id, MeetingTables.Leave, "出差", new Actor("wang", "王五", "guangshun"));

        var docId = svc.CreateMinutes(m.Id, BookingNodes.Staff("li", "guangshun"));

        var doc = _nodes.Store("guangshun").Get(DocumentsTable.Name, docId)!;
        Assert.Equal("纪要", doc.Text("doc_type"));
        Assert.Equal("安全生产工作会纪要", doc.Text("title"));
        Assert.Contains("出席：张三", doc.Text("body"), StringComparison.Ordinal);
        Assert.Contains("请假：王五（出差）", doc.Text("body"), StringComparison.Ordinal);
        Assert.Equal(docId, svc.Get(m.Id)!.MinutesDocId);
        Assert.Equal(docId, svc.CreateMinutes(m.Id, BookingNodes.Staff("li", "guangshun")));
    }

    [Fact]
    public void CalendarFeed_KeyHashed_RegenerateInvalidatesOld_IcsInShanghaiTime()
    {
        var svc = _nodes.Meetings("guangshun");
        var m = BookAtGuangshun(svc);
        var zhang = BookingNodes.Staff("zhang", "guangshun");

        var oldKey = svc.RegenerateFeedKey(zhang);
        _nodes.World.Time.Advance(TimeSpan.FromSeconds(1));
        var key = svc.RegenerateFeedKey(zhang);

        Assert.False(svc.FeedKeyValid("zhang", oldKey));
        Assert.True(svc.FeedKeyValid("zhang", key));
        Assert.False(svc.FeedKeyValid("wang", key));
        using (var conn = _nodes.Store("guangshun").OpenConnection())
        {
            Assert.Equal(0, conn.ScalarLong("SELECT COUNT(*) FROM mtg_feed_keys WHERE key_hash = @k", null, ("@k", key)));
        }
        var ics = MeetingCalendar.Build(svc.List(null, null, "zhang", "guangshun"), "zhang", "guangshun");
        Assert.Contains("BEGIN:VTIMEZONE", ics, StringComparison.Ordinal);
        Assert.Contains("TZID:Asia/Shanghai", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Asia/Shanghai:20261128T090000", ics, StringComparison.Ordinal);
        Assert.Contains($"UID:{m.Id}@egovedge", ics, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:安全生产工作会", ics, StringComparison.Ordinal);
        Assert.Empty(svc.List(null, null, "nobody", "xinhe"));
        Assert.Single(svc.List(null, null, "someone", "malu")); // invited by unit
    }

    [Fact]
    public void WorkSource_CountsMeetingsToAttend_AndBookingsToConfirm()
    {
        var svc = _nodes.Meetings("guangshun");
        var m = BookAtGuangshun(svc);
        var room = svc.CreateRoom(new RoomInput { Name = "审核会议室", NeedsApproval = true });
        svc.Book(new MeetingInput { RoomId = room.Id, Title = "待审", Start = BookingNodes.At(14), End = BookingNodes.At(15) }, BookingNodes.Staff("li", "guangshun"));
        var source = new MeetingWorkSource(svc, _nodes.World.Time,
            (Microsoft.Extensions.Localization.IStringLocalizer<EGovEdge.Office.Localization.MeetingText>)_nodes.Services("guangshun")
                .GetService(typeof(Microsoft.Extensions.Localization.IStringLocalizer<EGovEdge.Office.Localization.MeetingText>))!);

        var zhang = source.For(BookingNodes.Principal("zhang", "guangshun", Roles.Reporter)).ToList();
        var clerk = source.For(BookingNodes.Principal("chen", "guangshun", Roles.Clerk)).ToDictionary(w => w.Key);
        svc.Respond(m.Id, MeetingTables.Accept, null, BookingNodes.Staff("zhang", "guangshun"));
        var after = source.For(BookingNodes.Principal("zhang", "guangshun", Roles.Reporter)).Single();

        Assert.Equal(1, zhang.Single(w => w.Key == "meetings.attend").Count);
        Assert.DoesNotContain(zhang, w => w.Key == "meetings.confirm");
        Assert.Equal(1, clerk["meetings.confirm"].Count);
        Assert.Equal(0, after.Count);
    }
}
