using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Archives;

/// <summary>
/// Filed documents (归档文件, one row per 件): written once by the node that owns the document's copy (the issuing node
/// for 发文, the recipient for 收文), never withdrawn, its 档号 never changed. A row is visible to its node and the hub
/// only, so an edge one schema version behind never receives a row of this table.
/// </summary>
public static class ArchiveTables
{
    public const string Items = "archive_items";

    /// <summary>发文 filed at the issuing node.</summary>
    public const string DirectionOut = "out";

    /// <summary>收文 filed at the recipient node.</summary>
    public const string DirectionIn = "in";

    public static readonly SyncTable ItemsDefinition = new(
        Items,
        [
            new SyncColumn("document_id", Required: true),
            new SyncColumn("direction", Required: true),
            new SyncColumn("node", Required: true),
            new SyncColumn("fonds", Required: true),
            new SyncColumn("year", SyncColumnType.Integer, Required: true),
            new SyncColumn("retention", Required: true),
            new SyncColumn("retention_default"),
            new SyncColumn("retention_reason"),
            new SyncColumn("item_no", SyncColumnType.Integer, Required: true),
            new SyncColumn("archival_code", Required: true),
            new SyncColumn("title", Required: true),
            new SyncColumn("doc_type"),
            new SyncColumn("doc_number"),
            new SyncColumn("date_written", Required: true),
            new SyncColumn("issuer"),
            new SyncColumn("secrecy"),
            new SyncColumn("filed_by", Required: true),
            new SyncColumn("filed_by_name"),
            new SyncColumn("filed_utc", Required: true),
            new SyncColumn("handling"),
            new SyncColumn("seal_result"),
            new SyncColumn("manifest"),
            new SyncColumn("package_sm3", Required: true),
            new SyncColumn("note"),
            // The archival package layout the item was filed with (ArchivePackage.CurrentVersion); none for items filed
            // before layouts were versioned, which are rebuilt in layout 1.
            new SyncColumn("package_version", SyncColumnType.Integer),
        ],
        row => Scopes.Of([row.Text("node") ?? row.Origin, row.Origin]),
        ["ix_archive_items_doc(document_id, node)", "ix_archive_items_no(node, fonds, year, retention, item_no)", "ix_archive_items_code(archival_code)"]);

    public static IReadOnlyList<SyncTable> All => [ItemsDefinition];

    /// <summary>Columns that never change once an item is filed (its identity and its 档号).</summary>
    public static readonly IReadOnlyList<string> Fixed =
        ["document_id", "direction", "node", "fonds", "year", "retention", "item_no", "archival_code", "date_written", "filed_by", "filed_utc", "handling", "seal_result", "manifest", "package_sm3", "package_version"];
}
