using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Testing;

/// <summary>
/// A look into a node's SQLite file (hub.db or edge.db) while the node runs (WAL lets readers in). Unpooled, so no
/// handle outlives the query and the file can be deleted or reopened by a restarted node.
/// </summary>
public sealed class SqliteProbe(string path) : DbProbe
{
    public string Path { get; } = path;

    public override string Provider => "sqlite";

    protected override string TableCountSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @t";

    protected override DbConnection Open(bool write)
    {
        if (!File.Exists(Path)) throw new FileNotFoundException($"{Path} does not exist (has the node started?)", Path);
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite, // never creates the file
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        conn.Open();
        using var pragma = conn.CreateCommand();
        pragma.CommandText = write ? "PRAGMA busy_timeout = 30000;" : "PRAGMA busy_timeout = 30000; PRAGMA query_only = 1;";
        pragma.ExecuteNonQuery();
        return conn;
    }

    /// <summary>
    /// The highest sequence the edge's change log ever handed out (sqlite_sequence of the AUTOINCREMENT _sync_log):
    /// grows with every captured local change and, unlike MAX(seq), does not move back when acknowledged entries are pruned.
    /// </summary>
    public long LastLogSequence() => Long("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '_sync_log'), 0)");
}
