namespace EGovEdge.Sync.Storage;

/// <summary>One sync cycle as kept in the history.</summary>
public sealed class SyncCycleRecord
{
    public DateTimeOffset StartedUtc { get; init; }
    public long DurationMs { get; init; }
    public int Pushed { get; init; }
    public int Pulled { get; init; }
    public int Conflicts { get; init; }
    public int Rejected { get; init; }
    public long BytesUp { get; init; }
    public long BytesDown { get; init; }
    public required string Result { get; init; }
    public string? Error { get; init; }
    public string? CorrelationId { get; init; }
}
