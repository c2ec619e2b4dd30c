using EGovEdge.Office.Identity;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EGovEdge.Office.Api;

/// <summary>GET /api/audit/verify: checks every audit chain held here and names the first broken link.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit/verify", (ILocalStore store) => Results.Ok(AuditVerifier.Verify(store)))
            .RequireAuthorization(Policies.Supervise)
            .WithTags("Audit");
        return app;
    }
}
