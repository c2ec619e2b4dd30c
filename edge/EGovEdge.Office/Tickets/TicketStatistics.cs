using EGovEdge.Office.Supervision;

namespace EGovEdge.Office.Tickets;

/// <summary>
/// Ticket figures for the supervision dashboard, per responsible unit (the township a ticket is dispatched to, else the
/// node that accepted it), for a period [from, to):
/// <list type="bullet">
/// <item>overdue: tickets whose deadline (the 限时督办 one when earlier) fell in the period and that were not closed by
/// it (still open when the period ended, or closed late);</item>
/// <item>closed on time: tickets closed in the period by their deadline;</item>
/// <item>average satisfaction: the residents' callbacks in the period scored 满意 100, 基本满意 80, 不满意 0.</item>
/// </list>
/// </summary>
public sealed class TicketStatistics(TicketService tickets, TimeProvider time) : ITicketStatistics
{
    public IReadOnlyDictionary<string, TicketFigures>? For(DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        var end = toUtc < time.GetUtcNow() ? toUtc : time.GetUtcNow();
        var overdue = new Dictionary<string, int>(StringComparer.Ordinal);
        var onTime = new Dictionary<string, int>(StringComparer.Ordinal);
        var scores = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (ticket, status) in tickets.FoldAll())
        {
            var unit = status.Unit ?? ticket.Origin;
            var due = status.EscalationDeadline;
            var closed = status.ClosedUtc;
            if (due >= fromUtc && due < toUtc && (closed is { } c ? c > due : end > due)) Bump(overdue, unit);
            if (closed is { } done && done >= fromUtc && done < toUtc && done <= due) Bump(onTime, unit);
            if (status.LastCallback is { Satisfaction: { } sat } callback && callback.AtUtc >= fromUtc && callback.AtUtc < toUtc)
            {
                if (!scores.TryGetValue(unit, out var list)) scores[unit] = list = [];
                list.Add(Score(sat));
            }
        }
        return overdue.Keys.Concat(onTime.Keys).Concat(scores.Keys).Distinct(StringComparer.Ordinal).ToDictionary(
            u => u,
            u => new TicketFigures(overdue.GetValueOrDefault(u), onTime.GetValueOrDefault(u),
                scores.TryGetValue(u, out var l) && l.Count > 0 ? l.Average() : null),
            StringComparer.Ordinal);
    }

    private static int Score(string satisfaction) => satisfaction switch
    {
        Satisfaction.Satisfied => 100,
        Satisfaction.Basic => 80,
        _ => 0,
    };

    private static void Bump(Dictionary<string, int> map, string key) => map[key] = map.GetValueOrDefault(key) + 1;
}
