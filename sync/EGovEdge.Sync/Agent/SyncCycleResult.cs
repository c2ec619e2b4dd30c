namespace EGovEdge.Sync.Agent;

public enum SyncOutcome
{
    Ok,

    /// <summary>The hub could not be reached (network down, timeout, circuit open, 5xx).</summary>
    Unreachable,

    /// <summary>The hub answered and refused (bad credentials, incompatible schema, bad batch).</summary>
    Refused,

    /// <summary>Something failed on this node.</summary>
    Failed,
}

/// <summary>What one push + pull cycle did.</summary>
public sealed record SyncCycleResult(
    SyncOutcome Outcome,
    int Pushed,
    int Pulled,
    int Conflicts,
    int Rejected,
    long DurationMs,
    long BytesUp,
    long BytesDown,
    string? Error,
    string CorrelationId)
{
    public bool Succeeded => Outcome == SyncOutcome.Ok;
}
