using System.Text.Json.Nodes;

namespace EGovEdge.Sync.Schema;

/// <summary>One version of one row: engine metadata plus the data columns as JSON values.</summary>
public sealed class SyncRow
{
    public required string Table { get; init; }
    public required string Id { get; init; }
    public required string Hlc { get; set; }
    public string? PrevHlc { get; set; }
    public required string Origin { get; init; }
    public bool Deleted { get; set; }
    public JsonObject Data { get; set; } = [];

    public string? Text(string column) =>
        Data.TryGetPropertyValue(column, out var v) && v is not null && v.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? v.GetValue<string>()
            : null;

    public long? Integer(string column) =>
        Data.TryGetPropertyValue(column, out var v) && v is not null && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? v.GetValue<long>()
            : null;

    public SyncRow Clone() => new()
    {
        Table = Table,
        Id = Id,
        Hlc = Hlc,
        PrevHlc = PrevHlc,
        Origin = Origin,
        Deleted = Deleted,
        Data = (JsonObject)Data.DeepClone(),
    };
}
