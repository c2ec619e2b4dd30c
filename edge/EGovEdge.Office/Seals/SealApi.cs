using System.Security.Claims;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Printing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Seals;

/// <summary>/api/seals on hub and edge: the registry, the signed revocation list, requests, issue/revoke at the hub, images, 用印登记 and verification.</summary>
public static class SealApi
{
    public const long MaxPdfBytes = 64 * 1024 * 1024;

    public static RouteGroupBuilder MapSealApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/seals").WithTags("Seals").RequireAuthorization(Policies.Staff);

        group.MapGet("/", (SealRegistry seals) => Results.Ok(seals.List().Select(s => s with { ImageSvg = null }).ToList()))
            .WithName("ListSeals").WithSummary("The seal registry at this node: every seal with unit, validity, signer and status");

        group.MapPost("/", async (HttpRequest request, ClaimsPrincipal user, SealRegistry seals, IStringLocalizer<SealText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, SealJsonContext.Default.SealRequest, text["Val_BadJson"]);
            if (error is not null) return error;
            if (input!.Issue && !user.IsInRole(Roles.Admin))
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: text["Val_IssueAtHubOnly"]);
            }
            return ApiResults.Guard(() =>
            {
                var seal = seals.Request(input, user.Identity?.Name ?? "");
                return Results.Created($"/api/seals/{seal.Id}", seal with { ImageSvg = null });
            });
        }).RequireAuthorization(Policies.SealManage)
            .WithName("RequestSeal").WithSummary("Requests a seal for this node's unit; the signing key is made and kept here. At the hub, issue=true issues it at once");

        group.MapPost("/{id}/issue", (string id, ClaimsPrincipal user, SealRegistry seals, IStringLocalizer<SealText> text) =>
            seals.Get(id) is null ? NotFound(text)
            : ApiResults.Guard(() => Results.Ok(seals.Issue(id, user.Identity?.Name ?? "") with { ImageSvg = null })))
            .RequireAuthorization(Policies.Administer)
            .WithName("IssueSeal").WithSummary("The county seal maker signs a requested seal (hub only)");

        group.MapPost("/{id}/revoke", async (HttpRequest request, string id, ClaimsPrincipal user, SealRegistry seals, IStringLocalizer<SealText> text) =>
        {
            if (seals.Get(id) is null) return NotFound(text);
            var (input, error) = await JsonBody.ReadAsync(request, SealJsonContext.Default.SealRevokeRequest, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(seals.Revoke(id, input!.Reason, user.Identity?.Name ?? "") with { ImageSvg = null }));
        }).RequireAuthorization(Policies.Administer)
            .WithName("RevokeSeal").WithSummary("Revokes a seal (hub only); documents sealed before the revocation stay valid");

        group.MapGet("/{id}/image.svg", (string id, SealRegistry seals, IStringLocalizer<SealText> text) =>
            seals.Get(id) is { ImageSvg: { } svg } ? Results.Text(svg, "image/svg+xml; charset=utf-8") : NotFound(text))
            .WithName("SealImage").WithSummary("The seal's drawing as SVG");

        group.MapGet("/uses", (SealRegistry seals, string? documentId, string? sealId, int? limit) =>
            limit is < 1 or > 1000
                ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "limit must be 1-1000")
                : Results.Ok(seals.Uses(documentId, sealId, limit ?? 200).ToList()))
            .WithName("ListSealUses").WithSummary("用印登记: who applied which seal to which document, when and where, newest first");

        group.MapGet("/registry", (SealRegistry seals) => Results.Ok(seals.Registry()))
            .WithName("SealRegistry").WithSummary("Maker keys, issued seals and the revocation list, for offline verification");

        group.MapGet("/revocations", (SealRegistry seals, IStringLocalizer<SealText> text) =>
            seals.RevocationList() is { } list
                ? Results.Ok(list)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Seals_NoList"]))
            .WithName("SealRevocationList")
            .WithSummary("The newest signed seal revocation list (印章撤销列表) that verifies at this node: number, issue and next-update times, "
                         + "entries, maker key id and the maker's SM2 signature (base64) over its canonical encoding; 404 when there is none");

        group.MapGet("/uses/{useId}/verify", (string useId, SealService service) => Results.Ok(service.VerifyUse(useId, null)))
            .WithName("VerifySealUse").WithSummary("Checks a recorded seal use offline: maker signature, status at signing time, validity, signer, SM2 signature");

        group.MapPost("/uses/{useId}/verify-pdf", async (HttpRequest request, string useId, SealService service, IStringLocalizer<SealText> text) =>
        {
            if (request.ContentLength > MaxPdfBytes)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");
            }
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            if (buffer.Length == 0) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: text["Val_PdfRequired"]);
            return Results.Ok(service.VerifyPdf(useId, buffer.ToArray()));
        }).WithName("VerifySealedPdf").WithSummary("Checks a recorded seal use and that the posted PDF (application/pdf body) is the one sealed");

        app.MapGet("/api/printing/fonts", () => Results.Ok(PdfFonts.Check().ToList()))
            .RequireAuthorization(Policies.Staff).WithTags("Printing")
            .WithName("PrintingFontCheck").WithSummary("Problems with the CJK fonts the GB/T 9704 renderer needs (empty when fine)");

        return group;
    }

    private static IResult NotFound(IStringLocalizer<SealText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Val_SealUnknown"]);
}
