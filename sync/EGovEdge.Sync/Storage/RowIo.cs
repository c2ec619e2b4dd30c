using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Storage;

/// <summary>Reads and writes replicated rows column by column, for any ADO.NET provider.</summary>
public static class RowIo
{
    public static string SelectList(SyncTable t) =>
        string.Join(", ", SyncTable.EngineColumns.Concat(t.Columns.Select(c => c.Name)));

    public static SyncRow ReadRow(SyncTable t, DbDataReader r, int offset = 0)
    {
        var data = new JsonObject();
        for (var i = 0; i < t.Columns.Count; i++)
        {
            var col = t.Columns[i];
            var ord = offset + 5 + i;
            if (r.IsDBNull(ord))
            {
                data[col.Name] = null;
                continue;
            }
            data[col.Name] = col.Type == SyncColumnType.Integer
                ? JsonValue.Create(Convert.ToInt64(r.GetValue(ord), CultureInfo.InvariantCulture))
                : JsonValue.Create(r.GetString(ord));
        }
        return new SyncRow
        {
            Table = t.Name,
            Id = r.GetString(offset),
            Hlc = r.GetString(offset + 1),
            PrevHlc = r.StringOrNull(offset + 2),
            Origin = r.GetString(offset + 3),
            Deleted = r.LongOrZero(offset + 4) != 0,
            Data = data,
        };
    }

    public static SyncRow? Get(DbConnection conn, DbTransaction? tx, SyncTable t, string id)
    {
        using var cmd = conn.Command($"SELECT {SelectList(t)} FROM {t.Name} WHERE id = @id", tx, ("@id", id));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadRow(t, r) : null;
    }

    public static List<SyncRow> GetMany(DbConnection conn, DbTransaction? tx, SyncTable t, IReadOnlyList<string> ids)
    {
        var rows = new List<SyncRow>(ids.Count);
        for (var start = 0; start < ids.Count; start += 400)
        {
            var chunk = ids.Skip(start).Take(400).ToList();
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            var names = new StringBuilder();
            for (var i = 0; i < chunk.Count; i++)
            {
                if (i > 0) names.Append(", ");
                names.Append("@i").Append(i);
                cmd.Param("@i" + i.ToString(CultureInfo.InvariantCulture), chunk[i]);
            }
            cmd.CommandText = $"SELECT {SelectList(t)} FROM {t.Name} WHERE id IN ({names})";
            using var r = cmd.ExecuteReader();
            while (r.Read()) rows.Add(ReadRow(t, r));
        }
        return rows;
    }

    /// <summary>Insert or replace the whole row (used when applying remote versions).</summary>
    public static void Upsert(DbConnection conn, DbTransaction? tx, SyncTable t, SyncRow row) =>
        Execute(conn, tx, t, row, WriteKind.Upsert);

    /// <summary>Plain INSERT of a new local row (fires the capture trigger on an edge).</summary>
    public static void Insert(DbConnection conn, DbTransaction? tx, SyncTable t, SyncRow row) =>
        Execute(conn, tx, t, row, WriteKind.Insert);

    /// <summary>Plain UPDATE of a local row by id (fires the capture trigger on an edge).</summary>
    public static void Update(DbConnection conn, DbTransaction? tx, SyncTable t, SyncRow row) =>
        Execute(conn, tx, t, row, WriteKind.Update);

    private enum WriteKind
    {
        Insert,
        Update,
        Upsert,
    }

    private static void Execute(DbConnection conn, DbTransaction? tx, SyncTable t, SyncRow row, WriteKind kind)
    {
        var all = SyncTable.EngineColumns.Concat(t.Columns.Select(c => c.Name)).ToList();
        var sql = new StringBuilder();
        if (kind == WriteKind.Update)
        {
            sql.Append($"UPDATE {t.Name} SET ").Append(string.Join(", ", all.Skip(1).Select(c => $"{c} = @{c}"))).Append(" WHERE id = @id");
        }
        else
        {
            sql.Append($"INSERT INTO {t.Name} ({string.Join(", ", all)}) VALUES (").Append(string.Join(", ", all.Select(c => "@" + c))).Append(')');
            if (kind == WriteKind.Upsert)
            {
                sql.Append(" ON CONFLICT (id) DO UPDATE SET ").Append(string.Join(", ", all.Skip(1).Select(c => $"{c} = excluded.{c}")));
            }
        }
        using var cmd = conn.Command(sql.ToString(), tx);
        cmd.Param("@id", row.Id).Param("@hlc", row.Hlc).Param("@prev_hlc", row.PrevHlc)
            .Param("@origin", row.Origin).Param("@deleted", row.Deleted ? 1L : 0L);
        foreach (var c in t.Columns) cmd.Param("@" + c.Name, ToDb(c, row.Data));
        cmd.ExecuteNonQuery();
    }

    private static object? ToDb(SyncColumn c, JsonObject data)
    {
        if (!data.TryGetPropertyValue(c.Name, out var node) || node is null) return null;
        return node.GetValueKind() switch
        {
            JsonValueKind.String when c.Type == SyncColumnType.Text => node.GetValue<string>(),
            JsonValueKind.Number when c.Type == SyncColumnType.Integer => node.GetValue<long>(),
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"Value of column '{c.Name}' has the wrong type."),
        };
    }

    /// <summary>The whole row as JSON text (kept in conflict and rejection records).</summary>
    public static string ToJson(SyncRow row)
    {
        var o = new JsonObject
        {
            ["table"] = row.Table,
            ["id"] = row.Id,
            ["hlc"] = row.Hlc,
            ["prevHlc"] = row.PrevHlc,
            ["origin"] = row.Origin,
            ["deleted"] = row.Deleted,
            ["data"] = row.Data.DeepClone(),
        };
        return o.ToJsonString();
    }

    public static SyncRow FromJson(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        return new SyncRow
        {
            Table = o["table"]!.GetValue<string>(),
            Id = o["id"]!.GetValue<string>(),
            Hlc = o["hlc"]!.GetValue<string>(),
            PrevHlc = o["prevHlc"]?.GetValue<string>(),
            Origin = o["origin"]!.GetValue<string>(),
            Deleted = o["deleted"]?.GetValue<bool>() ?? false,
            Data = o["data"]?.AsObject().DeepClone().AsObject() ?? [],
        };
    }
}
