namespace EGovEdge.Sync.Verify;

/// <summary>What one verify found: per table counts and checksums on both sides, and every row that is not the same.</summary>
public sealed class VerifyReport
{
    public required string NodeId { get; init; }

    /// <summary>No differences (pending and incoming rows are not differences: the next sync settles them).</summary>
    public bool Identical => Differences == 0;

    /// <summary>Rows missing on one side, with another version or other content, or refused by the hub.</summary>
    public int Differences { get; init; }

    /// <summary>Rows with local changes the hub has not acknowledged yet.</summary>
    public int Pending { get; init; }

    /// <summary>Rows the hub changed after this edge's pull cursor (on their way here).</summary>
    public int Incoming { get; init; }

    public long HubSequence { get; init; }

    public long PullCursor { get; init; }

    public long PushCursor { get; init; }

    public required IReadOnlyList<VerifyTableReport> Tables { get; init; }

    /// <summary>Every row found not the same, differences first.</summary>
    public required IReadOnlyList<VerifyRowReport> Rows { get; init; }

    public int Requests { get; init; }

    public long BytesUp { get; init; }

    public long BytesDown { get; init; }

    public long DurationMs { get; init; }
}

public sealed class VerifyTableReport
{
    public required string Table { get; init; }
    public long HereCount { get; init; }
    public long HubCount { get; init; }
    public required string HereChecksum { get; init; }
    public required string HubChecksum { get; init; }

    /// <summary>Counts and checksums equal on both sides.</summary>
    public bool Same => HereCount == HubCount && HereChecksum == HubChecksum;

    /// <summary>Buckets whose checksums differ (their rows were listed and compared).</summary>
    public int BucketsDiffering { get; init; }

    public int Differences { get; init; }
    public int Pending { get; init; }
    public int Incoming { get; init; }
}

/// <summary>One row that is not the same here and at the hub.</summary>
public sealed class VerifyRowReport
{
    public required string Table { get; init; }
    public required string Id { get; init; }

    /// <summary>One of <see cref="VerifyKinds"/>.</summary>
    public required string Kind { get; init; }

    public VerifyRowVersion? Here { get; init; }
    public VerifyRowVersion? Hub { get; init; }

    public bool IsDifference => VerifyKinds.IsDifference(Kind);
}

public sealed record VerifyRowVersion(string Hlc, bool Deleted, long? Seq = null);

/// <summary>How a row differs.</summary>
public static class VerifyKinds
{
    /// <summary>The hub has the row; this edge does not.</summary>
    public const string MissingHere = "missingHere";

    /// <summary>This edge has the row (no pending change); the hub does not list it for this township.</summary>
    public const string MissingAtHub = "missingAtHub";

    /// <summary>Both have the row with different versions (hlc or deleted).</summary>
    public const string VersionDiffers = "versionDiffers";

    /// <summary>Same version, different content: changed outside the engine on one side.</summary>
    public const string ContentDiffers = "contentDiffers";

    /// <summary>Not the same, and the hub refused a version of it (see the rejected rows).</summary>
    public const string Rejected = "rejected";

    /// <summary>Local change not yet acknowledged by the hub: not a difference.</summary>
    public const string Pending = "pending";

    /// <summary>The hub's version is newer than this edge's pull cursor: not a difference, it is on its way.</summary>
    public const string Incoming = "incoming";

    public static bool IsDifference(string kind) => kind is not (Pending or Incoming);
}
