using System.Data.Common;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Storage;

/// <summary>Local writes shared by the edge and hub stores: stamp, write, capture, notify.</summary>
public abstract class LocalStoreBase(string nodeId, SyncSchema schema, TimeProvider time) : ILocalStore
{
    protected HlcClock Clock { get; } = new(nodeId, time);

    protected TimeProvider Time { get; } = time;

    public string NodeId { get; } = nodeId;

    public SyncSchema Schema { get; } = schema;

    public event EventHandler? Changed;

    public abstract DbConnection OpenConnection();

    /// <summary>Begins a write transaction (serialised so sequence order equals commit order).</summary>
    protected abstract DbTransaction BeginWrite(DbConnection conn);

    /// <summary>Hook for stores that capture without triggers (the hub's log).</summary>
    protected virtual void AfterLocalWrite(DbConnection conn, DbTransaction tx, SyncTable table, SyncRow row)
    {
    }

    public SyncRow Insert(string table, JsonObject data)
    {
        var t = Schema[table];
        var row = NewRow(t, data);
        Write(t, row);
        return row;
    }

    private SyncRow NewRow(SyncTable t, JsonObject data)
    {
        var clean = t.Sanitize(data, out var error);
        if (error is not null) throw new ArgumentException(error, nameof(data));
        return new SyncRow
        {
            Table = t.Name,
            Id = Guid.CreateVersion7(Time.GetUtcNow()).ToString(),
            Hlc = Clock.Next().ToString(),
            Origin = NodeId,
            Data = clean,
        };
    }

    public SyncRow? Update(string table, string id, JsonObject changes)
    {
        var t = Schema[table];
        return Modify(t, id, row => ApplyChanges(t, row, changes));
    }

    private static void ApplyChanges(SyncTable t, SyncRow row, JsonObject changes)
    {
        foreach (var (key, value) in changes)
        {
            if (!t.ColumnNames.Contains(key)) throw new ArgumentException($"Unknown column '{key}'.", nameof(changes));
            row.Data[key] = value?.DeepClone();
        }
        var clean = t.Sanitize(row.Data, out var error);
        if (error is not null) throw new ArgumentException(error, nameof(changes));
        row.Data = clean;
    }

    public SyncRow Put(string table, string id, JsonObject data)
    {
        var t = Schema[table];
        if (!Guid.TryParse(id, out _)) throw new ArgumentException("Row ids are UUIDs.", nameof(id));
        var clean = t.Sanitize(data, out var error);
        if (error is not null) throw new ArgumentException(error, nameof(data));
        var existing = Get(table, id);
        if (existing is null)
        {
            var row = new SyncRow { Table = t.Name, Id = id, Hlc = Clock.Next().ToString(), Origin = NodeId, Data = clean };
            Write(t, row);
            return row;
        }
        if (!existing.Deleted && JsonNode.DeepEquals(existing.Data, clean)) return existing;
        return Modify(t, id, row =>
        {
            row.Data = clean;
            row.Deleted = false;
        }, allowDeleted: true)!;
    }

    public bool Delete(string table, string id) => Modify(Schema[table], id, row => row.Deleted = true) is not null;

    public SyncRow? Get(string table, string id)
    {
        using var conn = OpenConnection();
        return RowIo.Get(conn, null, Schema[table], id);
    }

    private SyncRow? Modify(SyncTable t, string id, Action<SyncRow> change, bool allowDeleted = false)
    {
        SyncRow? result;
        using (var conn = OpenConnection())
        using (var tx = BeginWrite(conn))
        {
            result = ModifyIn(conn, tx, t, id, change, allowDeleted);
            if (result is null) return null;
            tx.Commit();
        }
        Changed?.Invoke(this, EventArgs.Empty);
        return result;
    }

    private SyncRow? ModifyIn(DbConnection conn, DbTransaction tx, SyncTable t, string id, Action<SyncRow> change, bool allowDeleted = false)
    {
        var row = RowIo.Get(conn, tx, t, id);
        if (row is null || (row.Deleted && !allowDeleted)) return null;
        var before = row.Clone();
        var old = row.Hlc;
        change(row);
        Clock.Observe(old);
        row.PrevHlc = old;
        row.Hlc = Clock.Next().ToString();
        RowIo.Update(conn, tx, t, row);
        AfterLocalWrite(conn, tx, t, row);
        Audit(conn, tx, t, before, row);
        return row;
    }

    private void Write(SyncTable t, SyncRow row)
    {
        using (var conn = OpenConnection())
        using (var tx = BeginWrite(conn))
        {
            WriteIn(conn, tx, t, row);
            tx.Commit();
        }
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private void WriteIn(DbConnection conn, DbTransaction tx, SyncTable t, SyncRow row)
    {
        RowIo.Insert(conn, tx, t, row);
        AfterLocalWrite(conn, tx, t, row);
        Audit(conn, tx, t, null, row);
    }

    public T Transact<T>(Func<ILocalWrite, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result;
        bool wrote;
        using (var conn = OpenConnection())
        using (var tx = BeginWrite(conn))
        {
            var unit = new UnitOfWork(this, conn, tx);
            result = work(unit);
            wrote = unit.Wrote;
            tx.Commit();
        }
        if (wrote) Changed?.Invoke(this, EventArgs.Empty);
        return result;
    }

    /// <summary>Writes inside one serialised transaction; reads through <see cref="Connection"/> see them.</summary>
    private sealed class UnitOfWork(LocalStoreBase store, DbConnection conn, DbTransaction tx) : ILocalWrite
    {
        public bool Wrote { get; private set; }

        public string NodeId => store.NodeId;

        public DbConnection Connection => conn;

        public DbTransaction Transaction => tx;

        public SyncRow? Get(string table, string id) => RowIo.Get(conn, tx, store.Schema[table], id);

        public SyncRow Insert(string table, JsonObject data)
        {
            var row = store.NewRow(store.Schema[table], data);
            store.WriteIn(conn, tx, store.Schema[table], row);
            Wrote = true;
            return row;
        }

        public SyncRow? Update(string table, string id, JsonObject changes)
        {
            var t = store.Schema[table];
            var row = store.ModifyIn(conn, tx, t, id, r => ApplyChanges(t, r, changes));
            Wrote |= row is not null;
            return row;
        }

        public bool Delete(string table, string id)
        {
            var done = store.ModifyIn(conn, tx, store.Schema[table], id, r => r.Deleted = true) is not null;
            Wrote |= done;
            return done;
        }
    }

    /// <summary>Every local write leaves a hash-chained audit entry in the same transaction (when the schema has the audit table).</summary>
    protected void Audit(DbConnection conn, DbTransaction tx, SyncTable t, SyncRow? before, SyncRow after, string? action = null)
    {
        if (t.Name == AuditTable.Name || !Schema.Tables.ContainsKey(AuditTable.Name)) return;
        var entry = AuditTrail.Append(conn, tx, NodeId, Clock.Next().ToString(), AuditTrail.Now(Time),
            action ?? AuditTrail.ActionOf(t, before, after), before, after);
        AfterLocalWrite(conn, tx, AuditTable.Definition, entry);
    }

    /// <summary>Seeds the clock from the newest stamp stored, so a restart never issues an older stamp.</summary>
    protected void SeedClock(DbConnection conn)
    {
        foreach (var t in Schema.Tables.Values)
        {
            Clock.Observe(conn.ScalarString($"SELECT MAX(hlc) FROM {t.Name}"));
        }
    }
}
