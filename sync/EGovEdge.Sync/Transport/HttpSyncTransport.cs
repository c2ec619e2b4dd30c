using EGovEdge.Sync.Protocol;

namespace EGovEdge.Sync.Transport;

/// <summary>
/// JSON over HTTP, gzip-compressed both ways (see <see cref="SyncHttp"/>). The <see cref="HttpClient"/> comes from the
/// host with its resilience pipeline (retry with jitter, timeouts, circuit breaker) already attached.
/// </summary>
public sealed class HttpSyncTransport(HttpClient http, Func<SyncCredentials> credentials) : ISyncTransport
{
    public Task<TransportResult<PushResponse>> PushAsync(PushRequest request, string correlationId, CancellationToken ct) =>
        SyncHttp.SendAsync(http, credentials(), SyncProtocol.PushPath, request, SyncJsonContext.Default.PushRequest,
            SyncJsonContext.Default.PushResponse, request.SchemaVersion, correlationId, ct);

    public Task<TransportResult<PullResponse>> PullAsync(PullRequest request, string correlationId, CancellationToken ct) =>
        SyncHttp.SendAsync(http, credentials(), SyncProtocol.PullPath, request, SyncJsonContext.Default.PullRequest,
            SyncJsonContext.Default.PullResponse, request.SchemaVersion, correlationId, ct);
}

/// <summary>Who this edge is to the hub.</summary>
public sealed record SyncCredentials(string NodeId, string? Key);
