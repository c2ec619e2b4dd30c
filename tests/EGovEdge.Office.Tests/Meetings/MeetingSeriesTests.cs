using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Meetings;
using Ical.Net;
using Ical.Net.CalendarComponents;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>Weekly series (周例会) on real SQLite stores: per-occurrence clash checks, tentative remote series, cancelling, the feed.</summary>
public sealed class MeetingSeriesTests : IDisposable
{
    private readonly BookingNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    private static DateTimeOffset Week(int week, int hour, int minute = 0) => BookingNodes.At(hour, minute).AddDays(7 * week);

    private static MeetingInput Weekly(string roomId, RecurrenceInput recurrence, string title = "镇周例会") => new()
    {
        RoomId = roomId, Title = title, Start = BookingNodes.At(9), End = BookingNodes.At(10, 30), Attendees = ["zhang", "wang"], Recurrence = recurrence,
    };

    [Fact]
    public void WeeklySeriesOfFour_OneWeekClashing_ThreeConfirmedOneRefusedWithDateAndReason()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var organiser = BookingNodes.Staff("li", "guangshun");
        var taken = gs.Book(new MeetingInput { RoomId = room.Id, Title = "县检查组座谈", Start = Week(2, 10), End = Week(2, 11) }, organiser);

        var result = gs.BookSeries(Weekly(room.Id, new RecurrenceInput { Count = 4 }), organiser);

