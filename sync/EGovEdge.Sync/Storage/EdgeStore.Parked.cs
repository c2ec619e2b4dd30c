using System.Data.Common;
using System.Text.Json;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Storage;

/// <summary>
/// Changes from a newer hub that this node's schema cannot hold yet. The hub serves schema N and N-1, so a township one
/// version behind receives rows of tables it does not have and columns it does not know. Nothing of them is dropped: a
/// row of an unknown table is parked whole instead of failing the pull, and a row with unknown columns is applied with
/// the columns this node has and parked whole as well. When the node starts on the newer schema the parked changes are
/// replayed in the order they came: new tables get their rows, known rows get the columns they were missing (only
/// while the row is still that version; a newer version already carries everything it has).
/// </summary>
public sealed partial class EdgeStore
{
    private const string ParkedTable = "_sync_parked";

    /// <summary>Kind of a parked change: the table was unknown, or the row was applied without some columns.</summary>
    private const string ParkedUnknownTable = "table";
    private const string ParkedUnknownColumns = "columns";

    private const string ParkedDdl = """
        CREATE TABLE IF NOT EXISTS _sync_parked (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, hlc TEXT NOT NULL,
            change_json TEXT NOT NULL, parked_utc TEXT NOT NULL);
        """;

    /// <summary>Changes kept for a newer schema of this node (see the type's remarks).</summary>
    public long ParkedChangeCount()
    {
        using var conn = OpenConnection();
        return conn.ScalarLong($"SELECT COUNT(*) FROM {ParkedTable}");
    }

    /// <summary>Whether <paramref name="change"/> carries a value in a data column <paramref name="table"/> does not have here.</summary>
    private static bool HasUnknownColumns(SyncTable table, SyncChange change)
    {
        if (change.Data is null) return false;
        foreach (var (name, value) in change.Data)
        {
            if (value is not null && !table.ColumnNames.Contains(name)) return true;
        }
        return false;
    }

    private void Park(DbConnection conn, DbTransaction tx, string kind, SyncChange change)
    {
        conn.Exec($"INSERT INTO {ParkedTable} (kind, tbl, row_id, hlc, change_json, parked_utc) VALUES (@k, @t, @r, @h, @j, @u)", tx,
            ("@k", kind), ("@t", change.Table), ("@r", change.Id), ("@h", change.Hlc),
            ("@j", JsonSerializer.Serialize(change, SyncJsonContext.Default.SyncChange)), ("@u", NowText()));
    }

    /// <summary>
    /// Replays, in arrival order, the parked changes whose table this node now has; the rest stay parked. Runs in one
    /// transaction with capture off (the rows came from the hub). Returns how many were replayed.
    /// </summary>
    private int ReplayParked(DbConnection conn, DbTransaction tx)
    {
        var parked = new List<(long Seq, string Kind, SyncChange Change)>();
        using (var cmd = conn.Command($"SELECT seq, kind, change_json FROM {ParkedTable} ORDER BY seq", tx))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var change = JsonSerializer.Deserialize(r.GetString(2), SyncJsonContext.Default.SyncChange)
                             ?? throw new InvalidDataException($"parked change {r.GetInt64(0)} is empty");
                if (Schema.Tables.ContainsKey(change.Table)) parked.Add((r.GetInt64(0), r.GetString(1), change));
            }
        }
        if (parked.Count == 0) return 0;
        conn.Exec("UPDATE _sync_ctx SET applying = 1 WHERE id = 1", tx);
        foreach (var (seq, kind, change) in parked)
        {
            var table = Schema.Tables[change.Table];
            var local = RowIo.Get(conn, tx, table, change.Id);
            var incoming = change.ToRow();
            incoming.Data = table.Sanitize(incoming.Data, out _);
            var newer = local is null ? kind == ParkedUnknownTable : string.CompareOrdinal(change.Hlc, local.Hlc) > 0 && kind == ParkedUnknownTable;
            // The same version: fill in the columns it was applied without. A newer one (unknown table only): apply it.
            if (newer || (local is not null && local.Hlc == change.Hlc))
            {
                Clock.Observe(incoming.Hlc);
                RowIo.Upsert(conn, tx, table, incoming);
            }
            conn.Exec($"DELETE FROM {ParkedTable} WHERE seq = @s", tx, ("@s", seq));
        }
        conn.Exec("UPDATE _sync_ctx SET applying = 0 WHERE id = 1", tx);
        return parked.Count;
    }
}
