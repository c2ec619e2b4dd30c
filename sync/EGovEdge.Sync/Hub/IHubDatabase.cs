using System.Data.Common;

namespace EGovEdge.Sync.Hub;

/// <summary>
/// The storage seam of the county hub: one implementation per database engine (SQLite by default, PostgreSQL
/// in production). Everything else in <see cref="HubStore"/> is plain SQL both engines accept.
/// </summary>
public interface IHubDatabase
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Provider { get; }

    DbConnection OpenConnection();

    /// <summary>
    /// Begins a write transaction that excludes every other hub writer until it ends, so hub sequence numbers
    /// commit in the order they are issued and a pull cursor can never skip a change.
    /// </summary>
    DbTransaction BeginWrite(DbConnection conn);

    /// <summary>Begins a read transaction that sees one consistent snapshot.</summary>
    DbTransaction BeginRead(DbConnection conn);

    /// <summary>Creates or migrates the hub's own tables and the replicated tables.</summary>
    void EnsureSchema(Schema.SyncSchema schema);
}
