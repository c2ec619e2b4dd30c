using System.Text.Json;
using System.Text.Json.Serialization;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.PortalContent;

/// <summary>
/// /api/portal: staff read the content on any node and edit it at the hub (clerks, leaders, admins); 403 with the
/// reason at a township. The public reads the portal pages, not this API.
/// </summary>
public static class PortalApi
{
    public static IEndpointRouteBuilder MapPortalContentApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/portal").WithTags("Portal").RequireAuthorization(Policies.Staff);

        g.MapGet("/services", (PortalContentService portal, string? q, string? category) => Results.Ok(portal.Services(q, category)))
            .WithName("ListPortalServices").WithSummary("Service catalogue (办事指南), optionally searched and filtered by category")
            .Produces<IReadOnlyList<PortalServiceDto>>();
        g.MapGet("/services/{id}", (string id, PortalContentService portal, IStringLocalizer<PortalText> text) =>
            portal.GetService(id) is { } s ? Results.Ok(s) : NotFound(text))
            .WithName("GetPortalService").WithSummary("One service").Produces<PortalServiceDto>().ProducesProblem(404);
        g.MapPost("/services", async (HttpRequest req, PortalContentService portal, IStringLocalizer<PortalText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(req, PortalJsonContext.Default.PortalServiceInput, text["Val_BadJson"]);
            return error ?? ApiResults.Guard(() =>
            {
                var s = portal.SaveService(null, input!, User(req));
                return Results.Created($"/api/portal/services/{s.Id}", s);
            });
        }).RequireAuthorization(Policies.DocumentsWrite).WithName("CreatePortalService").WithSummary("Add a service to the catalogue (hub)")
            .Accepts<PortalServiceInput>("application/json").Produces<PortalServiceDto>(201).ProducesValidationProblem().ProducesProblem(403);
        g.MapPut("/services/{id}", async (string id, HttpRequest req, PortalContentService portal, IStringLocalizer<PortalText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(req, PortalJsonContext.Default.PortalServiceInput, text["Val_BadJson"]);
            return error ?? ApiResults.Guard(() => Results.Ok(portal.SaveService(id, input!, User(req))));
        }).RequireAuthorization(Policies.DocumentsWrite).WithName("UpdatePortalService").WithSummary("Change a service (hub)")
            .Accepts<PortalServiceInput>("application/json").Produces<PortalServiceDto>().ProducesValidationProblem().ProducesProblem(403);
        g.MapDelete("/services/{id}", (string id, PortalContentService portal, IStringLocalizer<PortalText> text) =>
            ApiResults.Guard(() => portal.DeleteService(id) ? Results.NoContent() : NotFound(text)))
            .RequireAuthorization(Policies.DocumentsWrite).WithName("DeletePortalService").WithSummary("Withdraw a service from the catalogue (hub)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/notices", (PortalContentService portal) => Results.Ok(portal.Notices(200)))
            .WithName("ListPortalNotices").WithSummary("Public notices, newest first").Produces<IReadOnlyList<PortalNoticeDto>>();
        g.MapPost("/notices", async (HttpRequest req, PortalContentService portal, IStringLocalizer<PortalText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(req, PortalJsonContext.Default.PortalNoticeInput, text["Val_BadJson"]);
            return error ?? ApiResults.Guard(() =>
            {
                var n = portal.SaveNotice(null, input!, User(req));
                return Results.Created($"/api/portal/notices/{n.Id}", n);
            });
        }).RequireAuthorization(Policies.DocumentsWrite).WithName("PublishPortalNotice").WithSummary("Publish a public notice (hub)")
            .Accepts<PortalNoticeInput>("application/json").Produces<PortalNoticeDto>(201).ProducesValidationProblem().ProducesProblem(403);
        g.MapDelete("/notices/{id}", (string id, PortalContentService portal, IStringLocalizer<PortalText> text) =>
            ApiResults.Guard(() => portal.WithdrawNotice(id) ? Results.NoContent() : NotFound(text)))
            .RequireAuthorization(Policies.DocumentsWrite).WithName("WithdrawPortalNotice").WithSummary("Withdraw a public notice (hub)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/projects", (PortalContentService portal) => Results.Ok(portal.Projects()))
            .WithName("ListPortalProjects").WithSummary("Investment projects (招商引资)").Produces<IReadOnlyList<PortalProjectDto>>();
        g.MapPost("/projects", async (HttpRequest req, PortalContentService portal, IStringLocalizer<PortalText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(req, PortalJsonContext.Default.PortalProjectInput, text["Val_BadJson"]);
            return error ?? ApiResults.Guard(() => Results.Created("/api/portal/projects", portal.SaveProject(null, input!, User(req))));
        }).RequireAuthorization(Policies.DocumentsWrite).WithName("CreatePortalProject").WithSummary("Publish an investment project (hub)")
            .Accepts<PortalProjectInput>("application/json").Produces<PortalProjectDto>(201).ProducesValidationProblem().ProducesProblem(403);

