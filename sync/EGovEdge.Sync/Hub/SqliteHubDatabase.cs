using System.Data.Common;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Sync.Hub;

/// <summary>The hub on a local SQLite file (the default).</summary>
public sealed class SqliteHubDatabase : IHubDatabase
{
    private readonly string _connectionString;

    public SqliteHubDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = SqliteDdl.ConnectionString(Path);
    }

    public string Path { get; }

    public string Provider => "sqlite";

    public DbConnection OpenConnection() => SqliteDdl.Open(_connectionString);

    public DbTransaction BeginWrite(DbConnection conn) => ((SqliteConnection)conn).BeginTransaction(deferred: false);

    public DbTransaction BeginRead(DbConnection conn) => ((SqliteConnection)conn).BeginTransaction(deferred: true);

    public void EnsureSchema(SyncSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var conn = (SqliteConnection)OpenConnection();
        SqliteDdl.EnableWal(conn);
        using var tx = conn.BeginTransaction();
        conn.Exec(HubDdl.Meta("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"), tx);
        foreach (var t in schema.Tables.Values)
        {
            conn.Exec(SqliteDdl.CreateTable(t), tx);
            SqliteDdl.AddMissingColumns(conn, tx, t, SqliteDdl.SqliteColumns(conn, tx, t.Name));
            if (t.Indexes.Count > 0) conn.Exec(SqliteDdl.CreateIndexes(t), tx);
        }
        tx.Commit();
    }
}
