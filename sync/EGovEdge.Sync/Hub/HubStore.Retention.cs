using System.Data.Common;
using System.Globalization;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Hub;

public sealed partial class HubStore
{
    /// <summary>
    /// Physically removes tombstones older than <paramref name="retention"/> that every township still in touch has
    /// pulled past. Townships silent for longer than the retention window do not hold pruning back; if pruning
    /// passes their cursor they are marked to re-bootstrap, so they never silently miss a deletion. Returns the
    /// number of tombstones removed.
    /// </summary>
    public int Prune(TimeSpan retention)
    {
        var now = Time.GetUtcNow();
        var horizon = now - retention;
        var horizonText = horizon.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        using var conn = OpenConnection();
        using var tx = _db.BeginWrite(conn);
        var max = conn.ScalarLong("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log", tx);
        var minActive = conn.Scalar("SELECT MIN(pull_cursor) FROM hub_nodes WHERE last_pull_utc >= @h", tx, ("@h", horizonText)) is { } v
            ? Convert.ToInt64(v, CultureInfo.InvariantCulture)
            : max;
        var removed = 0;
        long prunedThrough = 0;
        var horizonHlc = new Hlc(horizon.ToUnixTimeMilliseconds(), 0, "").ToString();
        foreach (var t in Schema.Tables.Values)
        {
            var victims = new List<(string Id, long Seq)>();
            using (var cmd = conn.Command($"""
                SELECT r.id, l.hub_seq FROM {t.Name} r JOIN hub_log l ON l.tbl = @t AND l.row_id = r.id
                WHERE r.deleted = 1 AND l.hub_seq <= @min AND r.hlc < @h
                """, tx, ("@t", t.Name), ("@min", minActive), ("@h", horizonHlc)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) victims.Add((r.GetString(0), r.GetInt64(1)));
            }
            foreach (var (id, seq) in victims)
            {
                conn.Exec($"DELETE FROM {t.Name} WHERE id = @id", tx, ("@id", id));
                conn.Exec("DELETE FROM hub_log WHERE tbl = @t AND row_id = @id", tx, ("@t", t.Name), ("@id", id));
                prunedThrough = Math.Max(prunedThrough, seq);
                removed++;
            }
        }
        if (prunedThrough > 0)
        {
            var previous = conn.ScalarLong("SELECT COALESCE((SELECT CAST(value AS BIGINT) FROM hub_meta WHERE key = 'pruned_through'), 0)", tx);
            prunedThrough = Math.Max(previous, prunedThrough);
            conn.Exec("""
                INSERT INTO hub_meta (key, value) VALUES ('pruned_through', @v)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, tx, ("@v", prunedThrough.ToString(CultureInfo.InvariantCulture)));
            // Whoever has not pulled past the removed tombstones may still hold those rows: it starts again.
            conn.Exec("UPDATE hub_nodes SET must_rebootstrap = 1 WHERE pull_cursor > 0 AND pull_cursor < @p", tx, ("@p", prunedThrough));
        }
        tx.Commit();
        return removed;
    }

    private bool MustRebootstrap(string node, long cursor)
    {
        using var conn = OpenConnection();
        if (cursor == 0)
        {
            // Starting from zero is the re-bootstrap itself.
            using var tx = _db.BeginWrite(conn);
            conn.Exec("UPDATE hub_nodes SET must_rebootstrap = 0 WHERE node = @n AND must_rebootstrap = 1", tx, ("@n", node));
            tx.Commit();
            return false;
        }
        if (conn.ScalarLong("SELECT must_rebootstrap FROM hub_nodes WHERE node = @n", null, ("@n", node)) == 1) return true;
        // A cursor behind pruned tombstones (e.g. a node restored from an old backup) re-bootstraps too.
        var pruned = conn.ScalarLong("SELECT COALESCE((SELECT CAST(value AS BIGINT) FROM hub_meta WHERE key = 'pruned_through'), 0)");
        return cursor < pruned;
    }
}
