using EGovEdge.Office.Booking;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using Microsoft.Extensions.Logging.Abstractions;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>A weekly series (周例会) notifies its attendees once per booking, decision round or cancellation, not once per occurrence.</summary>
public sealed class MeetingSeriesNoticeTests : IDisposable
{
    private readonly BookingNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    private static DateTimeOffset Week(int week, int hour, int minute = 0) => BookingNodes.At(hour, minute).AddDays(7 * week);

    private static MeetingInput Weekly(string roomId, int count, string title = "镇周例会") => new()
    {
        RoomId = roomId, Title = title, Start = BookingNodes.At(9), End = BookingNodes.At(10, 30), Attendees = ["zhang", "wang"],
        AttendeeUnits = ["malu"], Agenda = "通报本周工作", Recurrence = new RecurrenceInput { Count = count },
    };

    private List<NoticeMessage> To(string username) => _nodes.Notices.Sent.Where(n => n.Users.Contains(username)).ToList();

    [Fact]
    public void SeriesAtTheOwner_OneWeekClashing_OneNoticeListingBookedAndRefusedDates_ClashesOnce()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var other = gs.CreateRoom(new RoomInput { Name = "二楼会议室" });
        var organiser = BookingNodes.Staff("li", "guangshun");
        gs.Book(new MeetingInput { RoomId = room.Id, Title = "县检查组座谈", Start = Week(2, 10), End = Week(2, 11) }, BookingNodes.Staff("chen", "guangshun"));
        var busy = gs.Book(new MeetingInput { RoomId = other.Id, Title = "财务审核会", Start = Week(1, 9), End = Week(1, 10), Attendees = ["wang"] },
            BookingNodes.Staff("chen", "guangshun"));
        var before = _nodes.Notices.Sent.Count;

        var result = gs.BookSeries(Weekly(room.Id, 4), organiser);

