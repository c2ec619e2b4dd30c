namespace EGovEdge.Sync.Agent;

/// <summary>In-memory view of the agent's latest state, for the badge and /api/sync/status.</summary>
public sealed class SyncStatus
{
    public DateTimeOffset? LastAttemptUtc { get; set; }
    public DateTimeOffset? LastSuccessUtc { get; set; }
    public string? LastError { get; set; }
    public bool? HubReachable { get; set; }
    public bool AuthFailed { get; set; }
    public SyncCycleResult? LastCycle { get; set; }
    public bool Running { get; set; }
}
