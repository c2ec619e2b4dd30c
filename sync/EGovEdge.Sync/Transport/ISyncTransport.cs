using EGovEdge.Sync.Protocol;

namespace EGovEdge.Sync.Transport;

/// <summary>How an edge talks to its hub. One call is one batch; retries and breaking live in the implementation.</summary>
public interface ISyncTransport
{
    Task<TransportResult<PushResponse>> PushAsync(PushRequest request, string correlationId, CancellationToken ct);

    Task<TransportResult<PullResponse>> PullAsync(PullRequest request, string correlationId, CancellationToken ct);
}

/// <summary>A response with the bytes it cost on the wire.</summary>
public sealed record TransportResult<T>(T Value, long BytesUp, long BytesDown);
