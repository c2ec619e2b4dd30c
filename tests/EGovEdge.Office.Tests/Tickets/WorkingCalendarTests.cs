using EGovEdge.Office.Tickets;

namespace EGovEdge.Office.Tests.Tickets;

public sealed class WorkingCalendarTests
{
    private static DateTimeOffset China(int y, int m, int d, int h = 10) => new(y, m, d, h, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Working_days_skip_weekends_and_holidays_and_count_make_up_days()
    {
        var cal = WorkingCalendar.Default;
        Assert.False(cal.IsWorkingDay(new DateOnly(2026, 10, 1)));    // 国庆
        Assert.True(cal.IsWorkingDay(new DateOnly(2026, 10, 10)));    // Saturday 调休
        Assert.True(cal.IsWorkingDay(new DateOnly(2026, 2, 14)));     // Saturday 调休 before 春节
        Assert.False(cal.IsWorkingDay(new DateOnly(2026, 11, 28)));   // Saturday

        // Friday 27 Nov 2026 + 3 working days = Wednesday 2 Dec, 24:00 China time.
        Assert.Equal(China(2026, 12, 3, 0), cal.AddWorkingDays(China(2026, 11, 27), 3));
        // Accepted 30 Sep: 1 Oct–7 Oct off, 8 Oct (Thu) and 9 Oct (Fri) and 10 Oct (Sat, 调休) count.
        Assert.Equal(China(2026, 10, 11, 0), cal.AddWorkingDays(China(2026, 9, 30), 3));
        Assert.Equal(3, cal.WorkingDaysBetween(China(2026, 9, 30), China(2026, 10, 10, 18)));
    }

    [Fact]
    public void Complaint_takes_13_working_days_and_emergency_8_hours_and_hub_calendar_overrides()
    {
        var rules = new TicketRules(WorkingCalendar.Default, new TicketOptions());
        var t = Record(TicketKinds.Complaint, TicketUrgency.Normal, China(2026, 11, 27));
        Assert.Equal(China(2026, 12, 17, 0), rules.SlaDue(t, t.AcceptedUtc)); // 13 working days from Fri 27 Nov → Wed 16 Dec
        var e = Record(TicketKinds.Complaint, TicketUrgency.Emergency, China(2026, 11, 27));
        Assert.Equal(China(2026, 11, 27, 18), rules.SlaDue(e, e.AcceptedUtc));
        var q = Record(TicketKinds.Enquiry, TicketUrgency.Normal, China(2026, 11, 27));
        Assert.Equal(China(2026, 12, 3, 0), rules.SlaDue(q, q.AcceptedUtc));

        var custom = new WorkingCalendar([new(new DateOnly(2026, 11, 30), false)]); // a local holiday on Monday
        Assert.Equal(China(2026, 12, 4, 0), custom.AddWorkingDays(China(2026, 11, 27), 3));
    }

    internal static TicketRecord Record(string kind, string urgency, DateTimeOffset accepted, string origin = "hub") => new()
    {
        Id = Guid.CreateVersion7().ToString(), Origin = origin, Number = "N", Kind = kind, Category = "urban", Urgency = urgency,
        Channel = TicketChannels.Portal, Unit = origin, Description = "d", QueryHash = "h", AcceptedUtc = accepted.ToUniversalTime(),
    };
}
