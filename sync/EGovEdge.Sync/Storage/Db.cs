using System.Data.Common;

namespace EGovEdge.Sync.Storage;

/// <summary>Small ADO.NET helpers shared by the SQLite and PostgreSQL stores (parameters are always @name).</summary>
public static class Db
{
    public static DbCommand Command(this DbConnection conn, string sql, DbTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Param(name, value);
        return cmd;
    }

    public static DbCommand Param(this DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return cmd;
    }

    public static int Exec(this DbConnection conn, string sql, DbTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = conn.Command(sql, tx, args);
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(this DbConnection conn, string sql, DbTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = conn.Command(sql, tx, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static long ScalarLong(this DbConnection conn, string sql, DbTransaction? tx = null, params (string, object?)[] args) =>
        conn.Scalar(sql, tx, args) is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : 0;

    public static string? ScalarString(this DbConnection conn, string sql, DbTransaction? tx = null, params (string, object?)[] args) =>
        conn.Scalar(sql, tx, args)?.ToString();

    public static string? StringOrNull(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static long LongOrZero(this DbDataReader r, int i) =>
        r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
}
