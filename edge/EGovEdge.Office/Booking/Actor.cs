using System.Security.Claims;
using EGovEdge.Office.Identity;

namespace EGovEdge.Office.Booking;

/// <summary>The staff member acting: username, display name and unit (township code or "hub").</summary>
public sealed record Actor(string Username, string DisplayName, string Unit)
{
    public static Actor From(ClaimsPrincipal user, string node)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity?.Name ?? "";
        return new Actor(name, user.DisplayNameOf(), user.FindFirstValue(StaffClaims.Unit) ?? node);
    }
}
