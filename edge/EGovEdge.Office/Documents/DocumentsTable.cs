using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Documents;

/// <summary>
/// The replicated <c>documents</c> table. <c>recipients</c> holds "*" (whole county) or "|code|code|";
/// a row is visible to its origin, its recipients and the hub.
/// </summary>
public static class DocumentsTable
{
    public const string Name = "documents";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("title", Required: true),
            new SyncColumn("doc_type", Required: true),
            new SyncColumn("urgency", Required: true),
            new SyncColumn("body"),
            new SyncColumn("recipients", Required: true),
            new SyncColumn("created_utc", Required: true),
            new SyncColumn("updated_utc", Required: true),
        ],
        row => Recipients.Scope(row.Origin, row.Text("recipients")),
        ["ix_documents_origin(origin, deleted)", "ix_documents_updated(updated_utc)"]);
}
