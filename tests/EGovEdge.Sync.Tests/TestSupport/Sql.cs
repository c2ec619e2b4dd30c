using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>Raw SQL against a node's database, to check what the engine really wrote.</summary>
internal static class Sql
{
    public static long Long(ILocalStore store, string sql, params (string, object?)[] args)
    {
        using var conn = store.OpenConnection();
        return conn.ScalarLong(sql, null, args);
    }

    public static string? Text(ILocalStore store, string sql, params (string, object?)[] args)
    {
        using var conn = store.OpenConnection();
        return conn.ScalarString(sql, null, args);
    }

    public static int Exec(ILocalStore store, string sql, params (string, object?)[] args)
    {
        using var conn = store.OpenConnection();
        return conn.Exec(sql, null, args);
    }

    public static List<string?[]> Rows(ILocalStore store, string sql, params (string, object?)[] args)
    {
        using var conn = store.OpenConnection();
        using var cmd = conn.Command(sql, null, args);
        using var r = cmd.ExecuteReader();
        var rows = new List<string?[]>();
        while (r.Read())
        {
            var row = new string?[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++)
            {
                row[i] = r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Edge change-log entries as (seq, row_id, hlc, prev), oldest first.</summary>
    public static List<(long Seq, string RowId, string Hlc, string? Prev)> SyncLog(ILocalStore edge)
    {
        using var conn = edge.OpenConnection();
        using var cmd = conn.Command("SELECT seq, row_id, hlc, prev FROM _sync_log ORDER BY seq");
        using var r = cmd.ExecuteReader();
        var list = new List<(long, string, string, string?)>();
        while (r.Read()) list.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.StringOrNull(3)));
        return list;
    }

    /// <summary>The hub's log as (hub_seq, row_id, writer, scope), oldest first.</summary>
    public static List<(long Seq, string RowId, string Writer, string Scope)> HubLog(ILocalStore hub)
    {
        using var conn = hub.OpenConnection();
        using var cmd = conn.Command("SELECT hub_seq, row_id, writer, scope FROM hub_log ORDER BY hub_seq");
        using var r = cmd.ExecuteReader();
        var list = new List<(long, string, string, string)>();
        while (r.Read()) list.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        return list;
    }

    public static long CountRows(ILocalStore store, string table = TestSchema.Documents) =>
        Long(store, $"SELECT COUNT(*) FROM {table}");
}
