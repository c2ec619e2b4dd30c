using Microsoft.Data.Sqlite;

namespace EGovEdge.Testing;

/// <summary>
/// Read-only look into a node's SQLite file while the node runs (WAL lets readers in). Unpooled, so no handle
/// outlives the query and the file can be deleted or reopened by a restarted node.
/// </summary>
public sealed class SqliteProbe(string path)
{
    public string Path { get; } = path;

    private SqliteConnection Open()
    {
        if (!File.Exists(Path)) throw new FileNotFoundException($"{Path} does not exist (has the node started?)", Path);
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite, // never creates the file; we only run SELECTs
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        conn.Open();
        using var pragma = conn.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA query_only = 1;";
        pragma.ExecuteNonQuery();
        return conn;
    }

    public long Long(string sql, params (string Name, object? Value)[] args) => Convert.ToInt64(Scalar(sql, args), System.Globalization.CultureInfo.InvariantCulture);

    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using var conn = Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>
    /// The highest sequence the edge's change log ever handed out (sqlite_sequence of the AUTOINCREMENT _sync_log):
    /// grows with every captured local change and, unlike MAX(seq), does not move back when acknowledged entries are pruned.
    /// </summary>
    public long LastLogSequence() => Long("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '_sync_log'), 0)");

    public bool TableExists(string table) =>
        Long("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @t", ("@t", table)) > 0;

    /// <summary>
    /// Conflict records of any kind this node holds: the replicated <c>conflicts</c> table and the engine's own
    /// <c>hub_conflicts</c> / <c>_sync_conflicts</c> (whichever exist).
    /// </summary>
    public long ConflictRecords(string? rowId = null) =>
        new[] { "conflicts", "hub_conflicts", "_sync_conflicts" }.Where(TableExists).Sum(t => rowId is null
            ? Long($"SELECT COUNT(*) FROM {t}")
            : Long($"SELECT COUNT(*) FROM {t} WHERE row_id = @r", ("@r", rowId)));

    /// <summary>All rows as column-name → value dictionaries.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows(string sql, params (string Name, object? Value)[] args)
    {
        using var conn = Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        using var r = cmd.ExecuteReader();
        var list = new List<IReadOnlyDictionary<string, object?>>();
        while (r.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < r.FieldCount; i++) row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetValue(i);
            list.Add(row);
        }
        return list;
    }

    /// <summary>The first column of every row, as strings.</summary>
    public IReadOnlyList<string> Strings(string sql, params (string Name, object? Value)[] args) =>
        [.. Rows(sql, args).Select(r => Convert.ToString(r.Values.First(), System.Globalization.CultureInfo.InvariantCulture) ?? "")];
}
