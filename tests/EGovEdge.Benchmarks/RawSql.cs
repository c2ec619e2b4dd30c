using EGovEdge.Office;
using EGovEdge.Office.Documents;
using EGovEdge.Sync.Storage;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Benchmarks;

/// <summary>The physical baselines: one transaction, one prepared command reused, the engine's connection settings.</summary>
internal static class RawSql
{
    private static readonly string InsertSql =
        $"INSERT INTO {DocumentsTable.Name} ({string.Join(", ", DocGen.Columns)}) VALUES ({string.Join(", ", DocGen.Columns.Select((_, i) => "@p" + i))})";

    /// <summary>A new edge database (the real schema, capture triggers included) at <paramref name="path"/>.</summary>
    public static EdgeStore NewEdgeDb(string path, string node)
    {
        Delete(path);
        return new EdgeStore(path, node, OfficeSchema.Create(), TimeProvider.System);
    }

    /// <summary>The same database with the documents table's capture triggers dropped: "capture off".</summary>
    public static void NewPlainDb(string path, string node)
    {
        NewEdgeDb(path, node);
        using var conn = SqliteDdl.Open(SqliteDdl.ConnectionString(path));
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"""
            DROP TRIGGER trg_{DocumentsTable.Name}_capture_ins;
            DROP TRIGGER trg_{DocumentsTable.Name}_capture_upd;
            DROP TRIGGER trg_{DocumentsTable.Name}_no_delete;
            """;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Inserts the rows with one prepared command in one transaction (the triggers, if any, fire).</summary>
    public static void Insert(string path, IReadOnlyList<DocRow> rows, string? pragma = null)
    {
        using var conn = SqliteDdl.Open(SqliteDdl.ConnectionString(path));
        if (pragma is not null) conn.Exec(pragma);
        using var tx = conn.BeginTransaction();
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = InsertSql;
        var ps = new SqliteParameter[DocGen.Columns.Length];
        for (var i = 0; i < ps.Length; i++) ps[i] = cmd.Parameters.Add(new SqliteParameter("@p" + i, null));
        cmd.Prepare();
        foreach (var row in rows)
        {
            ps[0].Value = row.Id;
            ps[1].Value = row.Hlc;
            ps[2].Value = (object?)row.PrevHlc ?? DBNull.Value;
            ps[3].Value = row.Origin;
            ps[4].Value = 0L;
            for (var i = 5; i < ps.Length; i++) ps[i].Value = row.Data[DocGen.Columns[i]]?.GetValue<string>() ?? (object)DBNull.Value;
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>
    /// Local edits of existing rows as the office module makes them (new title and updated_utc, a newer stamp of this
    /// node, prev_hlc = the old stamp), in one transaction; the capture trigger logs each one.
    /// </summary>
    public static void UpdateTitles(string path, IReadOnlyList<DocRow> rows, Func<string> nextHlc, DocGen gen)
    {
        using var conn = SqliteDdl.Open(SqliteDdl.ConnectionString(path));
        using var tx = conn.BeginTransaction();
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"UPDATE {DocumentsTable.Name} SET hlc = @h, prev_hlc = hlc, title = @t, updated_utc = @u WHERE id = @id";
        var h = cmd.Parameters.Add(new SqliteParameter("@h", null));
        var t = cmd.Parameters.Add(new SqliteParameter("@t", null));
        var u = cmd.Parameters.Add(new SqliteParameter("@u", null));
        var id = cmd.Parameters.Add(new SqliteParameter("@id", null));
        cmd.Prepare();
        var now = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            var next = nextHlc();
            h.Value = next;
            t.Value = gen.Text(40);
            u.Value = now;
            id.Value = row.Id;
            if (cmd.ExecuteNonQuery() != 1) throw new InvalidOperationException($"row {row.Id} not found");
            row.PrevHlc = row.Hlc;
            row.Hlc = next;
        }
        tx.Commit();
    }

    public static long Count(string path, string sql)
    {
        using var conn = SqliteDdl.Open(SqliteDdl.ConnectionString(path));
        return conn.ScalarLong(sql);
    }

    /// <summary>Deletes a database and its WAL files (pooled connections are closed first).</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(f)) File.Delete(f);
        }
    }
}