        g.MapGet("/consultations", (PortalContentService portal) => Results.Ok(portal.Consultations()))
            .WithName("ListConsultations").WithSummary("Consultations (民意征集) with opinion counts").Produces<IReadOnlyList<ConsultationDto>>();
        g.MapPost("/consultations", async (HttpRequest req, PortalContentService portal, IStringLocalizer<PortalText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(req, PortalJsonContext.Default.ConsultationInput, text["Val_BadJson"]);
            return error ?? ApiResults.Guard(() => Results.Created("/api/portal/consultations", portal.SaveConsultation(null, input!, User(req))));
        }).RequireAuthorization(Policies.DocumentsWrite).WithName("CreateConsultation").WithSummary("Open a consultation (hub; dates yyyy-MM-dd, China time, inclusive)")
            .Accepts<ConsultationInput>("application/json").Produces<ConsultationDto>(201).ProducesValidationProblem().ProducesProblem(403);
        g.MapPost("/consultations/{id}/summary", async (string id, HttpRequest req, PortalContentService portal, IStringLocalizer<PortalText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(req, PortalJsonContext.Default.ConsultationSummaryInput, text["Val_BadJson"]);
            return error ?? ApiResults.Guard(() => Results.Ok(portal.PublishSummary(id, input!.Summary)));
        }).RequireAuthorization(Policies.DocumentsWrite).WithName("PublishConsultationSummary").WithSummary("Publish the summary of residents' opinions (hub)")
            .Accepts<ConsultationSummaryInput>("application/json").Produces<ConsultationDto>().ProducesValidationProblem().ProducesProblem(403);
        g.MapGet("/consultations/{id}/opinions", (string id, PortalContentService portal, IStringLocalizer<PortalText> text) =>
            portal.GetConsultation(id) is null ? NotFound(text) : Results.Ok(portal.Opinions(id)))
            .RequireAuthorization(Policies.DocumentsWrite).WithName("ListOpinions").WithSummary("Residents' opinions on a consultation (staff)")
            .Produces<IReadOnlyList<OpinionDto>>().ProducesProblem(404);
        return app;
    }

    private static string User(HttpRequest req) => req.HttpContext.User.Identity?.Name ?? "";

    private static IResult NotFound(IStringLocalizer<PortalText> text) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Val_NotFound"]);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PortalServiceDto))]
[JsonSerializable(typeof(IReadOnlyList<PortalServiceDto>))]
[JsonSerializable(typeof(PortalServiceInput))]
[JsonSerializable(typeof(PortalNoticeDto))]
[JsonSerializable(typeof(IReadOnlyList<PortalNoticeDto>))]
[JsonSerializable(typeof(PortalNoticeInput))]
[JsonSerializable(typeof(PortalProjectDto))]
[JsonSerializable(typeof(IReadOnlyList<PortalProjectDto>))]
[JsonSerializable(typeof(PortalProjectInput))]
[JsonSerializable(typeof(ConsultationDto))]
[JsonSerializable(typeof(IReadOnlyList<ConsultationDto>))]
[JsonSerializable(typeof(ConsultationInput))]
[JsonSerializable(typeof(ConsultationSummaryInput))]
[JsonSerializable(typeof(IReadOnlyList<OpinionDto>))]
public sealed partial class PortalJsonContext : JsonSerializerContext;
