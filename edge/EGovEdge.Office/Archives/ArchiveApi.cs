using System.Globalization;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Archives;

/// <summary>/api/archive: filed items, what is ready to file, filing (clerks), the archival package and its 四性检测.</summary>
public static class ArchiveApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/archive").WithTags("Archives").RequireAuthorization(Policies.Staff);

        g.MapGet("/", (ArchiveService svc, IStringLocalizer<ArchiveText> text, string? year, string? retention, string? q) =>
        {
            var errors = new Dictionary<string, string[]>();
            int? y = null;
            if (!string.IsNullOrWhiteSpace(year))
            {
                if (int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1900 and <= 2999) y = parsed;
                else errors["year"] = [text["Val_Year"]];
            }
            if (!string.IsNullOrWhiteSpace(retention) && RetentionSchedule.Parse(retention) is null) errors["retention"] = [text["Val_Retention"]];
            if ((q?.Length ?? 0) > 100) errors["q"] = [text["Val_TooLong", 100]];
            return errors.Count > 0 ? Results.ValidationProblem(errors) : Results.Ok(svc.List(y, retention, q));
        }).Produces<List<ArchiveItemDto>>(200).ProducesValidationProblem()
            .WithName("ListArchiveItems").WithSummary("Filed items (件) held here, by 年度 and 档号; year (yyyy), retention (Y/D30/D10) and q (title, 档号 or 发文字号) filter");

        g.MapGet("/ready", (ArchiveService svc) => Results.Ok(svc.Ready()))
            .Produces<List<ReadyItemDto>>(200).WithName("ListArchiveReady")
            .WithSummary("待归档: 发文 dispatched (核发) by this node and 收文 replied to (答复) here, not filed yet, with the schedule's retention");

        g.MapGet("/schedule", (ArchiveService svc) => Results.Ok(svc.Schedule()))
            .Produces<ScheduleDto>(200).WithName("GetArchiveSchedule")
            .WithSummary("This node's 全宗号 and retention per document type (EGov:Archive:Retention:<文种>, else the defaults)");

        g.MapPost("/", async (HttpRequest request, ArchiveService svc, IStringLocalizer<ArchiveText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, ArchiveJsonContext.Default.FileInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.File(input!, WorkflowActor.From(request.HttpContext.User))));
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<FileInput>("application/json").Produces<List<ArchiveItemDto>>(200).ProducesValidationProblem()
            .WithName("FileArchiveItems")
            .WithSummary("归档: files the documents (all or none) with the next 档号 each; retention overrides the schedule with a reason; clerks and administrators");

        g.MapGet("/{id}", (string id, ArchiveService svc, IStringLocalizer<ArchiveText> text) => svc.Get(id) is { } item ? Results.Ok(item) : NotFound(text))
            .Produces<ArchiveItemDto>(200).ProducesProblem(404).WithName("GetArchiveItem").WithSummary("One filed item");

        g.MapGet("/{id}/package", (string id, ArchiveService svc, IStringLocalizer<ArchiveText> text) =>
                svc.Package(id) is { } p ? Results.File(p.Zip, "application/zip", p.FileName) : NotFound(text))
            .Produces(200, contentType: "application/zip").ProducesProblem(404).WithName("GetArchivePackage")
            .WithSummary("The archival package (zip): 正本.pdf, 附件, 文件处理单.json, seal.json, metadata.json, manifest.json (SM3 of each file); same bytes every time");

        g.MapGet("/{id}/check", (string id, ArchiveService svc, IStringLocalizer<ArchiveText> text) =>
            {
                try
                {
                    return Results.Ok(svc.Check(id));
                }
                catch (ArchiveNotFoundException)
                {
                    return NotFound(text);
                }
            })
            .Produces<ArchiveCheckDto>(200).ProducesProblem(404).WithName("CheckArchiveItem")
            .WithSummary("四性检测: 真实性 (seal), 完整性 (package SM3 and manifest), 可用性 (PDF, metadata), 安全性 (no 密级), with a message per failure");
    }

    private static IResult NotFound(IStringLocalizer<ArchiveText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Err_NotFound"]);
}
