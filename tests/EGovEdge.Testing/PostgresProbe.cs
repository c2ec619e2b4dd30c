using System.Data.Common;
using Npgsql;

namespace EGovEdge.Testing;

/// <summary>A look into a hub's PostgreSQL database while the hub runs. Unpooled: nothing stays connected after a query.</summary>
public sealed class PostgresProbe(string connectionString) : DbProbe
{
    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString();

    public override string Provider => "postgres";

    protected override string TableCountSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @t";

    protected override DbConnection Open(bool write)
    {
        var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        if (!write)
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY";
            cmd.ExecuteNonQuery();
        }
        return conn;
    }
}
