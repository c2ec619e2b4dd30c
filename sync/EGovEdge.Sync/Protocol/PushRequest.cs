namespace EGovEdge.Sync.Protocol;

/// <summary>One batch of local changes, identified by the sender's change-log range.</summary>
public sealed class PushRequest
{
    public required string NodeId { get; init; }
    public int SchemaVersion { get; init; }
    public required string BatchId { get; init; }

    /// <summary>
    /// Identifies the sender's database. A rebuilt or restored edge numbers its log from 1 again; a new store id
    /// tells the hub to forget the old acknowledged sequence instead of answering "duplicate".
    /// </summary>
    public string? StoreId { get; init; }
    public long FirstSeq { get; init; }
    public long LastSeq { get; init; }
    public List<SyncChange> Changes { get; init; } = [];
}
