using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Storage;

/// <summary>Reads and writes replicated rows column by column, for any ADO.NET provider.</summary>
public static class RowIo
{
    /// <summary>The SQL texts of one table, built once per table definition (they depend on nothing else).</summary>
    private sealed class Texts
    {
        public Texts(SyncTable t)
        {
            var all = SyncTable.EngineColumns.Concat(t.Columns.Select(c => c.Name)).ToList();
            SelectList = string.Join(", ", all);
            Get = $"SELECT {SelectList} FROM {t.Name} WHERE id = @id";
            Insert = $"INSERT INTO {t.Name} ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "@" + c))})";
            Upsert = Insert + " ON CONFLICT (id) DO UPDATE SET " + string.Join(", ", all.Skip(1).Select(c => $"{c} = excluded.{c}"));
            Update = $"UPDATE {t.Name} SET {string.Join(", ", all.Skip(1).Select(c => $"{c} = @{c}"))} WHERE id = @id";
        }

        public string SelectList { get; }
        public string Get { get; }
        public string Insert { get; }
        public string Upsert { get; }
        public string Update { get; }
    }

    private static readonly ConditionalWeakTable<SyncTable, Texts> TextCache = new();

    private static Texts TextsOf(SyncTable t) => TextCache.GetValue(t, static x => new Texts(x));

    public static string SelectList(SyncTable t) => TextsOf(t).SelectList;

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
        using var cmd = conn.Command(TextsOf(t).Get, tx, ("@id", id));
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
        var texts = TextsOf(t);
        using var cmd = conn.Command(kind switch
        {
            WriteKind.Update => texts.Update,
            WriteKind.Insert => texts.Insert,
            _ => texts.Upsert,
        }, tx);
        cmd.Param("@id", row.Id).Param("@hlc", row.Hlc).Param("@prev_hlc", row.PrevHlc)
            .Param("@origin", row.Origin).Param("@deleted", row.Deleted ? 1L : 0L);
        foreach (var c in t.Columns) cmd.Param("@" + c.Name, ToDb(c, row.Data));
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Reads and upserts rows of one table inside one transaction through two commands that are built once and then
    /// reused, so each statement is compiled once rather than once per row. Compiling costs far more than running here:
    /// SQLite compiles the table's capture triggers into every INSERT and UPDATE statement. For loops over many rows
    /// (a pulled page); dispose it before the transaction ends. Not thread-safe, like the connection.
    /// </summary>
    public sealed class Batch : IDisposable
    {
        private readonly DbConnection _conn;
        private readonly DbTransaction? _tx;
        private readonly SyncTable _t;
        private DbCommand? _get;
        private DbParameter? _getId;
        private DbCommand? _upsert;
        private DbParameter[] _upsertParams = [];

        public Batch(DbConnection conn, DbTransaction? tx, SyncTable t)
        {
            ArgumentNullException.ThrowIfNull(conn);
            ArgumentNullException.ThrowIfNull(t);
            _conn = conn;
            _tx = tx;
            _t = t;
        }

        /// <summary>The row as stored now (in this transaction), like <see cref="RowIo.Get"/>.</summary>
        public SyncRow? Get(string id)
        {
            if (_get is null)
            {
                _get = _conn.Command(TextsOf(_t).Get, _tx, ("@id", null));
                _getId = _get.Parameters[0];
            }
            _getId!.Value = (object?)id ?? DBNull.Value;
            using var r = _get.ExecuteReader();
            return r.Read() ? ReadRow(_t, r) : null;
        }

        /// <summary>Insert or replace the whole row, like <see cref="RowIo.Upsert"/>.</summary>
        public void Upsert(SyncRow row)
        {
            ArgumentNullException.ThrowIfNull(row);
            if (_upsert is null)
            {
                _upsert = _conn.Command(TextsOf(_t).Upsert, _tx);
                foreach (var name in SyncTable.EngineColumns.Concat(_t.Columns.Select(c => c.Name))) _upsert.Param("@" + name, null);
                _upsertParams = [.. _upsert.Parameters.Cast<DbParameter>()];
            }
            // Values are computed before any is assigned, so a bad value leaves nothing half-bound.
            var values = new object?[_upsertParams.Length];
            values[0] = row.Id;
            values[1] = row.Hlc;
            values[2] = row.PrevHlc;
            values[3] = row.Origin;
            values[4] = row.Deleted ? 1L : 0L;
            for (var i = 0; i < _t.Columns.Count; i++) values[5 + i] = ToDb(_t.Columns[i], row.Data);
            for (var i = 0; i < values.Length; i++) _upsertParams[i].Value = values[i] ?? DBNull.Value;
            _upsert.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _get?.Dispose();
            _upsert?.Dispose();
        }
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
