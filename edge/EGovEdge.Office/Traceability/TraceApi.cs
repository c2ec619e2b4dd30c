using System.Security.Claims;
using EGovEdge.Office.Api;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Traceability;

/// <summary>/api/trace for staff (registering needs DocumentsWrite) and the anonymous hub-only /api/public/trace/{code}.</summary>
public static class TraceApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/trace").WithTags("Traceability").RequireAuthorization(Policies.Staff);

        g.MapGet("/producers", (TraceService svc) => Results.Ok(svc.Producers()))
            .Produces<List<ProducerDto>>(200).WithName("ListTraceProducers").WithSummary("Producers (farmers, cooperatives, enterprises) known at this node");
        g.MapPost("/producers", async (HttpRequest request, TraceService svc, ClaimsPrincipal user, IStringLocalizer<TraceText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TraceJsonContext.Default.ProducerInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => { var p = svc.CreateProducer(input!, Actor.From(user, svc.NodeId)); return Results.Created($"/api/trace/producers/{p.Id}", p); });
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<ProducerInput>("application/json").Produces<ProducerDto>(201).ProducesValidationProblem()
            .WithName("CreateTraceProducer").WithSummary("Registers a producer of this township (kind farmer/cooperative/enterprise)");

        g.MapGet("/products", (TraceService svc, string? producerId) => Results.Ok(svc.Products(producerId)))
            .Produces<List<ProductDto>>(200).WithName("ListTraceProducts").WithSummary("Products, optionally of one producer");
        g.MapPost("/products", async (HttpRequest request, TraceService svc, IStringLocalizer<TraceText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TraceJsonContext.Default.ProductInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => { var p = svc.CreateProduct(input!); return Results.Created($"/api/trace/products/{p.Id}", p); });
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<ProductInput>("application/json").Produces<ProductDto>(201).ProducesValidationProblem()
            .WithName("CreateTraceProduct").WithSummary("Registers a product with a GTIN-style code (13 digits, GS1 check digit; not GS1-issued)");

        g.MapGet("/batches", (TraceService svc, bool? mine, string? q) => Results.Ok(svc.Batches(mine is true, q)))
            .Produces<List<BatchDto>>(200).WithName("ListTraceBatches").WithSummary("Batches, newest first; mine=true: registered here; q: code, batch number, product or producer");
        g.MapPost("/batches", async (HttpRequest request, TraceService svc, ClaimsPrincipal user, IStringLocalizer<TraceText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TraceJsonContext.Default.BatchInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => { var b = svc.RegisterBatch(input!, Actor.From(user, svc.NodeId)); return Results.Created($"/api/trace/batches/{b.Id}", b); });
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<BatchInput>("application/json").Produces<BatchDto>(201).ProducesValidationProblem()
            .WithName("RegisterTraceBatch").WithSummary("Registers a batch (works offline): batch number unique per product, a short code unique county-wide");
        g.MapGet("/batches/{id}", (string id, TraceService svc, IStringLocalizer<TraceText> text) =>
            svc.Batch(id) is { } b ? Results.Ok(b) : NotFound(text))
            .Produces<BatchDto>(200).WithName("GetTraceBatch").WithSummary("A batch with its product, producer, inspection results and QR payload");
        g.MapGet("/batches/{id}/qr.svg", (string id, TraceService svc, IStringLocalizer<TraceText> text) =>
            svc.Batch(id) is { } b ? Results.Text(TraceQr.Svg(b.QrPayload), "image/svg+xml") : NotFound(text))
            .Produces<string>(200, "image/svg+xml").WithName("GetTraceBatchQr").WithSummary("The label's QR code (SVG) encoding {EGov:PublicBaseUrl}/portal/trace/{shortCode}");
        g.MapPost("/batches/{id}/inspections", async (HttpRequest request, string id, TraceService svc, ClaimsPrincipal user, IStringLocalizer<TraceText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TraceJsonContext.Default.InspectionInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.AddInspection(id, input!, Actor.From(user, svc.NodeId))));
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<InspectionInput>("application/json").Produces<InspectionDto>(200).ProducesValidationProblem()
            .WithName("AddTraceInspection").WithSummary("Appends an inspection result (pass 合格 / fail 不合格) at the batch's township or the hub");
        g.MapPost("/batches/{id}/recall", async (HttpRequest request, string id, TraceService svc, IStringLocalizer<TraceText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TraceJsonContext.Default.RecallInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => svc.Recall(id, input!.Reason) is { } b ? Results.Ok(b) : NotFound(text));
        }).RequireAuthorization(Policies.DocumentsWrite).Accepts<RecallInput>("application/json").Produces<BatchDto>(200).ProducesValidationProblem()
            .WithName("RecallTraceBatch").WithSummary("Marks a batch recalled with a reason (shown prominently on the public page)");

        app.MapGet("/api/public/trace/{code}", (string code, TraceService svc, NodeEnvironment env, IStringLocalizer<TraceText> text) =>
        {
            if (!env.IsHub) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Public_HubOnly"]);
            return svc.Lookup(code) is { } found ? Results.Ok(found) : NotFound(text);
        }).AllowAnonymous().WithTags("Traceability").Produces<PublicTraceDto>(200).ProducesProblem(404)
            .WithName("PublicTraceLookup").WithSummary("Public (no login, hub only): what a buyer sees for a label's short code");
    }

    private static IResult NotFound(IStringLocalizer<TraceText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Trace_NotFound"]);
}
