using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Audit;

/// <summary>Appends the audit entry of a local write inside the writer's own transaction.</summary>
internal static class AuditTrail
{
    public static SyncRow Append(DbConnection conn, DbTransaction tx, string node, string hlc, string nowUtc, string action,
        SyncRow? before, SyncRow after)
    {
        long lastSeq = 0;
        var prevHash = AuditTable.Genesis;
        using (var cmd = conn.Command("SELECT seq, hash FROM audit WHERE node = @n ORDER BY seq DESC LIMIT 1", tx, ("@n", node)))
        using (var r = cmd.ExecuteReader())
        {
            if (r.Read())
            {
                lastSeq = r.LongOrZero(0);
                prevHash = r.GetString(1);
            }
        }
        var data = new JsonObject
        {
            ["node"] = node,
            ["seq"] = lastSeq + 1,
            ["at_utc"] = nowUtc,
            ["actor"] = AuditActor.Current,
            ["action"] = action,
            ["entity"] = after.Table + ":" + after.Id,
            ["version"] = after.Hlc,
            ["before_digest"] = before is null ? null : AuditTable.RowDigest(before),
            ["after_digest"] = AuditTable.RowDigest(after),
            ["prev_hash"] = prevHash,
        };
        data["hash"] = AuditTable.EntryHash(data);
        var row = new SyncRow
        {
            Table = AuditTable.Name,
            Id = Guid.CreateVersion7().ToString(),
            Hlc = hlc,
            Origin = node,
            Data = data,
        };
        RowIo.Insert(conn, tx, AuditTable.Definition, row);
        return row;
    }

    public static string ActionOf(SyncTable table, SyncRow? before, SyncRow after) =>
        table.Name + "." + (before is null ? "create" : after.Deleted ? "delete" : "update");

    public static string Now(TimeProvider time) => time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
