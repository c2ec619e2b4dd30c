using System.Security.Claims;
using EGovEdge.Office.Identity;

namespace EGovEdge.Office.Workflow;

/// <summary>Who records a workflow step: username, display name (签发人 name) and roles.</summary>
public sealed record WorkflowActor(string Username, string DisplayName, IReadOnlyCollection<string> Roles)
{
    /// <summary>Used for steps recorded without a signed-in person (never allowed a role-checked action).</summary>
    public static readonly WorkflowActor System = new("system", "system", []);

    public static WorkflowActor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var name = user.Identity?.Name ?? "";
        return new WorkflowActor(name, user.DisplayNameOf() is { Length: > 0 } d ? d : name, roles);
    }

    public bool HasAny(IEnumerable<string> roles) => roles.Any(Roles.Contains);
}
