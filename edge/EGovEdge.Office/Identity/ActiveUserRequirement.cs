using Microsoft.AspNetCore.Authorization;

namespace EGovEdge.Office.Identity;

/// <summary>The account still exists, is enabled, and its security stamp is unchanged since sign-in.</summary>
public sealed class ActiveUserRequirement : IAuthorizationRequirement;

public sealed class ActiveUserHandler(UserService users) : AuthorizationHandler<ActiveUserRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ActiveUserRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.User.UserId();
        var user = id is null ? null : users.FindById(id);
        if (user is not null && !user.Disabled && user.SecurityStamp == context.User.FindFirst(StaffClaims.Stamp)?.Value)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
