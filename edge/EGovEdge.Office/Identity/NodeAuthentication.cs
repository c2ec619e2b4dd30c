using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Identity;

/// <summary>
/// Cookie login for the UI, bearer tokens for /api (ASP.NET Core's own bearer-token handler; tokens are protected
/// with this node's data-protection keys under DataDir/keys), role policies, and rate limits on sign-in.
/// </summary>
public static class NodeAuthentication
{
    public const string Scheme = "egov";
    public const string AuthRateLimit = "auth";

    /// <summary>Anonymous portal and Open311 submissions: 10 posts per 10 minutes per address (reads are not limited).</summary>
    public const string PortalRateLimit = "portal";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(8);

    public static IServiceCollection AddNodeAuthentication(this IServiceCollection services, string nodeId, string dataDir)
    {
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")))
            .SetApplicationName("EGovEdge:" + nodeId);
        services.AddSingleton<UserService>();
        services.AddScoped<IAuthorizationHandler, ActiveUserHandler>();
        services.AddAntiforgery(o => o.Cookie.Name = ".EGov.Antiforgery." + nodeId);

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "cookie or bearer", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = ".EGov.Auth." + nodeId;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(o => o.BearerTokenExpiration = TokenLifetime);

        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(Staff().Build())
            .AddPolicy(Policies.Staff, Staff().Build())
            .AddPolicy(Policies.DocumentsWrite, Staff().RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin).Build())
            .AddPolicy(Policies.SyncOperate, Staff().RequireRole(Roles.Technician, Roles.Admin, Roles.Clerk).Build())
            .AddPolicy(Policies.Supervise, Staff().RequireRole(Roles.Supervisor, Roles.Technician, Roles.Admin).Build())
            .AddPolicy(Policies.Administer, Staff().RequireRole(Roles.Admin).Build())
            .AddPolicy(Policies.SignOff, Staff().RequireRole(Roles.Leader, Roles.Admin).Build())
            .AddPolicy(Policies.SealUse, Staff().RequireRole(Roles.Clerk, Roles.SealAdmin, Roles.Admin).Build())
            .AddPolicy(Policies.SealManage, Staff().RequireRole(Roles.SealAdmin, Roles.Admin).Build())
            .AddPolicy(Policies.Dispatch, Staff().RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin).Build())
            .AddPolicy(Policies.Drive, Staff().RequireRole(Roles.Driver, Roles.Admin).Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, AuditCircuitHandler>();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(PortalRateLimit, ctx => HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(10), QueueLimit = 0 }));
        });
        return services;
    }

    private static AuthorizationPolicyBuilder Staff() =>
        new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().AddRequirements(new ActiveUserRequirement());

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
