using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Audit;

/// <summary>
/// The append-only audit trail: one entry per local state change, hash-chained per node (each entry holds the hash
/// of the one before). It replicates to the hub, which verifies every chain.
/// </summary>
public static class AuditTable
{
    public const string Name = "audit";
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("node", Required: true),
            new SyncColumn("seq", SyncColumnType.Integer, Required: true),
            new SyncColumn("at_utc", Required: true),
            new SyncColumn("actor", Required: true),
            new SyncColumn("action", Required: true),
            new SyncColumn("entity", Required: true),
            new SyncColumn("version"),
            new SyncColumn("before_digest"),
            new SyncColumn("after_digest"),
            new SyncColumn("prev_hash", Required: true),
            new SyncColumn("hash", Required: true),
        ],
        row => Scopes.Of([row.Origin]),
        ["ix_audit_chain(node, seq)", "ix_audit_entity(entity, version)"]);

    public static string EntryHash(JsonObject d) => Sha256(string.Join('\u001f',
        Str(d, "node"), Convert.ToString(d["seq"]?.GetValue<long>(), CultureInfo.InvariantCulture), Str(d, "at_utc"), Str(d, "actor"),
        Str(d, "action"), Str(d, "entity"), Str(d, "version"), Str(d, "before_digest"), Str(d, "after_digest"), Str(d, "prev_hash")));

    /// <summary>Digest of one row version: id, version stamp, deleted flag and data with keys in order.</summary>
    public static string RowDigest(SyncRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var sb = new StringBuilder();
        sb.Append(row.Table).Append('\u001f').Append(row.Id).Append('\u001f').Append(row.Hlc).Append('\u001f').Append(row.Deleted ? '1' : '0');
        foreach (var (key, value) in row.Data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sb.Append('\u001f').Append(key).Append('=').Append(value?.ToJsonString() ?? "null");
        }
        return Sha256(sb.ToString());
    }

    private static string Str(JsonObject d, string key) =>
        d.TryGetPropertyValue(key, out var v) && v is not null ? v.GetValue<string>() : "";

    private static string Sha256(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
}
