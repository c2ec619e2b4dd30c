using System.Text.Json.Serialization;
using EGovEdge.Office.Api;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Identity;

/// <summary>POST /api/auth/token, /api/auth/password, /api/users (hub) and the login/logout form endpoints.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (HttpRequest request, UserService users, IOptionsMonitor<BearerTokenOptions> bearer,
                TimeProvider time, IStringLocalizer<Text> text) =>
            {
                var (body, error) = await JsonBody.ReadAsync(request, OfficeJsonContext.Default.TokenRequest, text["Val_BadJson"]);
                if (error is not null) return error;
                var (result, user) = users.Login(body!.Username, body.Password);
                if (result != LoginResult.Success) return LoginProblem(result, text);
                var expires = time.GetUtcNow().Add(NodeAuthentication.TokenLifetime);
                var ticket = new AuthenticationTicket(
                    StaffClaims.Principal(user!, BearerTokenDefaults.AuthenticationScheme),
                    new AuthenticationProperties { ExpiresUtc = expires },
                    BearerTokenDefaults.AuthenticationScheme);
                var token = bearer.Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenProtector.Protect(ticket);
                return Results.Ok(new TokenResponse(token, expires));
            })
            .AllowAnonymous()
            .RequireRateLimiting(NodeAuthentication.AuthRateLimit);

        app.MapPost("/api/auth/password", async (HttpRequest request, HttpContext http, UserService users, IStringLocalizer<Text> text) =>
            {
                var (body, error) = await JsonBody.ReadAsync(request, OfficeJsonContext.Default.PasswordChange, text["Val_BadJson"]);
                if (error is not null) return error;
                var user = users.FindById(http.User.UserId()!);
                if (user is null) return Results.Problem(statusCode: 401);
                return ApiResults.Guard(() =>
                {
                    users.ChangePassword(user, body!.CurrentPassword, body.NewPassword);
                    return Results.NoContent();
                });
            })
            .RequireAuthorization(Policies.Staff);

        app.MapPost("/account/login", async ([FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl,
                HttpContext http, UserService users) =>
            {
                var back = SafeLocal(returnUrl);
                var (result, user) = users.Login(username, password);
                if (result != LoginResult.Success)
                {
                    return Results.LocalRedirect($"/login?error={result.ToString().ToLowerInvariant()}&returnUrl={Uri.EscapeDataString(back)}");
                }
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                    StaffClaims.Principal(user!, CookieAuthenticationDefaults.AuthenticationScheme));
                return Results.LocalRedirect(back);
            })
            .AllowAnonymous()
            .RequireRateLimiting(NodeAuthentication.AuthRateLimit);

        app.MapPost("/account/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        });
        return app;
    }

    public static IResult LoginProblem(LoginResult result, IStringLocalizer<Text> text) => result switch
    {
        LoginResult.LockedOut => Results.Problem(statusCode: StatusCodes.Status423Locked, title: text["Login_LockedOut"]),
        LoginResult.Disabled => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Login_Disabled"]),
        _ => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: text["Login_Bad"]),
    };

    public static string SafeLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\') ? url : "/";

}

public sealed class TokenRequest
{
    public string? Username { get; set; }
    public string? Password { get; set; }
}

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresUtc);

public sealed class PasswordChange
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
}
