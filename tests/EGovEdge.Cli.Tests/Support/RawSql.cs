using Microsoft.Data.Sqlite;

namespace EGovEdge.Cli.Tests.Support;

/// <summary>Writes behind the application's back (what verify must find), each in one short transaction.</summary>
internal static class RawSql
{
    public static int Exec(string dbPath, string sql, params (string Name, object? Value)[] args)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = dbPath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30,
        }.ToString());
        conn.Open();
        using var tx = conn.BeginTransaction();
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        var n2 = cmd.ExecuteNonQuery();
        tx.Commit();
        return n2;
    }

    /// <summary>
    /// At an edge, the capture triggers refuse physical deletes and log every update; the engine's own switch
    /// (_sync_ctx.applying = 1) turns them off, inside the same transaction so the web process is not affected.
    /// </summary>
    public static int ExecAtEdgeUncaptured(string dbPath, string sql, params (string Name, object? Value)[] args) =>
        Exec(dbPath, "UPDATE _sync_ctx SET applying = 1 WHERE id = 1; " + sql + "; UPDATE _sync_ctx SET applying = 0 WHERE id = 1;", args) - 2;
}
