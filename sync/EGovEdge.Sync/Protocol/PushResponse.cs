namespace EGovEdge.Sync.Protocol;

public sealed class PushResponse
{
    /// <summary>Highest change-log sequence of the sender that the hub has durably applied.</summary>
    public long AckedSeq { get; init; }

    /// <summary>True when the batch had been applied before (a retry after a lost response).</summary>
    public bool Duplicate { get; init; }

    public int Applied { get; init; }
    public int Conflicts { get; init; }
    public List<RejectedChange> Rejected { get; init; } = [];
}

/// <summary>A pushed row version the hub refused, with the reason.</summary>
public sealed class RejectedChange
{
    public required string Table { get; init; }
    public required string Id { get; init; }
    public required string Hlc { get; init; }
    public required string Reason { get; init; }
}
