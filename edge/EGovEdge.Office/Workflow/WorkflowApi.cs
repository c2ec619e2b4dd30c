using EGovEdge.Office.Api;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Workflow;

/// <summary>
/// The workflow API for phone clients: /api/documents/{id}/workflow, steps, actions, receipts, files and PDF;
/// /api/inbox (收文); /api/organs.
/// </summary>
public static class WorkflowApi
{
    public static IEndpointRouteBuilder MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        var docs = app.MapGroup("/api/documents/{id}").WithTags("Workflow").RequireAuthorization(Policies.Staff);

        docs.MapGet("/workflow", (string id, HttpContext http, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
                wf.View(id, WorkflowActor.From(http.User)) is { } view ? Results.Ok(view) : NotFound(text))
            .WithName("GetDocumentWorkflow")
            .WithSummary("The document with its state, steps, per-recipient status, files, seal check and the actions this user may take");

        docs.MapGet("/steps", (string id, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
                wf.View(id, null) is null ? NotFound(text) : Results.Ok(wf.Steps(id)))
            .WithName("GetDocumentSteps")
            .WithSummary("Every workflow step of the document (who, when, on which node), in clock order");

        docs.MapGet("/receipts", (string id, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
                wf.View(id, null) is { } view ? Results.Ok(view.Recipients) : NotFound(text))
            .WithName("GetDocumentReceipts")
            .WithSummary("Per recipient organ: delivered, signed for (签收), registered, screened (初审), proposed, instructed, in handling, replied, or returned (退文) with the reason");

        docs.MapPost("/workflow/{action}", async (string id, string action, HttpRequest request, WorkflowService wf, IStringLocalizer<Text> common,
                IStringLocalizer<WorkflowText> text) =>
            {
                WorkflowActionInput input = new();
                if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
                {
                    var (body, error) = await JsonBody.ReadAsync(request, WorkflowJsonContext.Default.WorkflowActionInput, common["Val_BadJson"]);
                    if (error is not null) return error;
                    input = body!;
                }
                return Guard(text, () => Results.Ok(wf.Execute(id, action, WorkflowActor.From(request.HttpContext.User), input)));
            })
            .RequireAuthorization(Policies.Staff)
            .WithName("PostDocumentWorkflowAction")
            .WithSummary("Records one workflow step: " + string.Join(", ", StepKinds.Actions))
            .WithDescription("收文 at a recipient: signfor → in_register → screen (初审; body agree=false with opinion = reason returns the "
                             + "document to the sender) → propose (拟办, opinion required) → instruct (批办, opinion required) → assign → reply; "
                             + "circulate, read and remind alongside. assign needs screen first.");

        docs.MapGet("/files", (string id, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
                wf.View(id, null) is null ? NotFound(text) : Results.Ok(wf.Files(id)))
            .WithName("GetDocumentFiles")
            .WithSummary("The printed PDF and the attachments of the document");

        docs.MapGet("/files/{fileId}", (string id, string fileId, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
                wf.FileContent(id, fileId) is { } f ? Results.File(f.Data, f.File.ContentType, f.File.Name) : NotFound(text))
            .WithName("DownloadDocumentFile")
            .WithSummary("Downloads one file of the document");

        docs.MapPost("/files", async (string id, HttpRequest request, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
            {
                if (!request.HasFormContentType) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: text["Wf_Val_Multipart"]);
                if (request.ContentLength > WorkflowService.MaxAttachmentBytes + 64 * 1024)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [text["Wf_Val_FileTooLarge", "", WorkflowService.MaxAttachmentBytes / 1024 / 1024]] });
                }
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                var file = form.Files.Count > 0 ? form.Files[0] : null;
                if (file is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [text["Wf_Val_FileEmpty"]] });
                if (file.Length > WorkflowService.MaxAttachmentBytes)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [text["Wf_Val_FileTooLarge", file.FileName, WorkflowService.MaxAttachmentBytes / 1024 / 1024]] });
                }
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, request.HttpContext.RequestAborted);
                var data = buffer.ToArray();
                return Guard(text, () =>
                {
                    var dto = wf.AddAttachment(id, WorkflowActor.From(request.HttpContext.User), file.FileName, file.ContentType, data);
                    return Results.Created($"/api/documents/{id}/files/{dto.Id}", dto);
                });
            })
            .DisableAntiforgery()
            .RequireAuthorization(Policies.DocumentsWrite)
            .WithName("UploadDocumentAttachment")
            .WithSummary("Adds an attachment (multipart/form-data, field 'file', at most 10 MB) while the content may still change");

        docs.MapDelete("/files/{fileId}", (string id, string fileId, HttpContext http, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
                Guard(text, () => wf.RemoveAttachment(id, fileId, WorkflowActor.From(http.User)) ? Results.NoContent() : NotFound(text)))
            .RequireAuthorization(Policies.DocumentsWrite)
            .WithName("DeleteDocumentAttachment")
            .WithSummary("Removes an attachment while the content may still change");

        docs.MapGet("/pdf", (string id, WorkflowService wf, IStringLocalizer<WorkflowText> text) =>
                wf.Pdf(id) is { } f ? Results.File(f.Data, "application/pdf", f.File.Name) : NotFound(text))
            .WithName("DownloadDocumentPdf")
            .WithSummary("The printed document (GB/T 9704-2012 layout) as PDF");

        app.MapGet("/api/inbox", (HttpContext http, WorkflowService wf) => Results.Ok(wf.Inbox(WorkflowActor.From(http.User))))
            .RequireAuthorization(Policies.Staff)
            .WithTags("Workflow")
            .WithName("GetInbox")
            .WithSummary("收文: documents dispatched to this node, with their state here, handler and deadline");

        app.MapGet("/api/organs", (OrganDirectory organs) => Results.Ok(organs.All().Values.Select(o => new OrganDto
            {
                Code = o.Code, Name = o.Name, ShortName = o.ShortName, DocPrefix = o.DocPrefix, Banner = o.Banner, Upward = o.Upward, Downward = o.Downward,
            }).ToList()))
            .RequireAuthorization(Policies.Staff)
            .WithTags("Workflow")
            .WithName("GetOrgans")
            .WithSummary("The organ directory (发文机关: name, 机关代字, banner, upward and downward recipients)");

        return app;
    }

    private static IResult Guard(IStringLocalizer<WorkflowText> text, Func<IResult> action)
    {
        try
        {
            return ApiResults.Guard(action);
        }
        catch (WorkflowNotFoundException)
        {
            return NotFound(text);
        }
    }

    private static IResult NotFound(IStringLocalizer<WorkflowText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Wf_Err_NotFound"]);
}
