using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Protocol;

/// <summary>A row version on the wire.</summary>
public sealed class SyncChange
{
    public required string Table { get; init; }
    public required string Id { get; init; }
    public required string Hlc { get; init; }

    /// <summary>The version this one replaced, as known to the sender's partner (null for a new row).</summary>
    public string? Prev { get; init; }

    /// <summary>Local versions made since <see cref="Prev"/> that the partner may already hold (lost acknowledgements).</summary>
    public List<string>? Chain { get; init; }

    public required string Origin { get; init; }
    public bool Deleted { get; init; }
    public JsonObject Data { get; init; } = [];

    /// <summary>Hub sequence of this change (pull only).</summary>
    public long Seq { get; init; }

    public SyncRow ToRow() => new()
    {
        Table = Table,
        Id = Id,
        Hlc = Hlc,
        PrevHlc = Prev,
        Origin = Origin,
        Deleted = Deleted,
        Data = (JsonObject)Data.DeepClone(),
    };

    public static SyncChange FromRow(SyncRow row, string? prev, List<string>? chain = null, long seq = 0) => new()
    {
        Table = row.Table,
        Id = row.Id,
        Hlc = row.Hlc,
        Prev = prev,
        Chain = chain,
        Origin = row.Origin,
        Deleted = row.Deleted,
        Data = row.Data,
        Seq = seq,
    };
}