        Assert.Equal([Week(0, 9), Week(1, 9), Week(3, 9)], result.Booked.Select(m => m.Start));
        Assert.All(result.Booked, m => Assert.Equal((BookingStatus.Confirmed, result.SeriesId, TimeSpan.FromMinutes(90)), (m.Status, m.SeriesId, m.End - m.Start)));
        var refused = Assert.Single(result.Refused);
        Assert.Equal((new DateOnly(2026, 12, 12), Week(2, 9), Week(2, 10, 30), BookingEngine.ReasonClash, "该时段会议室已被占用"),
            (refused.Date, refused.Start, refused.End, refused.Reason, refused.ReasonText));
        Assert.All(result.Booked, m => Assert.Equal(DayOfWeek.Saturday, BookingTime.ToChina(m.Start).DayOfWeek));
        Assert.Equal(3, gs.Series(result.SeriesId).Count);
        Assert.Equal(BookingStatus.Confirmed, gs.Get(taken.Id)!.Status);
        var notice = Assert.Single(_nodes.Notices.Sent, n => n.SourceId is { } id && result.Booked.Any(b => b.Id == id)); // one for the series
        Assert.Equal((result.Booked[0].Id, "会议通知：《镇周例会》（周例会，共3次）"), (notice.SourceId, notice.Title));
    }

    [Fact]
    public void EveryTwoWeeksUntilADate_AndBadRecurrencesAreRefusedWithTheField()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var organiser = BookingNodes.Staff("li", "guangshun");

        var result = gs.BookSeries(Weekly(room.Id, new RecurrenceInput { IntervalWeeks = 2, Until = new DateOnly(2027, 1, 9) }), organiser);
        Assert.Equal([Week(0, 9), Week(2, 9), Week(4, 9), Week(6, 9)], result.Booked.Select(m => m.Start)); // 2027-01-09 is week 6, included
        Assert.Empty(result.Refused);

        (RecurrenceInput Bad, string Field)[] cases =
        [
            (new RecurrenceInput { Count = 27 }, "recurrence.count"),
            (new RecurrenceInput { Count = 0 }, "recurrence.count"),
            (new RecurrenceInput { Until = new DateOnly(2026, 11, 27) }, "recurrence.until"),
            (new RecurrenceInput { Until = new DateOnly(2027, 12, 31) }, "recurrence.until"), // more than 26 weeks
            (new RecurrenceInput { IntervalWeeks = 0, Count = 3 }, "recurrence.intervalWeeks"),
            (new RecurrenceInput(), "recurrence"),
            (new RecurrenceInput { Count = 3, Until = new DateOnly(2026, 12, 31) }, "recurrence"),
        ];
        foreach (var (bad, field) in cases)
        {
            var ex = Assert.Throws<OfficeValidationException>(() => gs.BookSeries(Weekly(room.Id, bad, "坏的重复"), organiser));
            Assert.Contains(field, ex.Errors.Keys);
        }
        Assert.Equal(4, gs.List().Count); // nothing of the refused requests was stored
        var all = Assert.Throws<OfficeValidationException>(() => gs.BookSeries(Weekly(room.Id, new RecurrenceInput { IntervalWeeks = 2, Count = 2 }), organiser));
        Assert.Equal("所有日期的会议室均已被占用：2026-11-28、2026-12-12", Assert.Single(all.Errors["start"]));
    }

    [Fact]
    public void SeriesFromAnotherNode_TentativeUntilTheOwnerDecides_EachOccurrenceOnItsOwn_SeriesIdSurvivesSync()
    {
        var owner = _nodes.Meetings("guangshun");
        var room = owner.CreateRoom(new RoomInput { Name = "广顺镇大会议室" });
        var taken = owner.Book(new MeetingInput { RoomId = room.Id, Title = "广顺镇干部大会", Start = Week(1, 8), End = Week(1, 12) }, BookingNodes.Staff("chen", "guangshun"));
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        var malu = _nodes.Meetings("malu");

        var result = malu.BookSeries(Weekly(room.Id, new RecurrenceInput { Count = 3 }, "片区联席会"), BookingNodes.Staff("wang", "malu"));
        Assert.Equal(3, result.Booked.Count);
        Assert.Empty(result.Refused); // only the room's node checks clashes
        Assert.All(result.Booked, m => Assert.Equal(BookingStatus.Tentative, m.Status));
        Assert.Equal(0, malu.ProcessPending());

        _nodes.World.Sync("malu");
        _nodes.World.Sync("guangshun");
        Assert.Equal(3, owner.ProcessPending());
        _nodes.World.SyncAll();

        foreach (var node in new[] { "malu", "hub", "guangshun" })
        {
            var series = _nodes.Meetings(node).Series(result.SeriesId);
            Assert.Equal(result.Booked.Select(b => b.Id), series.Select(m => m.Id));
            Assert.Equal([BookingStatus.Confirmed, BookingStatus.Declined, BookingStatus.Confirmed], series.Select(m => m.Status));
            Assert.Equal(BookingEngine.ReasonClash, series[1].DeclineReason);
            Assert.All(series, m => Assert.Equal(result.SeriesId, m.SeriesId));
        }
        Assert.Equal(BookingStatus.Confirmed, _nodes.Meetings("malu").Get(result.Booked[0].Id)!.Status);
        Assert.Equal(BookingStatus.Confirmed, owner.Get(taken.Id)!.Status);
    }

    [Fact]
    public void CancelThisOccurrence_ThenThisAndFollowing_FreesTheSlots_AndSyncs()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var organiser = BookingNodes.Staff("li", "guangshun");
        var series = gs.BookSeries(Weekly(room.Id, new RecurrenceInput { Count = 5 }), organiser).Booked;

        gs.Cancel(series[1].Id, organiser, dispatcher: false);
        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Cancelled, BookingStatus.Confirmed, BookingStatus.Confirmed, BookingStatus.Confirmed],
            gs.Series(series[0].SeriesId!).Select(m => m.Status));

        var cancelled = gs.Cancel(series[2].Id, organiser, dispatcher: false, following: true)!;
        Assert.Equal(BookingStatus.Cancelled, cancelled.Status);
        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Cancelled, BookingStatus.Cancelled, BookingStatus.Cancelled, BookingStatus.Cancelled],
            gs.Series(series[0].SeriesId!).Select(m => m.Status));
        Assert.Equal([1, 1, 1, 1], gs.Series(series[0].SeriesId!).Skip(1).Select(m => m.Sequence));
        Assert.Throws<OfficeForbiddenException>(() => gs.Cancel(series[0].Id, BookingNodes.Staff("zhao", "guangshun"), dispatcher: false, following: true));

        var again = gs.Book(new MeetingInput { RoomId = room.Id, Title = "改期", Start = Week(3, 9), End = Week(3, 10) }, organiser);
        Assert.Equal(BookingStatus.Confirmed, again.Status);
        _nodes.World.Sync("guangshun");
        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Cancelled, BookingStatus.Cancelled, BookingStatus.Cancelled, BookingStatus.Cancelled],
            _nodes.Meetings("hub").Series(series[0].SeriesId!).Select(m => m.Status));
    }

    [Fact]
    public void CalendarFeed_EachOccurrenceItsOwnEvent_RefusedAbsent_CancelledMarked_ParsedBackWithIcalNet()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var organiser = BookingNodes.Staff("li", "guangshun");
        gs.Book(new MeetingInput { RoomId = room.Id, Title = "县检查组座谈", Start = Week(1, 9), End = Week(1, 10) }, BookingNodes.Staff("chen", "guangshun"));
        var result = gs.BookSeries(Weekly(room.Id, new RecurrenceInput { Count = 4 }), organiser);
        gs.Cancel(result.Booked[1].Id, organiser, dispatcher: false, following: true);

        var ics = MeetingCalendar.Build(gs.List(null, null, "zhang", "guangshun", includeCancelled: true), "zhang", "guangshun");
        var calendar = Calendar.Load(ics)!;

        var events = calendar.Events.OrderBy(e => e.DtStart!.Value).ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Null(e.RecurrenceRule));
        Assert.Equal(result.Booked.Select(m => $"{m.Id}@egovedge"), events.Select(e => e.Uid));
        Assert.Equal(
            [new DateTime(2026, 11, 28, 9, 0, 0), new DateTime(2026, 12, 12, 9, 0, 0), new DateTime(2026, 12, 19, 9, 0, 0)],
            events.Select(e => e.DtStart!.Value));
        Assert.All(events, e => Assert.Equal(MeetingCalendar.TimeZoneId, e.DtStart!.TzId));
        Assert.All(events, e => Assert.Equal(new DateTime(2026, 1, 1, 10, 30, 0).TimeOfDay, e.DtEnd!.Value.TimeOfDay));
        Assert.Equal([EventStatus.Confirmed, EventStatus.Cancelled, EventStatus.Cancelled], events.Select(e => e.Status));
        Assert.Equal([0, 1, 1], events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(result.SeriesId, e.Properties.Get<string>("X-EGOV-SERIES")));
        Assert.DoesNotContain(events, e => e.DtStart!.Value == new DateTime(2026, 12, 5, 9, 0, 0)); // the refused week is no event at all
    }
}
