using System.Text.Json;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Transport;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>
/// An <see cref="ISyncTransport"/> that calls the hub in-process. Requests and responses are round-tripped through
/// <see cref="SyncJsonContext"/> so the wire format is exercised, and the network can be broken on purpose:
/// unreachable hub, a push response lost after the hub applied the batch, or a refusal with a status code.
/// </summary>
internal sealed class InProcessTransport(HubStore hub, string nodeId) : ISyncTransport
{
    /// <summary>Every call fails before reaching the hub, like a dead link.</summary>
    public bool Unreachable { get; set; }

    /// <summary>The next push is applied by the hub, then the response is lost on the way back.</summary>
    public bool LoseNextPushResponse { get; set; }

    /// <summary>When set, every call is refused with this HTTP status code.</summary>
    public int? RefuseWith { get; set; }

    /// <summary>Runs just before a pull reaches the hub (to make local writes "during" a cycle).</summary>
    public Action? BeforePull { get; set; }

    /// <summary>Push requests exactly as the hub received them (after JSON).</summary>
    public List<PushRequest> Pushes { get; } = [];

    /// <summary>Push responses as the hub produced them, including lost ones.</summary>
    public List<PushResponse> PushResponses { get; } = [];

    /// <summary>Pull responses exactly as the edge received them (after JSON).</summary>
    public List<PullResponse> Pulls { get; } = [];

    public Task<TransportResult<PushResponse>> PushAsync(PushRequest request, string correlationId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Gate();
        var up = JsonSerializer.SerializeToUtf8Bytes(request, SyncJsonContext.Default.PushRequest);
        var atHub = JsonSerializer.Deserialize(up, SyncJsonContext.Default.PushRequest)!;
        Pushes.Add(atHub);
        var response = hub.ApplyPush(nodeId, atHub);
        PushResponses.Add(response);
        if (LoseNextPushResponse)
        {
            LoseNextPushResponse = false;
            throw new HttpRequestException("the connection was reset before the response arrived (simulated)");
        }
        var down = JsonSerializer.SerializeToUtf8Bytes(response, SyncJsonContext.Default.PushResponse);
        var atEdge = JsonSerializer.Deserialize(down, SyncJsonContext.Default.PushResponse)!;
        return Task.FromResult(new TransportResult<PushResponse>(atEdge, up.Length, down.Length));
    }

    public Task<TransportResult<PullResponse>> PullAsync(PullRequest request, string correlationId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Gate();
        BeforePull?.Invoke();
        var up = JsonSerializer.SerializeToUtf8Bytes(request, SyncJsonContext.Default.PullRequest);
        var atHub = JsonSerializer.Deserialize(up, SyncJsonContext.Default.PullRequest)!;
        var response = hub.Pull(nodeId, atHub);
        var down = JsonSerializer.SerializeToUtf8Bytes(response, SyncJsonContext.Default.PullResponse);
        var atEdge = JsonSerializer.Deserialize(down, SyncJsonContext.Default.PullResponse)!;
        Pulls.Add(atEdge);
        return Task.FromResult(new TransportResult<PullResponse>(atEdge, up.Length, down.Length));
    }

    private void Gate()
    {
        if (Unreachable) throw new HttpRequestException("no route to the county hub (simulated)");
        if (RefuseWith is { } code) throw new SyncRefusedException(code, $"hub refused the request ({code}) (simulated)");
    }
}
