namespace EGovEdge.Sync.Storage;

/// <summary>A local row version the hub refused, with its reason; kept until a technician deals with it.</summary>
public sealed record RejectedRow(string Table, string RowId, string Hlc, string Reason, DateTimeOffset RejectedUtc, string? RowJson);
