using System.Data.Common;
using System.Globalization;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Schema;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Sync.Storage;

/// <summary>
/// A township node's SQLite database: replicated tables with capture triggers, the change log,
/// cursors, conflicts, rejected rows and sync history.
/// </summary>
public sealed partial class EdgeStore : LocalStoreBase
{
    private const string MetaDdl = """
        CREATE TABLE IF NOT EXISTS _sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS _sync_ctx (id INTEGER PRIMARY KEY CHECK (id = 1), applying INTEGER NOT NULL);
        INSERT OR IGNORE INTO _sync_ctx (id, applying) VALUES (1, 0);
        CREATE TABLE IF NOT EXISTS _sync_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, row_id TEXT NOT NULL, hlc TEXT NOT NULL, prev TEXT);
        CREATE INDEX IF NOT EXISTS ix_sync_log_row ON _sync_log (tbl, row_id, seq);
        CREATE TABLE IF NOT EXISTS _sync_conflicts (
            id TEXT PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, winner_hlc TEXT NOT NULL, loser_hlc TEXT NOT NULL,
            winner_json TEXT NOT NULL, loser_json TEXT NOT NULL, detected_utc TEXT NOT NULL, detected_node TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open');
        CREATE TABLE IF NOT EXISTS _sync_rejected (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, row_id TEXT NOT NULL, hlc TEXT NOT NULL,
            reason TEXT NOT NULL, row_json TEXT, rejected_utc TEXT NOT NULL, UNIQUE (tbl, row_id, hlc));
        CREATE TABLE IF NOT EXISTS _sync_seen (tbl TEXT NOT NULL, row_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id));
        CREATE TABLE IF NOT EXISTS _sync_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT, started_utc TEXT NOT NULL, duration_ms INTEGER NOT NULL,
            pushed INTEGER NOT NULL, pulled INTEGER NOT NULL, conflicts INTEGER NOT NULL, rejected INTEGER NOT NULL,
            bytes_up INTEGER NOT NULL, bytes_down INTEGER NOT NULL, result TEXT NOT NULL, error TEXT, correlation_id TEXT);
        """;

    private readonly string _connectionString;

