namespace EGovEdge.Sync.Protocol;

/// <summary>One batch of local changes, identified by the sender's change-log range.</summary>
public sealed class PushRequest
{
    public required string NodeId { get; init; }
    public int SchemaVersion { get; init; }
    public required string BatchId { get; init; }
    public long FirstSeq { get; init; }
    public long LastSeq { get; init; }
    public List<SyncChange> Changes { get; init; } = [];
}
