using System.Security.Claims;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Supervision;

/// <summary>/api/supervision: the report (JSON and CSV) for supervisors, and the inspection records.</summary>
public static class SupervisionApi
{
    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/supervision").WithTags("Supervision");

        group.MapGet("/report", (SupervisionStats stats, TimeProvider time, string? from, string? to) =>
            Period(stats, time, from, to, out var period, out var error) ? Results.Ok(stats.Compute(period)) : error!)
            .RequireAuthorization(Policies.Supervise)
            .WithName("SupervisionReport")
            .WithSummary("Figures per unit for the China days from..to (yyyy-MM-dd, default this month): documents, sign-off times, overdue, reminders, usage, savings, sync health")
            .Produces<SupervisionReport>().ProducesProblem(400);

        group.MapGet("/report.csv", (SupervisionStats stats, TimeProvider time, IStringLocalizer<SupervisionText> text, string? from, string? to) =>
        {
            if (!Period(stats, time, from, to, out var period, out var error)) return error!;
            var report = stats.Compute(period);
            return Results.File(SupervisionCsv.Write(report, text), "text/csv; charset=utf-8",
                $"supervision-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.csv");
        })
            .RequireAuthorization(Policies.Supervise)
            .WithName("SupervisionReportCsv")
            .WithSummary("The same report as CSV (UTF-8 with BOM, for Excel)")
            .Produces(200, contentType: "text/csv").ProducesProblem(400);

        group.MapGet("/inspections", (InspectionService inspections, ClaimsPrincipal user) =>
            Results.Ok(inspections.List(user.FindFirst(StaffClaims.Unit)?.Value, IsSupervisor(user))))
            .RequireAuthorization(Policies.Staff)
            .WithName("ListInspections")
            .WithSummary("Inspection records with their rectification replies: all of them for supervisors, else those of the caller's unit")
            .Produces<IReadOnlyList<InspectionDto>>();

        group.MapPost("/inspections", async (HttpRequest request, InspectionService inspections, ClaimsPrincipal user) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, SupervisionJsonContext.Default.InspectionInput, "The request body is not valid JSON");
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var dto = inspections.Add(input!, user.Identity?.Name ?? "");
                return Results.Created($"/api/supervision/inspections/{dto.Id}", dto);
            });
        })
            .RequireAuthorization(Policies.Supervise)
            .WithName("AddInspection")
            .WithSummary("Records an inspection (county hub only)")
            .Produces<InspectionDto>(201).ProducesValidationProblem().ProducesProblem(403);

        group.MapPost("/inspections/{id}/follow-up", async (string id, HttpRequest request, InspectionService inspections) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, SupervisionJsonContext.Default.FollowUpInput, "The request body is not valid JSON");
            if (error is not null) return error;
            return ApiResults.Guard(() => Found(() => Results.Ok(inspections.FollowUp(id, input!))));
        })
            .RequireAuthorization(Policies.Supervise)
            .WithName("InspectionFollowUp")
            .WithSummary("Sets the follow-up status (open, rectifying, closed) and note of an inspection (county hub only)")
            .Produces<InspectionDto>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        group.MapPost("/inspections/{id}/replies", async (string id, HttpRequest request, InspectionService inspections, ClaimsPrincipal user) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, SupervisionJsonContext.Default.ReplyInput, "The request body is not valid JSON");
            if (error is not null) return error;
            return ApiResults.Guard(() => Found(() => Results.Ok(inspections.Reply(id, input!.Reply, user.Identity?.Name ?? ""))));
        })
            .RequireAuthorization(Policies.DocumentsWrite)
            .WithName("InspectionReply")
            .WithSummary("Appends a rectification reply of the inspected unit, at its own node")
            .Produces<RectificationDto>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    /// <summary>Roles of <see cref="Policies.Supervise"/>.</summary>
    public static bool IsSupervisor(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Technician) || user.IsInRole(Roles.Admin);
    }

    private static bool Period(SupervisionStats stats, TimeProvider time, string? from, string? to, out SupervisionPeriod period, out IResult? error)
    {
        var parsed = SupervisionPeriod.TryParse(from, to, SupervisionPeriod.Today(time), stats.Options.MaxPeriodDays, out var message);
        period = parsed ?? default;
        error = parsed is null ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad period", detail: message) : null;
        return parsed is not null;
    }

    private static IResult Found(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KeyNotFoundException)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such inspection");
        }
    }
}
