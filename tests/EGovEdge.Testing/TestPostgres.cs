using System.Globalization;
using Npgsql;

namespace EGovEdge.Testing;

/// <summary>Where a test hub keeps its data: the SQLite file DataDir/hub.db (the default) or a PostgreSQL database of its own.</summary>
public enum HubProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The PostgreSQL server the tests may use, from EGOV_TEST_PG (an Npgsql connection string to a database on a server
/// where the tests may CREATE DATABASE; tests/run.sh starts a throwaway cluster and exports it). Each PostgreSQL hub
/// gets a fresh database <c>h_&lt;guid&gt;</c>, dropped WITH (FORCE) when the hub is disposed.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "EGOV_TEST_PG";

    /// <summary>EGOV_TEST_PG, or an exception saying how to get one: the PostgreSQL variants fail without it, they never skip.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{Variable} is not set, so this PostgreSQL-hub test cannot run (it fails rather than skips). Set {Variable} to an Npgsql " +
                "connection string of a PostgreSQL server where the tests may CREATE DATABASE, e.g. " +
                $"{Variable}=\"Host=127.0.0.1;Port=54329;Username=postgres;Database=egov_test\"; tests/run.sh starts a throwaway " +
                "cluster and sets it (recipe: TOOLCHAIN.md §5).");

    /// <summary>Creates an empty database and returns its name and a connection string to it.</summary>
    public static (string Name, string ConnectionString) CreateDatabase()
    {
        var server = ServerConnectionString;
        var name = "h_" + Guid.NewGuid().ToString("N");
        try
        {
            using var conn = new NpgsqlConnection(Unpooled(server));
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE {name}";
            cmd.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Could not create a database for a PostgreSQL hub on {Variable}=\"{server}\": {ex.Message}. " +
                "Is the server running, and may this user CREATE DATABASE?", ex);
        }
        return (name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString());
    }

    /// <summary>DROP DATABASE IF EXISTS … WITH (FORCE): ends whatever is still connected (a killed hub's sessions).</summary>
    public static void DropDatabase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.StartsWith("h_", StringComparison.Ordinal) || !name.All(c => c is '_' or (>= 'a' and <= 'z') or (>= '0' and <= '9')))
        {
            throw new ArgumentException($"not a test database name: {name}", nameof(name));
        }
        using var conn = new NpgsqlConnection(Unpooled(ServerConnectionString));
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = string.Create(CultureInfo.InvariantCulture, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        cmd.CommandTimeout = 60;
        cmd.ExecuteNonQuery();
    }

    private static string Unpooled(string cs) => new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ToString();
}
