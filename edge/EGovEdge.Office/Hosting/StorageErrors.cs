using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Office.Hosting;

/// <summary>Recognises storage failures a user can act on (disk full, database busy); the write has rolled back.</summary>
public static class StorageErrors
{
    private const int SqliteFull = 13;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const string PostgresDiskFull = "53100";

    /// <summary>The HTTP status and the resource key of the message, or null when the exception is something else.</summary>
    public static (int Status, string MessageKey)? Classify(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteFull } => (StatusCodes.Status507InsufficientStorage, "Storage_Full"),
        Npgsql.PostgresException { SqlState: PostgresDiskFull } => (StatusCodes.Status507InsufficientStorage, "Storage_Full"),
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => (StatusCodes.Status503ServiceUnavailable, "Storage_Busy"),
        _ => null,
    };
}
