namespace EGovEdge.Sync.Hub;

/// <summary>What the hub knows of one edge's sync progress.</summary>
public sealed class HubNodeInfo
{
    public required string Node { get; init; }
    public long PushAcked { get; init; }
    public long PullCursor { get; init; }
    public long ChangesReceived { get; init; }
    public long ChangesSent { get; init; }
    public DateTimeOffset? LastPushUtc { get; init; }
    public DateTimeOffset? LastPullUtc { get; init; }
    public int SchemaVersion { get; init; }
    public long Rejected { get; init; }

    /// <summary>The hub's newest sequence when this was read (lag = HubSequence - PullCursor, an upper bound).</summary>
    public long HubSequence { get; init; }

    public DateTimeOffset? LastSyncUtc => LastPullUtc > LastPushUtc || LastPushUtc is null ? LastPullUtc : LastPushUtc;
}
