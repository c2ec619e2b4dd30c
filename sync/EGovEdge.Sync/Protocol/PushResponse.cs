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

    /// <summary>"forbidden" (the township may not write this row) or "invalid" (malformed, or a clock far off).</summary>
    public string Kind { get; init; } = RejectionKinds.Invalid;

    /// <summary>For a forbidden write, the hub's version of the row (null when the hub has none): the edge goes back to it.</summary>
    public SyncChange? Current { get; init; }
}

public static class RejectionKinds
{
    public const string Forbidden = "forbidden";
    public const string Invalid = "invalid";
}
