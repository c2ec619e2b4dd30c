namespace EGovEdge.Testing;

/// <summary>A township as the hub is configured with it: code, key, display name.</summary>
public sealed record Township(string Code, string Key, string Name);

/// <summary>The county hub: <c>--EGov:Townships:&lt;code&gt;:Key=… --EGov:Townships:&lt;code&gt;:Name=…</c>.</summary>
public sealed class HubNode : NodeProcess
{
    public HubNode(string dataDir, IReadOnlyList<Township> townships, AppBinary? binary = null, int? port = null, IEnumerable<string>? extraArgs = null,
        string? adminPassword = null)
        : base("hub", binary ?? AppBinaries.Hub(), dataDir, Args(townships, extraArgs, adminPassword ?? County.AdminPassword), port,
            credentials: (County.AdminUser, adminPassword ?? County.AdminPassword))
    {
        Townships = townships;
    }

    public IReadOnlyList<Township> Townships { get; }

    /// <summary>DataDir/hub.db.</summary>
    public string DatabasePath => Path.Combine(DataDir, "hub.db");

    public SqliteProbe Db => new(DatabasePath);

    private static IEnumerable<string> Args(IReadOnlyList<Township> townships, IEnumerable<string>? extra, string adminPassword)
    {
        ArgumentNullException.ThrowIfNull(townships);
        yield return "--EGov:Admin:Password=" + adminPassword;
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
