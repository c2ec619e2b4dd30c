namespace EGovEdge.Sync.Schema;

public enum SyncColumnType
{
    Text,
    Integer,
}

/// <summary>A data column of a synced table (the engine adds id, hlc, prev_hlc, origin and deleted itself).</summary>
public sealed record SyncColumn(string Name, SyncColumnType Type = SyncColumnType.Text, bool Required = false);
