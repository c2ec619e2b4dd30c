namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>The database engine under the county hub in a scenario test.</summary>
public enum HubProvider
{
    /// <summary><see cref="EGovEdge.Sync.Hub.SqliteHubDatabase"/> on a temporary file.</summary>
    Sqlite,

    /// <summary><see cref="EGovEdge.Sync.Hub.PostgresHubDatabase"/> on a fresh database of the server in EGOV_TEST_PG.</summary>
    Postgres,
}
