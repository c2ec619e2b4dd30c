using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>
/// A replicated schema shaped like the real one: a <c>documents</c> table whose recipients column holds "*"
/// (every township) or "|malu|guangshun|", and whose scope is everyone or the origin plus the recipients.
/// </summary>
internal static class TestSchema
{
    public const string Documents = "documents";
    public const int SchemaVersion = 1;

    public const string Malu = "malu";
    public const string Guangshun = "guangshun";
    public const string Xinzhuang = "xinzhuang";

    public static SyncTable DocumentsTable { get; } = new(
        Documents,
        [
            new SyncColumn("title", Required: true),
            new SyncColumn("doc_type"),
            new SyncColumn("urgency"),
            new SyncColumn("body"),
            new SyncColumn("recipients"),
        ],
        DocumentScope,
        ["ix_documents_doc_type(doc_type)"]);

    public static SyncSchema Create() => new(SchemaVersion, [DocumentsTable]);

    /// <summary>A second replicated table with an integer column (the real schema has counters like page counts).</summary>
    public const string Tallies = "tallies";

    public static SyncTable TalliesTable { get; } = new(
        Tallies,
        [new SyncColumn("label", Required: true), new SyncColumn("pages", SyncColumnType.Integer)],
        _ => Scopes.Everyone);

    public static SyncSchema CreateWithTallies() => new(SchemaVersion, [DocumentsTable, TalliesTable]);

    /// <summary>Documents, tallies and the hash-chained audit trail (every local write leaves an entry).</summary>
    public static SyncSchema CreateWithAudit() => new(SchemaVersion, [DocumentsTable, TalliesTable, EGovEdge.Sync.Audit.AuditTable.Definition]);

    public static string DocumentScope(SyncRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var recipients = row.Text("recipients") ?? "";
        return recipients == Scopes.Everyone
            ? Scopes.Everyone
            : Scopes.Of([row.Origin, .. recipients.Split('|', StringSplitOptions.RemoveEmptyEntries)]);
    }

    /// <summary>"|a|b|" for the given townships, or "*" when none are given.</summary>
    public static string To(params string[] townships) => townships.Length == 0 ? Scopes.Everyone : "|" + string.Join('|', townships) + "|";

    public static JsonObject Doc(string title, string recipients = Scopes.Everyone, string body = "", string docType = "notice", string urgency = "normal") => new()
    {
        ["title"] = title,
        ["doc_type"] = docType,
        ["urgency"] = urgency,
        ["body"] = body,
        ["recipients"] = recipients,
    };

    public static JsonObject Set(string column, string value) => new() { [column] = value };
}
