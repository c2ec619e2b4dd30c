namespace EGovEdge.Sync.Protocol;

public sealed class PullResponse
{
    public List<SyncChange> Changes { get; init; } = [];

    /// <summary>Cursor to store once <see cref="Changes"/> are applied.</summary>
    public long NextCursor { get; init; }

    public bool HasMore { get; init; }

    /// <summary>Changes still waiting after this page, when the request asked for the count; otherwise null.</summary>
    public long? Remaining { get; init; }

    /// <summary>
    /// The township was away longer than the hub keeps deletions: it must pull its whole scope again from cursor 0
    /// (keeping its unsynced changes) and drop rows the hub no longer has. No changes come with this answer.
    /// </summary>
    public bool ResetRequired { get; init; }
}