    public EdgeStore(string databasePath, string nodeId, SyncSchema schema, TimeProvider time)
        : base(nodeId, schema, time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = SqliteDdl.ConnectionString(DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using var conn = SqliteDdl.Open(_connectionString);
        SqliteDdl.EnableWal(conn);
        using var tx = conn.BeginTransaction();
        conn.Exec(MetaDdl, tx);
        foreach (var t in schema.Tables.Values)
        {
            conn.Exec(SqliteDdl.CreateTable(t), tx);
            SqliteDdl.AddMissingColumns(conn, tx, t, SqliteDdl.SqliteColumns(conn, tx, t.Name));
            if (t.Indexes.Count > 0) conn.Exec(SqliteDdl.CreateIndexes(t), tx);
            conn.Exec(SqliteDdl.CaptureTriggers(t), tx);
        }
        conn.Exec(ParkedDdl, tx);
        ReplayParked(conn, tx);
        var owner = conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'node_id'", tx);
        if (owner is null)
        {
            conn.Exec("INSERT INTO _sync_state (key, value) VALUES ('node_id', @n)", tx, ("@n", nodeId));
            conn.Exec("INSERT INTO _sync_state (key, value) VALUES ('store_id', @s)", tx, ("@s", Guid.CreateVersion7().ToString()));
        }
        else if (owner != nodeId)
        {
            throw new InvalidOperationException(
                $"The database {DatabasePath} belongs to node '{owner}', not '{nodeId}'. Use that node id or another data directory.");
        }
        tx.Commit();
        SeedClock(conn);
    }

    public string DatabasePath { get; }

    public override DbConnection OpenConnection() => SqliteDdl.Open(_connectionString);

    protected override DbTransaction BeginWrite(DbConnection conn) => ((SqliteConnection)conn).BeginTransaction(deferred: false);

    public long PushCursor => ReadLong("push_cursor");

    /// <summary>Identity of this database (new after a rebuild), sent with every push.</summary>
    public string StoreId => GetState("store_id") ?? "";

    public long PullCursor => ReadLong("pull_cursor");

    public string? GetState(string key)
    {
        using var conn = OpenConnection();
        return conn.ScalarString("SELECT value FROM _sync_state WHERE key = @k", null, ("@k", key));
    }

    public void SetState(string key, string? value)
    {
        using var conn = OpenConnection();
        SetState(conn, null, key, value);
    }

    private static void SetState(DbConnection conn, DbTransaction? tx, string key, string? value)
    {
        if (value is null)
        {
            conn.Exec("DELETE FROM _sync_state WHERE key = @k", tx, ("@k", key));
            return;
        }
        conn.Exec("INSERT INTO _sync_state (key, value) VALUES (@k, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            tx, ("@k", key), ("@v", value));
    }

    private long ReadLong(string key) =>
        long.TryParse(GetState(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Rows with local changes the hub has not acknowledged yet (audit entries, which travel with them, not counted).</summary>
    public long PendingRowCount()
    {
        using var conn = OpenConnection();
        return conn.ScalarLong(
            "SELECT COUNT(*) FROM (SELECT DISTINCT tbl, row_id FROM _sync_log WHERE tbl <> 'audit' AND seq > (SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM _sync_state WHERE key = 'push_cursor'), 0)))");
    }

    public long OpenConflictCount()
    {
        using var conn = OpenConnection();
        return conn.ScalarLong("SELECT COUNT(*) FROM _sync_conflicts WHERE status = 'open'");
    }

    public long RejectedCount()
    {
        using var conn = OpenConnection();
        return conn.ScalarLong("SELECT COUNT(*) FROM _sync_rejected");
    }

    /// <summary>Rows the hub refused, newest first, for technicians.</summary>
    public IReadOnlyList<RejectedRow> Rejected(int limit = 100)
    {
        using var conn = OpenConnection();
        using var cmd = conn.Command("SELECT tbl, row_id, hlc, reason, rejected_utc, row_json FROM _sync_rejected ORDER BY id DESC LIMIT @n", null, ("@n", (long)limit));
        using var r = cmd.ExecuteReader();
        var list = new List<RejectedRow>();
        while (r.Read())
        {
            list.Add(new RejectedRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
                DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), r.StringOrNull(5)));
        }
        return list;
    }

    public IReadOnlyList<ConflictRecord> Conflicts(bool openOnly = true)
    {
        using var conn = OpenConnection();
        using var cmd = conn.Command(
            "SELECT id, tbl, row_id, winner_hlc, loser_hlc, winner_json, loser_json, detected_utc, detected_node, status FROM _sync_conflicts"
            + (openOnly ? " WHERE status = 'open'" : "") + " ORDER BY detected_utc");
        using var r = cmd.ExecuteReader();
        var list = new List<ConflictRecord>();
        while (r.Read())
        {
            list.Add(new ConflictRecord
            {
                Id = r.GetString(0), Table = r.GetString(1), RowId = r.GetString(2), WinnerHlc = r.GetString(3),
                LoserHlc = r.GetString(4), WinnerJson = r.GetString(5), LoserJson = r.GetString(6),
                DetectedUtc = r.GetString(7), DetectedNode = r.GetString(8), Status = r.GetString(9),
            });
        }
        return list;
    }

    /// <summary>Keeps the pair locally and, when the schema replicates conflicts, as a conflict record that syncs (captured).</summary>
    internal void SaveConflict(DbConnection conn, DbTransaction tx, string table, SyncRow winner, SyncRow loser, string node, string nowUtc)
    {
        if (ConflictLog.Record(Schema, node, Clock.Next().ToString(), nowUtc, winner, loser) is { } record && !ConflictLog.Exists(conn, tx, record.Id))
        {
            conn.Exec("UPDATE _sync_ctx SET applying = 0 WHERE id = 1", tx);
            RowIo.Insert(conn, tx, Schema[ConflictTables.Conflicts], record);
            Audit(conn, tx, Schema[ConflictTables.Conflicts], null, record);
            conn.Exec("UPDATE _sync_ctx SET applying = 1 WHERE id = 1", tx);
        }
        var id = ConflictRecord.MakeId(table, winner.Id, winner.Hlc, loser.Hlc);
        conn.Exec("""
            INSERT INTO _sync_conflicts (id, tbl, row_id, winner_hlc, loser_hlc, winner_json, loser_json, detected_utc, detected_node)
            VALUES (@id, @t, @r, @w, @l, @wj, @lj, @d, @n) ON CONFLICT (id) DO NOTHING
            """, tx, ("@id", id), ("@t", table), ("@r", winner.Id), ("@w", winner.Hlc), ("@l", loser.Hlc),
            ("@wj", RowIo.ToJson(winner)), ("@lj", RowIo.ToJson(loser)), ("@d", nowUtc), ("@n", node));
    }

    internal string NowText() => Time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
