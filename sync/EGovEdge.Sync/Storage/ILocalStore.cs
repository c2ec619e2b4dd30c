using System.Data.Common;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Storage;

/// <summary>
/// The database of one node (an edge or the hub) as the office modules see it: plain SQL reads,
/// and writes through this interface so that every change is stamped and captured for sync.
/// </summary>
public interface ILocalStore
{
    string NodeId { get; }

    SyncSchema Schema { get; }

    /// <summary>An open connection for reads; dispose it after the unit of work.</summary>
    DbConnection OpenConnection();

    /// <summary>Creates a row owned by this node and returns it.</summary>
    SyncRow Insert(string table, JsonObject data);

    /// <summary>Changes the given data columns of a live row; null when the row is absent or deleted.</summary>
    SyncRow? Update(string table, string id, JsonObject changes);

    /// <summary>
    /// Creates or changes the row with a caller-chosen id (directory rows with stable ids); a no-op when the live row
    /// already holds exactly this data.
    /// </summary>
    SyncRow Put(string table, string id, JsonObject data);

    /// <summary>Marks a live row deleted (a tombstone that syncs); false when absent or already deleted.</summary>
    bool Delete(string table, string id);

    SyncRow? Get(string table, string id);

    /// <summary>
    /// Runs <paramref name="work"/> in one serialised write transaction: its reads through
    /// <see cref="ILocalWrite.Connection"/> see committed data and its own writes, no other writer runs meanwhile, and
    /// everything commits together or (when it throws) not at all. Use it for check-then-write rules such as number
    /// allocation or booking clashes.
    /// </summary>
    T Transact<T>(Func<ILocalWrite, T> work);

    /// <summary>Raised after each committed local write (the edge syncs soon after, debounced).</summary>
    event EventHandler? Changed;
}

/// <summary>The writes of one <see cref="ILocalStore.Transact{T}"/> unit; each is stamped, captured and audited like a single write.</summary>
public interface ILocalWrite
{
    string NodeId { get; }

    DbConnection Connection { get; }

    /// <summary>Pass to every command run on <see cref="Connection"/>.</summary>
    DbTransaction Transaction { get; }

    SyncRow? Get(string table, string id);

    SyncRow Insert(string table, JsonObject data);

    SyncRow? Update(string table, string id, JsonObject changes);

    bool Delete(string table, string id);
}
