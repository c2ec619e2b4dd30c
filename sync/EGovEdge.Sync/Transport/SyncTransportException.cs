namespace EGovEdge.Sync.Transport;

/// <summary>The hub answered but refused the request (credentials, schema version, bad batch).</summary>
public sealed class SyncRefusedException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public bool IsAuthentication => StatusCode is 401 or 403;
}
