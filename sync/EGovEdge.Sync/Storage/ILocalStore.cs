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

    /// <summary>Raised after each committed local write (the edge syncs soon after, debounced).</summary>
    event EventHandler? Changed;
}
