using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Api;

/// <summary>/api/documents on both edge and hub.</summary>
public static class DocumentApi
{
    public static RouteGroupBuilder MapDocumentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/documents").WithTags("Documents").RequireAuthorization(Policies.Staff);

        group.MapGet("/", (DocumentService docs, string? originNode, DocumentBox? box, string? q, int? limit, int? offset, string? state) =>
        {
            if (limit is < 1 or > 500 || offset is < 0)
            {
                return Results.Problem(statusCode: 400, title: "limit must be 1-500 and offset 0 or more");
            }
            return Results.Ok(docs.List(new DocumentQuery(originNode, box ?? DocumentBox.All, q, limit ?? 100, offset ?? 0, state)));
        });

        group.MapGet("/{id}", (DocumentService docs, IStringLocalizer<Text> text, string id) =>
            docs.Get(id) is { } doc ? Results.Ok(doc) : NotFound(text));

        group.MapPost("/", async (HttpRequest request, DocumentService docs, IStringLocalizer<Text> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, OfficeJsonContext.Default.DocumentInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var doc = docs.Create(input!);
                return Results.Created($"/api/documents/{doc.Id}", doc);
            });
        }).RequireAuthorization(Policies.DocumentsWrite)
            .WithName("CreateDocument").WithSummary("Drafts a document (拟稿); classified documents (密级) are refused");

        group.MapPut("/{id}", async (HttpRequest request, string id, DocumentService docs, IStringLocalizer<Text> text) =>
        {
            var (update, error) = await JsonBody.ReadAsync(request, OfficeJsonContext.Default.DocumentUpdate, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => docs.Update(id, update!, WorkflowActor.From(request.HttpContext.User)) is { } doc ? Results.Ok(doc) : NotFound(text));
        }).RequireAuthorization(Policies.DocumentsWrite)
            .WithName("UpdateDocument").WithSummary("Edits a document while drafting or in review; after sign-off an edit goes back to the signer");

        group.MapDelete("/{id}", (string id, DocumentService docs, IStringLocalizer<Text> text) =>
            ApiResults.Guard(() => docs.Delete(id) ? Results.NoContent() : NotFound(text)))
            .RequireAuthorization(Policies.DocumentsWrite);

        return group;
    }

    private static IResult NotFound(IStringLocalizer<Text> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Doc_NotFound"]);

}
