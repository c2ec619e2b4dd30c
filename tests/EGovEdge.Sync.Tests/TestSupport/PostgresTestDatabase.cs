using EGovEdge.Sync.Storage;
using Npgsql;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>
/// A fresh PostgreSQL database for one test, created on the server named by EGOV_TEST_PG (tests/run.sh starts a
/// throwaway cluster and sets it) and dropped again on dispose. Without EGOV_TEST_PG the test fails: it never skips.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    public const string Variable = "EGOV_TEST_PG";

    public PostgresTestDatabase()
    {
        var admin = AdminConnectionString();
        Name = "t_" + Guid.NewGuid().ToString("N");
        using (var conn = new NpgsqlConnection(admin))
        {
            conn.Open();
            // template0 + C collation: the same byte order as SQLite whatever the cluster's locale.
            conn.Exec($"CREATE DATABASE {Name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name }.ConnectionString;
    }

    /// <summary>Database name, t_ and 32 hex digits.</summary>
    public string Name { get; }

    /// <summary>Connection string of the new database (the admin string with Database replaced).</summary>
    public string ConnectionString { get; }

    public static string AdminConnectionString()
    {
        var cs = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL hub tests cannot run: set EGOV_TEST_PG or run tests/run.sh " +
                "(an Npgsql connection string to a server where the tests may create databases, e.g. " +
                "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres).");
        }
        return cs;
    }

    public void Dispose()
    {
        using var conn = new NpgsqlConnection(AdminConnectionString());
        conn.Open();
        conn.Exec($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
