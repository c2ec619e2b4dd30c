using EGovEdge.Hub.Configuration;
using EGovEdge.Sync.Hub;

namespace EGovEdge.Hub.Sync;

/// <summary>Chooses the hub's database engine from EGov:Database.</summary>
public static class HubDatabases
{
    public static IHubDatabase Create(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Database.Provider switch
        {
            "sqlite" => new SqliteHubDatabase(Path.Combine(options.DataDir, "hub.db")),
            "postgres" => new PostgresHubDatabase(options.Database.ConnectionString!),
            _ => throw new NotSupportedException($"Database provider '{options.Database.Provider}' is not supported."),
        };
    }
}
