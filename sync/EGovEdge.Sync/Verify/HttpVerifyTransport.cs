using EGovEdge.Sync.Transport;

namespace EGovEdge.Sync.Verify;

/// <summary>How an edge asks the hub a verify question.</summary>
public interface IVerifyTransport
{
    Task<TransportResult<VerifyResponse>> VerifyAsync(VerifyRequest request, string correlationId, CancellationToken ct);
}

/// <summary>
/// POST /api/sync/verify with the township's key, like push and pull: gzip body, br/gzip answer, bytes counted as they
/// cross the wire. Refusals (401/403/400/426) become <see cref="SyncRefusedException"/>; other failures
/// <see cref="HttpRequestException"/>.
/// </summary>
public sealed class HttpVerifyTransport(HttpClient http, Func<SyncCredentials> credentials) : IVerifyTransport
{
    public const string Path = "/api/sync/verify";

    public Task<TransportResult<VerifyResponse>> VerifyAsync(VerifyRequest request, string correlationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SyncHttp.SendAsync(http, credentials(), Path, request, VerifyJsonContext.Default.VerifyRequest,
            VerifyJsonContext.Default.VerifyResponse, request.SchemaVersion, correlationId, ct,
            code => code == 404 ? "the hub does not offer verify (404): upgrade the hub" : null);
    }
}
