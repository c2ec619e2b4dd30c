using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Workflow;

/// <summary>
/// The organ directory (发文机关): published by the hub to every node, written only at the hub. The organ code is the
/// node id (a township code, or "hub" for the county government office).
/// </summary>
public static class OrgansTable
{
    public const string Name = "organs";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("code", Required: true),
            new SyncColumn("name", Required: true),
            new SyncColumn("short_name"),
            new SyncColumn("doc_prefix", Required: true),
            new SyncColumn("banner"),
            new SyncColumn("upward"),
            new SyncColumn("downward"),
        ],
        _ => Scopes.Everyone,
        ["ix_organs_code(code)"]);

    /// <summary>A stable row id per organ code, so every hub restart updates the same row.</summary>
    public static string IdFor(string code)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("organ:" + code));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}

/// <summary>
/// Workflow events of the official documents, outgoing (拟稿 … 核发) and incoming (签收 … 答复): one row per event,
/// never updated, so two offline sides can never lose each other's step. <c>audience</c> is the scope the row syncs to
/// (the document's audience for outgoing steps; sender and recipient for incoming ones).
/// </summary>
public static class StepsTable
{
    public const string Name = "document_steps";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("document_id", Required: true),
            new SyncColumn("doc_origin", Required: true),
            new SyncColumn("audience", Required: true),
            new SyncColumn("kind", Required: true),
            new SyncColumn("recipient"),
            new SyncColumn("node", Required: true),
            new SyncColumn("actor", Required: true),
            new SyncColumn("actor_name"),
            new SyncColumn("at_utc", Required: true),
            new SyncColumn("opinion"),
            new SyncColumn("data"),
        ],
        row => AudienceScope(row),
        ["ix_document_steps_doc(document_id)", "ix_document_steps_kind(kind, recipient)"]);

    internal static string AudienceScope(SyncRow row)
    {
        var audience = row.Text("audience");
        if (audience == Scopes.Everyone) return Scopes.Everyone;
        var codes = (audience ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries).Append(row.Origin);
        return Scopes.Of(codes);
    }
}

/// <summary>The rendered PDF (kind "pdf") and the attachments (kind "attachment") of a document, as base64, so they sync.</summary>
public static class FilesTable
{
    public const string Name = "document_files";

    public const string KindPdf = "pdf";
    public const string KindAttachment = "attachment";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("document_id", Required: true),
            new SyncColumn("audience", Required: true),
            new SyncColumn("kind", Required: true),
            new SyncColumn("ordinal", SyncColumnType.Integer),
            new SyncColumn("name", Required: true),
            new SyncColumn("content_type", Required: true),
            new SyncColumn("size", SyncColumnType.Integer),
            new SyncColumn("sha256", Required: true),
            new SyncColumn("data", Required: true),
            new SyncColumn("created_utc"),
        ],
        row => StepsTable.AudienceScope(row),
        ["ix_document_files_doc(document_id, deleted)"]);
}
