using System.Security.Claims;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Traceability;

/// <summary>Home page: batches registered here still waiting for an inspection result (staff who register batches).</summary>
public sealed class TraceWorkSource(TraceService trace, IStringLocalizer<TraceText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(Roles.Clerk) || user.IsInRole(Roles.Leader) || user.IsInRole(Roles.Admin))
        {
            yield return new WorkItemCount("trace.uninspected", text["Work_Uninspected"], trace.Uninspected(), "/trace", MudBlazor.Icons.Material.Filled.Agriculture);
        }
    }
}
