namespace EGovEdge.Testing;

/// <summary>A township as the hub is configured with it: code, key, display name.</summary>
public sealed record Township(string Code, string Key, string Name);

/// <summary>
/// The county hub: <c>--EGov:Townships:&lt;code&gt;:Key=… --EGov:Townships:&lt;code&gt;:Name=…</c>, on SQLite (DataDir/hub.db) or on a
/// PostgreSQL database of its own (<see cref="HubProvider.Postgres"/>: created on construction from EGOV_TEST_PG, dropped on dispose).
/// </summary>
public sealed class HubNode : NodeProcess
{
    public HubNode(string dataDir, IReadOnlyList<Township> townships, AppBinary? binary = null, int? port = null, IEnumerable<string>? extraArgs = null,
        string? adminPassword = null, HubProvider provider = HubProvider.Sqlite)
        : this(dataDir, townships, binary, port, extraArgs, adminPassword, provider, provider == HubProvider.Postgres ? TestPostgres.CreateDatabase() : null)
    {
    }

    private HubNode(string dataDir, IReadOnlyList<Township> townships, AppBinary? binary, int? port, IEnumerable<string>? extraArgs,
        string? adminPassword, HubProvider provider, (string Name, string ConnectionString)? database)
        : base("hub", binary ?? AppBinaries.Hub(), dataDir, Args(townships, extraArgs, adminPassword ?? County.AdminPassword, database), port,
            credentials: (County.AdminUser, adminPassword ?? County.AdminPassword))
    {
        Townships = townships;
        Provider = provider;
        DatabaseName = database?.Name;
        ConnectionString = database?.ConnectionString;
    }

    public IReadOnlyList<Township> Townships { get; }

    public HubProvider Provider { get; }

    /// <summary>PostgreSQL: the hub's own database (h_&lt;guid&gt;); null on SQLite.</summary>
    public string? DatabaseName { get; }

    /// <summary>PostgreSQL: the Npgsql connection string the hub runs with; null on SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>DataDir/hub.db (SQLite only).</summary>
    public string DatabasePath => Path.Combine(DataDir, "hub.db");

    /// <summary>Where the hub keeps its rows, for log lines.</summary>
    public string DatabaseDescription => Provider == HubProvider.Postgres ? $"PostgreSQL database {DatabaseName}" : DatabasePath;

    /// <summary>Queries (and, for tamper tests, direct writes) on the hub's database, whichever engine it runs on.</summary>
    public DbProbe Db => Provider == HubProvider.Postgres ? new PostgresProbe(ConnectionString!) : new SqliteProbe(DatabasePath);

    protected override void OnDisposed()
    {
        if (DatabaseName is null || System.Environment.GetEnvironmentVariable("EGOV_KEEP_TEST_DIRS") == "1") return;
        TestPostgres.DropDatabase(DatabaseName);
    }

    private static IEnumerable<string> Args(IReadOnlyList<Township> townships, IEnumerable<string>? extra, string adminPassword,
        (string Name, string ConnectionString)? database)
    {
        ArgumentNullException.ThrowIfNull(townships);
        yield return "--EGov:Admin:Password=" + adminPassword;
        if (database is { } db)
        {
            yield return "--EGov:Database:Provider=postgres";
            yield return "--EGov:Database:ConnectionString=" + db.ConnectionString;
        }
        foreach (var t in townships)
        {
            yield return $"--EGov:Townships:{t.Code}:Key={t.Key}";
            yield return $"--EGov:Townships:{t.Code}:Name={t.Name}";
        }
        foreach (var a in extra ?? []) yield return a;
    }
}

/// <summary>A township edge: <c>--EGov:NodeId --EGov:HubUrl --EGov:HubKey --EGov:SyncIntervalSeconds</c>.</summary>
public sealed class EdgeNode : NodeProcess
{
    /// <param name="hubKey">Null leaves --EGov:HubKey out entirely (the "missing key" case).</param>
    public EdgeNode(string dataDir, string nodeId, string hubUrl, string? hubKey, int syncIntervalSeconds = 1,
        AppBinary? binary = null, int? port = null, IEnumerable<string>? extraArgs = null, string? name = null, string? adminPassword = null)
        : base(name ?? nodeId, binary ?? AppBinaries.Edge(), dataDir,
            Args(nodeId, hubUrl, hubKey, syncIntervalSeconds, extraArgs, adminPassword ?? County.AdminPassword), port,
            credentials: (County.AdminUser, adminPassword ?? County.AdminPassword))
    {
        NodeId = nodeId;
        HubUrl = hubUrl;
    }

    public string NodeId { get; }

    public string HubUrl { get; }

    /// <summary>DataDir/edge.db.</summary>
    public string DatabasePath => Path.Combine(DataDir, "edge.db");

    public SqliteProbe Db => new(DatabasePath);

    private static IEnumerable<string> Args(string nodeId, string hubUrl, string? hubKey, int interval, IEnumerable<string>? extra, string adminPassword)
    {
        yield return "--EGov:Admin:Password=" + adminPassword;
        yield return "--EGov:NodeId=" + nodeId;
        yield return "--EGov:HubUrl=" + hubUrl;
        if (hubKey is not null) yield return "--EGov:HubKey=" + hubKey;
        yield return "--EGov:SyncIntervalSeconds=" + interval.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var a in extra ?? []) yield return a;
    }
}
