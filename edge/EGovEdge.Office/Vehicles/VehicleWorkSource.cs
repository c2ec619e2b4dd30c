using System.Security.Claims;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Vehicles;

/// <summary>Home page: vehicle requests to approve (dispatchers) and trips to drive (drivers).</summary>
public sealed class VehicleWorkSource(VehicleService vehicles, IStringLocalizer<VehicleText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(Roles.Clerk) || user.IsInRole(Roles.Leader) || user.IsInRole(Roles.Admin))
        {
            yield return new WorkItemCount("vehicles.approve", text["Work_ToApprove"], vehicles.AwaitingApproval().Count, "/vehicles/book", MudBlazor.Icons.Material.Filled.DirectionsCar);
        }
        if (user.IsInRole(Roles.Driver))
        {
            yield return new WorkItemCount("vehicles.drive", text["Work_ToDrive"], vehicles.TripsOf(user.Identity?.Name ?? "").Count, "/vehicles/trips",
                MudBlazor.Icons.Material.Filled.Route);
        }
    }
}
