using EGovEdge.Office.Tickets;

namespace EGovEdge.Office.Tests.Tickets;

/// <summary>The ticket figures of the supervision dashboard, against values worked out by hand from a seeded county.</summary>
public sealed class TicketStatisticsTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void Figures_PerResponsibleUnit_MatchHandComputedValues()
    {
        var hub = _w.Hub;
        var clerk = TicketWorld.Clerk("hub");
        var start = _w.World.Time.GetUtcNow(); // 2026-11-27 09:00 China time, a Friday

        // A: dispatched to guangshun, replied and rated 满意 the next day: closed on time, score 100.
        var a = hub.Create(TicketWorld.Complaint(), TicketActor.Resident);
        hub.Act(a.Id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun" }, clerk);
        _w.World.Sync("guangshun");
        var gs = _w.Edge("guangshun");
        var gsClerk = TicketWorld.Clerk("guangshun");
        gs.Act(a.Id, TicketWorld.Do(TicketActions.Sign), gsClerk);
        gs.Act(a.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "已处理", ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "广顺镇人民政府" }, gsClerk);
        _w.World.Sync("guangshun");
        _w.World.Time.Advance(TimeSpan.FromDays(1));
        hub.Act(a.Id, new TicketActionInput { Action = TicketActions.Callback, Satisfaction = Satisfaction.Satisfied }, clerk);

        // B: an emergency dispatched to guangshun (8 hours) that nobody handles: overdue once the 8 hours pass.
        var b = hub.Create(TicketWorld.Complaint(urgency: TicketUrgency.Emergency), TicketActor.Resident);
        hub.Act(b.Id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "guangshun" }, clerk);

        // C: dispatched to malu, replied, rated 基本满意: closed on time, score 80.
        var c = hub.Create(TicketWorld.Complaint("malu"), TicketActor.Resident);
        hub.Act(c.Id, new TicketActionInput { Action = TicketActions.Dispatch, ToUnit = "malu" }, clerk);
        _w.World.Sync("malu");
        var ml = _w.Edge("malu");
        var mlClerk = TicketWorld.Clerk("malu");
        ml.Act(c.Id, TicketWorld.Do(TicketActions.Sign), mlClerk);
        ml.Act(c.Id, new TicketActionInput { Action = TicketActions.Reply, Reply = "已答复", ReasonCode = ReasonCodes.Resolved, ResponsibleBody = "马路乡人民政府" }, mlClerk);
        _w.World.Sync("malu");
        hub.Act(c.Id, new TicketActionInput { Action = TicketActions.Callback, Satisfaction = Satisfaction.Basic }, clerk);

        // D: still with the hub, a 13-working-day complaint: neither due nor closed in the period.
        hub.Create(TicketWorld.Complaint(), TicketActor.Resident);

        _w.World.Time.Advance(TimeSpan.FromDays(2)); // B's 8 hours are long gone
        var stats = new TicketStatistics(hub, _w.World.Time);
        var figures = stats.For(start, start.AddDays(7))!;

        Assert.Equal(new[] { "guangshun", "malu" }, figures.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(1, figures["guangshun"].Overdue);      // B
        Assert.Equal(1, figures["guangshun"].ClosedOnTime); // A
        Assert.Equal(100, figures["guangshun"].AverageSatisfaction);
        Assert.Equal(0, figures["malu"].Overdue);
        Assert.Equal(1, figures["malu"].ClosedOnTime);      // C
        Assert.Equal(80, figures["malu"].AverageSatisfaction);

        // A period that ended before anything happened counts nothing.
        Assert.Empty(stats.For(start.AddDays(-7), start)!);
    }
}
