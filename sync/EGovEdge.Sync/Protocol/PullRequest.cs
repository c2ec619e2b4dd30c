namespace EGovEdge.Sync.Protocol;

public sealed class PullRequest
{
    public required string NodeId { get; init; }
    public int SchemaVersion { get; init; }

    /// <summary>Hub sequence the edge has durably applied everything up to.</summary>
    public long Cursor { get; init; }

    public int Limit { get; init; } = 500;

    /// <summary>Also return versions this node wrote itself (set when rebuilding from an empty database).</summary>
    public bool IncludeOwn { get; init; }

    /// <summary>Ask the hub how many changes wait after this page (for progress and time-left estimates).</summary>
    public bool CountRemaining { get; init; }
}
