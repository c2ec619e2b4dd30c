using EGovEdge.Edge.Configuration;
using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace EGovEdge.Edge.Sync;

/// <summary>Builds the sync status shown on the badge, the status page and /api/sync/status.</summary>
public sealed class SyncStatusService(EdgeSyncAgent agent, EdgeStore store, CircuitBreakerStateProvider circuit, IOptions<EdgeOptions> options, EdgeCredentials credentials)
{
    public SyncStatusDto Current()
    {
        var s = agent.Status;
        return new SyncStatusDto
        {
            NodeId = store.NodeId,
            PendingChanges = store.PendingRowCount(),
            LastSuccessUtc = s.LastSuccessUtc,
            LastAttemptUtc = s.LastAttemptUtc,
            LastError = credentials.EnrollmentError ?? s.LastError,
            HubReachable = s.HubReachable,
            AuthFailed = s.AuthFailed,
            Circuit = circuit.CircuitState.ToString(),
            OpenConflicts = store.OpenConflictCount(),
            Rejected = store.RejectedCount(),
            HubUrl = options.Value.HubUrl,
            Running = s.Running,
        };
    }
}

/// <summary>GET /api/sync/status.</summary>
public sealed class SyncStatusDto
{
    public required string NodeId { get; init; }
    public long PendingChanges { get; init; }
    public DateTimeOffset? LastSuccessUtc { get; init; }
    public string? LastError { get; init; }
    public bool? HubReachable { get; init; }
    public bool AuthFailed { get; init; }
    public DateTimeOffset? LastAttemptUtc { get; init; }
    public required string Circuit { get; init; }
    public long OpenConflicts { get; init; }
    public long Rejected { get; init; }
    public required string HubUrl { get; init; }
    public bool Running { get; init; }
}

/// <summary>POST /api/sync/run.</summary>
public sealed record SyncRunDto(int Pushed, int Pulled, int Conflicts, long DurationMs, int Rejected, string CorrelationId);
