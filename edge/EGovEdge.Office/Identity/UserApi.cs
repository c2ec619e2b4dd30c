using EGovEdge.Office.Api;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Identity;

/// <summary>/api/users: administrators manage staff accounts at the hub; changes reach the nodes they concern.</summary>
public static class UserApi
{
    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Administer);
        group.MapGet("/", (UserService users) =>
        {
            var phones = users.Phones();
            return Results.Ok(users.List().Select(u => UserDto.From(u, phones.GetValueOrDefault(u.Id))).ToList());
        });
        group.MapPost("/", async (HttpRequest request, UserService users, IStringLocalizer<Text> text) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, OfficeJsonContext.Default.UserInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var user = users.Create(body!.Username, body.DisplayName, body.Unit, body.Roles, body.Password, body.Phone);
                return Results.Created($"/api/users/{user.Id}", UserDto.From(user, users.Phones().GetValueOrDefault(user.Id)));
            });
        });
        group.MapPut("/{id}", async (string id, HttpRequest request, UserService users, IStringLocalizer<Text> text) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, OfficeJsonContext.Default.UserInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                if (body!.Password is { } password && users.FindById(id) is { } target) users.ResetPassword(target, password);
                return users.Update(id, body.Roles, body.Disabled, body.Phone) is { } u
                    ? Results.Ok(UserDto.From(u, users.Phones().GetValueOrDefault(u.Id)))
                    : Results.Problem(statusCode: 404, title: text["User_NotFound"]);
            });
        });
        return app;
    }
}

public sealed class UserInput
{
    public string? Username { get; set; }
    public string? DisplayName { get; set; }
    public string? Unit { get; set; }
    public List<string>? Roles { get; set; }
    public string? Password { get; set; }
    public bool? Disabled { get; set; }

    /// <summary>Mainland mobile number for SMS notices; "" clears it (PUT), null leaves it unchanged.</summary>
    public string? Phone { get; set; }
}

public sealed class UserDto
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public required string Unit { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
    public bool Disabled { get; init; }
    public string? Phone { get; init; }

    public static UserDto From(StaffUser u) => From(u, null);

    public static UserDto From(StaffUser u, string? phone)
    {
        ArgumentNullException.ThrowIfNull(u);
        return new()
        {
            Id = u.Id, Username = u.Username, DisplayName = u.DisplayName, Unit = u.Unit, Roles = u.Roles, Disabled = u.Disabled, Phone = phone,
        };
    }
}
