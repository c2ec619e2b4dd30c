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
            // Workflow (GB/T 9704-2012 elements and the 发文 state); all optional so N-1 edges keep syncing.
            new SyncColumn("secrecy"),
            new SyncColumn("co_issuers"),
            new SyncColumn("copy_to"),
            new SyncColumn("note"),
            new SyncColumn("wf_state"),
            new SyncColumn("signers"),
            new SyncColumn("date_written"),
            new SyncColumn("doc_prefix"),
            new SyncColumn("doc_year", SyncColumnType.Integer),
            new SyncColumn("doc_seq", SyncColumnType.Integer),
            new SyncColumn("doc_number"),
            new SyncColumn("printed_date"),
        ],
        row => Scope(row),
        ["ix_documents_origin(origin, deleted)", "ix_documents_updated(updated_utc)", "ix_documents_number(origin, doc_prefix, doc_year, doc_seq)"]);

    /// <summary>The origin, its recipients (主送), copy recipients (抄送) and co-issuing organs (会签); "*" for the whole county.</summary>
    public static string Scope(SyncRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var main = row.Text("recipients");
        var copy = row.Text("copy_to");
        if (main == Recipients.County || copy == Recipients.County) return Scopes.Everyone;
        return Scopes.Of(Recipients.Decode(main).Concat(Recipients.Decode(copy)).Concat(Recipients.Decode(row.Text("co_issuers"))).Append(row.Origin));
    }
}