        Assert.Equal(3, result.Booked.Count);
        Assert.Single(result.Refused);
        var notice = Assert.Single(_nodes.Notices.Sent.Skip(before));
        Assert.Equal(notice, Assert.Single(To("zhang")));
        Assert.Equal("会议通知：《镇周例会》（周例会，共3次）", notice.Title);
        Assert.Equal(
            "时间：11月28日、12月5日、12月19日 09:00–10:30；地点：一楼会议室。通报本周工作 以下日期未能预订：12月12日 09:00–10:30（该时段会议室已被占用）"
            + " 注意（人员冲突）：wang 在该时段已有会议：《财务审核会》 2026-12-05 09:00–10:00",
            notice.Body);
        Assert.Equal((NoticeKinds.Reminder, $"/meetings/{result.Booked[0].Id}", result.Booked[0].Id), (notice.Kind, notice.Link, notice.SourceId));
        Assert.Equal(["wang", "zhang", "li"], notice.Users); // attendees as stored, then host and requester
        Assert.Equal(["malu"], notice.Units);
        Assert.Equal(busy.Id, Assert.Single(gs.PersonClashes(result.Booked[1].Id)!).MeetingId);
    }

    [Fact]
    public void SeriesFromAnotherNode_DecidedByTheOwnersProcessorInOneRound_OneNoticeForTheSeries_LoneMeetingItsOwn()
    {
        var owner = _nodes.Meetings("guangshun");
        var room = owner.CreateRoom(new RoomInput { Name = "广顺镇大会议室" });
        owner.Book(new MeetingInput { RoomId = room.Id, Title = "广顺镇干部大会", Start = Week(1, 8), End = Week(1, 12) }, BookingNodes.Staff("chen", "guangshun"));
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        var malu = _nodes.Meetings("malu");
        var requester = BookingNodes.Staff("wang", "malu");
        var series = malu.BookSeries(Weekly(room.Id, 3, "片区联席会"), requester);
        var lone = malu.Book(new MeetingInput { RoomId = room.Id, Title = "片区碰头会", Start = Week(0, 14), End = Week(0, 15), Attendees = ["zhao"] }, requester);
        _nodes.World.Sync("malu");
        _nodes.World.Sync("guangshun");
        var before = _nodes.Notices.Sent.Count;

        var processor = new BookingProcessor(_nodes.Services("guangshun"), NullLogger<BookingProcessor>.Instance);
        Assert.Equal(4, processor.RunOnce());

        var sent = _nodes.Notices.Sent.Skip(before).ToList();
        Assert.Equal(2, sent.Count);
        var notice = Assert.Single(sent, n => n.Users.Contains("zhang"));
        Assert.Equal("会议通知：《片区联席会》（周例会，共2次）", notice.Title);
        Assert.Equal("时间：11月28日、12月12日 09:00–10:30；地点：广顺镇大会议室。通报本周工作 以下日期未能预订：12月5日 09:00–10:30（该时段会议室已被占用）",
            notice.Body);
        Assert.Equal(($"/meetings/{series.Booked[0].Id}", series.Booked[0].Id), (notice.Link, notice.SourceId));
        Assert.Contains("wang", notice.Users); // the requester learns of the refused week from the same notice
        var single = Assert.Single(sent, n => n.SourceId == lone.Id);
        Assert.Equal(("会议通知：片区碰头会", $"/meetings/{lone.Id}"), (single.Title, single.Link));
        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Declined, BookingStatus.Confirmed], owner.Series(series.SeriesId).Select(m => m.Status));
        Assert.Equal(0, processor.RunOnce());
        Assert.Equal(before + 2, _nodes.Notices.Sent.Count);
    }

    [Fact]
    public void SeriesFromAnotherNode_AllRefusedInOneRound_OneDeclinedNoticeToTheRequester()
    {
        var owner = _nodes.Meetings("guangshun");
        var room = owner.CreateRoom(new RoomInput { Name = "广顺镇大会议室" });
        owner.BookSeries(new MeetingInput
        {
            RoomId = room.Id, Title = "镇干部学习", Start = BookingNodes.At(8), End = BookingNodes.At(12), Recurrence = new RecurrenceInput { Count = 2 },
        }, BookingNodes.Staff("chen", "guangshun"));
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        var series = _nodes.Meetings("malu").BookSeries(Weekly(room.Id, 2, "片区联席会"), BookingNodes.Staff("wang", "malu"));
        _nodes.World.Sync("malu");
        _nodes.World.Sync("guangshun");
        var before = _nodes.Notices.Sent.Count;

        Assert.Equal(2, owner.ProcessPending());

        var notice = Assert.Single(_nodes.Notices.Sent.Skip(before));
        Assert.Equal(("会议室预订未通过：《片区联席会》（周例会，2次）", "广顺镇大会议室 的会议室预订未通过：11月28日、12月5日 09:00–10:30（该时段会议室已被占用）"),
            (notice.Title, notice.Body));
        Assert.Equal(["wang"], notice.Users);
        Assert.Equal($"/meetings/{series.Booked[0].Id}", notice.Link);
    }

    [Fact]
    public void CancelThisAndFollowing_ThreeRemaining_OneNoticeListingTheThreeDates()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var organiser = BookingNodes.Staff("li", "guangshun");
        var series = gs.BookSeries(Weekly(room.Id, 4), organiser).Booked;
        var before = _nodes.Notices.Sent.Count;

        gs.Cancel(series[1].Id, organiser, dispatcher: false, following: true);

        var notice = Assert.Single(_nodes.Notices.Sent.Skip(before));
        Assert.Equal("会议取消：《镇周例会》（周例会，共3次）", notice.Title);
        Assert.Equal("以下日期的会议已取消，请知悉：12月5日、12月12日、12月19日 09:00–10:30。", notice.Body);
        Assert.Equal(($"/meetings/{series[1].Id}", series[1].Id, NoticeKinds.Notice), (notice.Link, notice.SourceId, notice.Kind));
        Assert.Equal(["wang", "zhang", "li"], notice.Users); // attendees as stored, then host and requester
        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Cancelled, BookingStatus.Cancelled, BookingStatus.Cancelled],
            gs.Series(series[0].SeriesId!).Select(m => m.Status));

        gs.Cancel(series[0].Id, organiser, dispatcher: false, following: true); // only the first is left: the usual notice
        var last = Assert.Single(_nodes.Notices.Sent.Skip(before + 1));
        Assert.Equal(("会议取消：镇周例会", "会议已取消，请知悉。", series[0].Id), (last.Title, last.Body, last.SourceId));
    }

    [Fact]
    public void SingleMeeting_StillGetsItsOwnNotice()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var before = _nodes.Notices.Sent.Count;

        var m = gs.Book(new MeetingInput
        {
            RoomId = room.Id, Title = "安全生产工作会", Start = BookingNodes.At(9), End = BookingNodes.At(11), Attendees = ["zhang"], Agenda = "部署工作",
        }, BookingNodes.Staff("li", "guangshun"));

        var notice = Assert.Single(_nodes.Notices.Sent.Skip(before));
        Assert.Equal(("会议通知：安全生产工作会", "时间：2026年11月28日 09:00；地点：一楼会议室。部署工作", $"/meetings/{m.Id}", m.Id),
            (notice.Title, notice.Body, notice.Link, notice.SourceId));
        Assert.Equal(["zhang", "li"], notice.Users);
    }
}
