using System.Security.Claims;
using EGovEdge.Office.Api;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Training;

/// <summary>/api/training: sessions and sign-in, exams and timed attempts (staff), results and re-training (county-wide).</summary>
public static class TrainingApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/training").WithTags("Training").RequireAuthorization(Policies.Staff);

        g.MapGet("/sessions", (TrainingService svc, ClaimsPrincipal user) => Results.Ok(svc.Sessions(null, user.Identity?.Name ?? "")))
            .Produces<List<SessionDto>>(200).WithName("ListTrainingSessions").WithSummary("Training sessions (集中培训/跟踪培训), latest first, with attendance counts");
        g.MapPost("/sessions", async (HttpRequest request, TrainingService svc, ClaimsPrincipal user, IStringLocalizer<TrainingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TrainingJsonContext.Default.SessionInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => { var s = svc.CreateSession(input!, Actor.From(user, svc.NodeId)); return Results.Created($"/api/training/sessions/{s.Id}", s); });
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<SessionInput>("application/json").Produces<SessionDto>(201).ProducesValidationProblem()
            .WithName("CreateTrainingSession").WithSummary("Schedules a training session");
        g.MapGet("/sessions/{id}/attendance", (string id, TrainingService svc) => Results.Ok(svc.Attendance(id)))
            .Produces<List<AttendanceDto>>(200).WithName("TrainingAttendance").WithSummary("Who signed in (one entry per person)");
        g.MapPost("/sessions/{id}/signin", async (HttpRequest request, string id, TrainingService svc, ClaimsPrincipal user, IAuthorizationService auth, IStringLocalizer<TrainingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TrainingJsonContext.Default.SignInInput, text["Val_BadJson"]);
            if (error is not null) return error;
            var actor = Actor.From(user, svc.NodeId);
            var other = !string.IsNullOrWhiteSpace(input!.Username) && input.Username != actor.Username;
            if (other && !(await auth.AuthorizeAsync(user, Policies.DocumentsWrite)).Succeeded)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Val_SignInOthers"]);
            }
            return ApiResults.Guard(() => Results.Ok(svc.SignIn(id, other ? input.Username!.Trim() : actor.Username, other ? input.Unit : actor.Unit, actor)));
        }).Accepts<SignInInput>("application/json").Produces<SessionDto>(200).ProducesValidationProblem()
            .WithName("TrainingSignIn").WithSummary("Signs the caller in (organisers may sign in someone else)");

        g.MapGet("/exams", (TrainingService svc, ClaimsPrincipal user) => Results.Ok(svc.Exams(user.Identity?.Name ?? "")))
            .Produces<List<ExamDto>>(200).WithName("ListExams").WithSummary("Exams (2026-Q4 小考, 2026-H2 中考) with the caller's status");
        g.MapPost("/exams", async (HttpRequest request, TrainingService svc, ClaimsPrincipal user, IStringLocalizer<TrainingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TrainingJsonContext.Default.ExamInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => { var e = svc.CreateExam(input!, Actor.From(user, svc.NodeId)); return Results.Created($"/api/training/exams/{e.Id}", e); });
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<ExamInput>("application/json").Produces<ExamDto>(201).ProducesValidationProblem()
            .WithName("CreateExam").WithSummary("Creates an exam: questions single/multi/tf with answer keys, time limit, pass mark, results release date");
        g.MapPost("/exams/{id}/attempts", (string id, TrainingService svc, ClaimsPrincipal user) =>
            ApiResults.Guard(() => Results.Ok(svc.Start(id, Actor.From(user, svc.NodeId)))))
            .Produces<AttemptDto>(200).ProducesValidationProblem().WithName("StartExamAttempt").WithSummary("Starts (or resumes) a timed attempt; the deadline is fixed at start");
        g.MapPost("/attempts/{id}/submit", async (HttpRequest request, string id, TrainingService svc, ClaimsPrincipal user, IStringLocalizer<TrainingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TrainingJsonContext.Default.SubmitInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.Submit(id, input!, Actor.From(user, svc.NodeId))));
        }).Accepts<SubmitInput>("application/json").Produces<AttemptDto>(200).ProducesValidationProblem()
            .WithName("SubmitExamAttempt").WithSummary("Hands in answers; marked at once. Refused after deadline + 30 s (the attempt then counts as failed with 0)");

        g.MapGet("/results", (TrainingService svc, string? period) => Results.Ok(svc.Results(period)))
            .Produces<List<UnitResultDto>>(200).WithName("TrainingResults").WithSummary("Published results per unit and period: pass rate and average of best scores");
        g.MapGet("/retraining", (TrainingService svc, string? unit) => Results.Ok(svc.Retraining(unit)))
            .Produces<List<RetrainingDto>>(200).WithName("TrainingRetraining").WithSummary("People who failed a period and have not passed since (re-training flagged)");
    }
}
