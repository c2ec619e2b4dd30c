using System.Security.Claims;

namespace EGovEdge.Office.Identity;

/// <summary>Claims a signed-in staff member carries (cookie and bearer token alike).</summary>
public static class StaffClaims
{
    public const string Unit = "egov:unit";
    public const string DisplayName = "egov:display_name";
    public const string Stamp = "egov:stamp";

    public static ClaimsPrincipal Principal(StaffUser user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.Username),
            new(DisplayName, user.DisplayName),
            new(Unit, user.Unit),
            new(Stamp, user.SecurityStamp),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string? UserId(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string DisplayNameOf(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(DisplayName) ?? principal.Identity?.Name ?? "";
}
