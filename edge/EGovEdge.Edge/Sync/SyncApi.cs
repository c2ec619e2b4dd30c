using EGovEdge.Office.Identity;
using EGovEdge.Sync.Agent;

namespace EGovEdge.Edge.Sync;

public static class SyncApi
{
    public static IEndpointRouteBuilder MapEdgeSyncApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sync").WithTags("Sync").RequireAuthorization(Policies.Staff);
        group.MapGet("/status", (SyncStatusService status) => Results.Ok(status.Current()));
        group.MapPost("/run", async (EdgeSyncAgent agent, EdgeCredentials credentials, CancellationToken ct) =>
        {
            await credentials.EnsureEnrolledAsync(ct);
            var r = await agent.RunOnceAsync(ct);
            return r.Outcome switch
            {
                SyncOutcome.Ok => Results.Ok(new SyncRunDto(r.Pushed, r.Pulled, r.Conflicts, r.DurationMs, r.Rejected, r.CorrelationId)),
                SyncOutcome.Unreachable => Results.Problem(statusCode: 503, title: "The county hub cannot be reached; this node keeps working offline.", detail: r.Error),
                SyncOutcome.Refused => Results.Problem(statusCode: 502, title: "The county hub refused the sync.", detail: r.Error),
                _ => Results.Problem(statusCode: 500, title: "Sync failed on this node.", detail: r.Error),
            };
        }).RequireAuthorization(Policies.SyncOperate);
        return app;
    }
}
