using System.Globalization;

namespace EGovEdge.Sync.Storage;

public sealed partial class EdgeStore
{
    /// <summary>True while a re-bootstrap (full pull after being away too long) is under way.</summary>
    public bool Rebootstrapping => GetState("rebootstrap") is not null;

    /// <summary>
    /// Starts pulling the whole scope again: the pull cursor goes back to 0 and every row the hub sends from now on is
    /// noted, so that rows deleted elsewhere while this node was away (whose tombstones the hub no longer keeps) can
    /// be dropped at the end. Unsynced local changes are untouched and still pushed.
    /// </summary>
    public void BeginRebootstrap()
    {
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        conn.Exec("CREATE TABLE IF NOT EXISTS _sync_seen (tbl TEXT NOT NULL, row_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id))", tx);
        conn.Exec("DELETE FROM _sync_seen", tx);
        conn.Exec("""
            INSERT INTO _sync_state (key, value) VALUES ('rebootstrap', @t)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, tx, ("@t", NowText()));
        conn.Exec("DELETE FROM _sync_state WHERE key IN ('pull_cursor', 'initial_pull_done')", tx);
        tx.Commit();
    }

    /// <summary>
    /// Ends a re-bootstrap after the last page: rows the hub did not send and that have no unsynced local change are
    /// removed (they were deleted, or left this township's scope, while it was away). Returns how many.
    /// </summary>
    public int FinishRebootstrap()
    {
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        if (conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'rebootstrap'", tx) is null) return 0;
        var pushCursor = long.TryParse(conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'push_cursor'", tx),
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 0;
        conn.Exec("UPDATE _sync_ctx SET applying = 1 WHERE id = 1", tx);
        var removed = 0;
        foreach (var t in Schema.Tables.Values)
        {
            removed += conn.Exec($"""
                DELETE FROM {t.Name} WHERE NOT EXISTS (SELECT 1 FROM _sync_seen s WHERE s.tbl = @t AND s.row_id = {t.Name}.id)
                  AND NOT EXISTS (SELECT 1 FROM _sync_log l WHERE l.tbl = @t AND l.row_id = {t.Name}.id AND l.seq > @c)
                """, tx, ("@t", t.Name), ("@c", pushCursor));
        }
        conn.Exec("UPDATE _sync_ctx SET applying = 0 WHERE id = 1", tx);
        conn.Exec("DELETE FROM _sync_seen", tx);
        conn.Exec("DELETE FROM _sync_state WHERE key = 'rebootstrap'", tx);
        tx.Commit();
        return removed;
    }

    /// <summary>The highest change-log sequence this database ever issued (entries may since have been pruned).</summary>
    public long MaxLogSequence()
    {
        using var conn = OpenConnection();
        return conn.ScalarLong("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '_sync_log'), 0)");
    }

    /// <summary>
    /// Gives this database a new identity (after a restore from an older copy): the hub then forgets what it had
    /// acknowledged for the old one, and the next pull brings this node's own rows back.
    /// </summary>
    public void RenewStoreId()
    {
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        conn.Exec("""
            INSERT INTO _sync_state (key, value) VALUES ('store_id', @s)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, tx, ("@s", Guid.CreateVersion7().ToString()));
        conn.Exec("DELETE FROM _sync_state WHERE key = 'initial_pull_done'", tx);
        tx.Commit();
    }

    /// <summary>Drops change-log entries the hub has acknowledged (they are no longer needed for lineage).</summary>
    public int PruneAcknowledgedLog()
    {
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        var cursor = long.TryParse(conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'push_cursor'", tx),
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 0;
        var n = conn.Exec("DELETE FROM _sync_log WHERE seq <= @c", tx, ("@c", cursor));
        tx.Commit();
        return n;
    }
}
