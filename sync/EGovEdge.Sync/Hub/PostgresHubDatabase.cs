using System.Data;
using System.Data.Common;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Npgsql;

namespace EGovEdge.Sync.Hub;

/// <summary>
/// The hub on PostgreSQL. Writers take one transaction-scoped advisory lock, so hub sequence numbers commit in
/// the order they are issued: a reader's snapshot never holds a gap that a slower transaction fills later.
/// </summary>
public sealed class PostgresHubDatabase : IHubDatabase, IDisposable
{
    /// <summary>Arbitrary constant naming the hub's writer lock.</summary>
    private const long WriterLockKey = 0x45476F7645646765; // "EGovEdge"

    private readonly NpgsqlDataSource _source;

    public PostgresHubDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _source = NpgsqlDataSource.Create(connectionString);
    }

    public string Provider => "postgres";

    public DbConnection OpenConnection() => _source.OpenConnection();

    public DbTransaction BeginWrite(DbConnection conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        var tx = conn.BeginTransaction(IsolationLevel.ReadCommitted);
        conn.Exec("SELECT pg_advisory_xact_lock(@k)", tx, ("@k", WriterLockKey));
        return tx;
    }

    public DbTransaction BeginRead(DbConnection conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return conn.BeginTransaction(IsolationLevel.RepeatableRead);
    }

    public void EnsureSchema(SyncSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        conn.Exec(HubDdl.Meta("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BIGINT"), tx);
        foreach (var t in schema.Tables.Values)
        {
            conn.Exec(SqliteDdl.CreateTable(t, "BIGINT"), tx);
            var existing = new HashSet<string>(StringComparer.Ordinal);
            using (var cmd = conn.Command("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t", tx, ("@t", t.Name)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) existing.Add(r.GetString(0));
            }
            SqliteDdl.AddMissingColumns(conn, tx, t, existing, "BIGINT");
            if (t.Indexes.Count > 0) conn.Exec(SqliteDdl.CreateIndexes(t), tx);
        }
        tx.Commit();
    }

    public void Dispose() => _source.Dispose();
}
