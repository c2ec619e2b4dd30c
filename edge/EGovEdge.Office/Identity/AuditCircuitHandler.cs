using EGovEdge.Sync.Audit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace EGovEdge.Office.Identity;

/// <summary>Makes the signed-in user the audit actor for everything a Blazor circuit does on their behalf.</summary>
public sealed class AuditCircuitHandler(AuthenticationStateProvider auth) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await auth.GetAuthenticationStateAsync();
            using (AuditActor.Use(state.User.Identity?.IsAuthenticated == true ? state.User.Identity.Name : null))
            {
                await next(context);
            }
        };
}
