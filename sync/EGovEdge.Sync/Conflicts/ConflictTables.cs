using System.Security.Cryptography;
using System.Text;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Conflicts;

/// <summary>
/// Conflicts as replicated data, so a person can review them anywhere the row is visible. <c>conflicts</c> holds one
/// record per detecting node (append-only, the losing version kept whole); <c>conflict_resolutions</c> holds one
/// resolution per pair of versions, whichever node resolves it first. A conflict is open while its pair has no resolution.
/// </summary>
public static class ConflictTables
{
    public const string Conflicts = "conflicts";
    public const string Resolutions = "conflict_resolutions";

    public static readonly SyncTable ConflictsDefinition = new(
        Conflicts,
        [
            new SyncColumn("pair_id", Required: true),
            new SyncColumn("tbl", Required: true),
            new SyncColumn("row_id", Required: true),
            new SyncColumn("winner_hlc", Required: true),
            new SyncColumn("loser_hlc", Required: true),
            new SyncColumn("winner_json", Required: true),
            new SyncColumn("loser_json", Required: true),
            new SyncColumn("detected_utc", Required: true),
            new SyncColumn("detected_node", Required: true),
            new SyncColumn("scope", Required: true),
        ],
        row => row.Text("scope") ?? Scopes.Of([row.Origin]),
        ["ix_conflicts_pair(pair_id)"]);

    public static readonly SyncTable ResolutionsDefinition = new(
        Resolutions,
        [
            new SyncColumn("pair_id", Required: true),
            new SyncColumn("keep", Required: true),
            new SyncColumn("resolved_by", Required: true),
            new SyncColumn("resolved_utc", Required: true),
            new SyncColumn("result_hlc"),
            new SyncColumn("scope", Required: true),
        ],
        row => row.Text("scope") ?? Scopes.Of([row.Origin]),
        ["ix_conflict_resolutions_pair(pair_id)"]);

    /// <summary>A UUID derived from text, so every node names the same thing the same way.</summary>
    public static string StableId(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
