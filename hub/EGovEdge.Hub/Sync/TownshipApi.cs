using EGovEdge.Hub.Configuration;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using Microsoft.Extensions.Options;

namespace EGovEdge.Hub.Sync;

/// <summary>Township enrollment: create a township and its one-time code, re-issue a code (rotation), revoke; and the edge's exchange.</summary>
public static class TownshipApi
{
    public static IEndpointRouteBuilder MapTownshipApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/townships").WithTags("Townships").RequireAuthorization(Policies.Administer);
        admin.MapGet("/", (TownshipDirectory directory) => Results.Ok(directory.All().Select(t => new { code = t.Key, name = t.Value })));
        admin.MapPost("/", async (HttpRequest request, TownshipDirectory directory, EnrollmentService enrollment) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, HubJsonContext.Default.TownshipInput, "The request body is not valid JSON");
            if (error is not null) return error;
            if (body!.Code is not { } code || !NodeIds.IsValid(code) || code == NodeIds.Hub || string.IsNullOrWhiteSpace(body.Name))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["a township needs a code (lower-case letters, digits, '-', '_') and a name"] });
            }
            directory.Publish(code, body.Name.Trim());
            var (enrollmentCode, expires) = enrollment.IssueCode(code);
            return Results.Created($"/api/townships/{code}", new EnrollmentDto(code, body.Name.Trim(), enrollmentCode, expires));
        });
        admin.MapPost("/{code}/enrollment", (string code, TownshipDirectory directory, EnrollmentService enrollment) =>
        {
            if (!directory.All().TryGetValue(code, out var name)) return Results.Problem(statusCode: 404, title: "No such township");
            var (enrollmentCode, expires) = enrollment.IssueCode(code);
            return Results.Ok(new EnrollmentDto(code, name, enrollmentCode, expires));
        });
        admin.MapPost("/{code}/revoke", (string code, TownshipDirectory directory, EnrollmentService enrollment, HttpContext http) =>
        {
            if (!directory.All().ContainsKey(code)) return Results.Problem(statusCode: 404, title: "No such township");
            enrollment.Revoke(code, $"revoked by {http.User.Identity?.Name}");
            return Results.NoContent();
        });

        app.MapPost("/api/sync/enroll", async (HttpRequest request, EnrollmentService enrollment) =>
            {
                var (body, error) = await JsonBody.ReadAsync(request, HubJsonContext.Default.EnrollRequest, "The request body is not valid JSON");
                if (error is not null) return error;
                var key = body!.NodeId is { } node && body.EnrollmentCode is { } code && NodeIds.IsValid(node) ? enrollment.Enroll(node, code) : null;
                return key is null
                    ? Results.Problem(statusCode: 401, title: "Enrollment refused", detail: "the enrollment code is unknown, expired, already used or for another township")
                    : Results.Ok(new EnrollResponse(key));
            })
            .AllowAnonymous()
            .RequireRateLimiting(NodeAuthentication.AuthRateLimit)
            .WithTags("Sync");
        return app;
    }
}
