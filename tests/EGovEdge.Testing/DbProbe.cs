using System.Data.Common;
using System.Globalization;

namespace EGovEdge.Testing;

/// <summary>
/// A look into a node's database while the node runs, the same for the hub's SQLite file and its PostgreSQL database
/// (<see cref="SqliteProbe"/>, <see cref="PostgresProbe"/>). Queries are read-only; <see cref="Execute"/> writes
/// behind the application's back (tamper tests). Parameters are written <c>@name</c> on both engines. SQL given here
/// must be valid on both (e.g. a subquery in FROM needs an alias for PostgreSQL 15).
/// </summary>
public abstract class DbProbe
{
    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Provider { get; }

    /// <summary>Opens an unpooled connection; <paramref name="write"/> false makes the session read-only.</summary>
    protected abstract DbConnection Open(bool write);

    /// <summary>The SQL that counts tables named @t in the database (one row, one column).</summary>
    protected abstract string TableCountSql { get; }

    public long Long(string sql, params (string Name, object? Value)[] args) => Convert.ToInt64(Scalar(sql, args), CultureInfo.InvariantCulture);

    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using var conn = Open(write: false);
        using var cmd = Command(conn, sql, args);
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>All rows as column-name → value dictionaries.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows(string sql, params (string Name, object? Value)[] args)
    {
        using var conn = Open(write: false);
        using var cmd = Command(conn, sql, args);
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
        [.. Rows(sql, args).Select(r => Convert.ToString(r.Values.First(), CultureInfo.InvariantCulture) ?? "")];

    /// <summary>
    /// Runs a statement that changes the database directly, as someone with database access would (not through the
    /// application: no audit entry, no change log, no hub sequence). Returns the number of rows affected.
    /// </summary>
    public int Execute(string sql, params (string Name, object? Value)[] args)
    {
        using var conn = Open(write: true);
        using var cmd = Command(conn, sql, args);
        return cmd.ExecuteNonQuery();
    }

    public bool TableExists(string table) => Long(TableCountSql, ("@t", table)) > 0;

    /// <summary>
    /// Conflict records of any kind this node holds: the replicated <c>conflicts</c> table and the engine's own
    /// <c>hub_conflicts</c> / <c>_sync_conflicts</c> (whichever exist).
    /// </summary>
    public long ConflictRecords(string? rowId = null) =>
        new[] { "conflicts", "hub_conflicts", "_sync_conflicts" }.Where(TableExists).Sum(t => rowId is null
            ? Long($"SELECT COUNT(*) FROM {t}")
            : Long($"SELECT COUNT(*) FROM {t} WHERE row_id = @r", ("@r", rowId)));

    private static DbCommand Command(DbConnection conn, string sql, (string Name, object? Value)[] args)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = n;
            p.Value = v ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }
}
