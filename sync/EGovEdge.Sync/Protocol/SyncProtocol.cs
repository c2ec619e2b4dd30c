namespace EGovEdge.Sync.Protocol;

/// <summary>Paths and headers of the sync protocol.</summary>
public static class SyncProtocol
{
    public const string PushPath = "/api/sync/push";
    public const string PullPath = "/api/sync/pull";
    public const string NodeHeader = "X-EGov-Node";
    public const string SchemaHeader = "X-EGov-Schema";
    public const string CorrelationHeader = "X-Correlation-Id";
}
