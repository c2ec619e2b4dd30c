namespace EGovEdge.Sync.Agent;

/// <summary>Progress of a pull: rows received so far in this cycle, rows still waiting at the hub, and a time-left estimate.</summary>
public sealed record SyncProgress(long Pulled, long Remaining, TimeSpan Elapsed)
{
    public double Fraction => Pulled + Remaining == 0 ? 1 : (double)Pulled / (Pulled + Remaining);

    public TimeSpan? EstimatedLeft => Pulled == 0 || Remaining == 0 ? null : TimeSpan.FromTicks(Elapsed.Ticks * Remaining / Pulled);
}
