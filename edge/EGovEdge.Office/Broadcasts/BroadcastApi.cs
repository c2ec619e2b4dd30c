using System.Text.Json;
using System.Text.Json.Serialization;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Broadcasts;

/// <summary>/api/broadcasts on hub and edge (staff who may send: clerks, leaders, admins).</summary>
public static class BroadcastApi
{
    public static IEndpointRouteBuilder MapBroadcastApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/broadcasts").WithTags("Broadcasts").RequireAuthorization(Policies.DocumentsWrite);

        group.MapGet("/", (BroadcastService broadcasts, int? limit) =>
            limit is < 1 or > 500
                ? Results.Problem(statusCode: 400, title: "limit must be 1-500")
                : Results.Ok(new BroadcastPage { Items = broadcasts.List(limit ?? 50) }))
            .WithName("ListBroadcasts").WithSummary("Broadcasts this node sees, newest first, with recipients and SMS queued/sent/delivered/failed")
            .Produces<BroadcastPage>();

        group.MapGet("/{id}", (string id, BroadcastService broadcasts, IStringLocalizer<BroadcastText> text) =>
            broadcasts.Get(id) is { } b ? Results.Ok(b) : Results.Problem(statusCode: 404, title: text["Bc_NotFound"]))
            .WithName("GetBroadcast").WithSummary("One broadcast with its delivery counts").Produces<BroadcastDto>().ProducesProblem(404);

        group.MapPost("/", async (HttpRequest request, BroadcastService broadcasts, IStringLocalizer<BroadcastText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, BroadcastJsonContext.Default.BroadcastInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var b = broadcasts.Publish(input!, request.HttpContext.User.Identity?.Name ?? "");
                return Results.Created($"/api/broadcasts/{b.Id}", b);
            });
        })
        .WithName("PublishBroadcast")
        .WithSummary("Publish a broadcast (topic pension|weather|farming, township \"*\" or a code, optional village, text ≤ 300): one SMS per active subscriber")
        .Accepts<BroadcastInput>("application/json").Produces<BroadcastDto>(201).ProducesValidationProblem();

        group.MapGet("/subscribers", (BroadcastService broadcasts, string? township, string? topic, string? status) =>
            Results.Ok(broadcasts.Subscribers(township, topic, status)))
            .WithName("ListSubscribers").WithSummary("Subscribers this node sees (a township: its own residents), by township, topic or status")
            .Produces<SubscriberPage>();

        group.MapPost("/subscribers", async (HttpRequest request, BroadcastService broadcasts, IStringLocalizer<BroadcastText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, BroadcastJsonContext.Default.SubscriberInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var s = broadcasts.Register(input!, request.HttpContext.User.Identity?.Name ?? "");
                return Results.Ok(s);
            });
        })
        .WithName("RegisterSubscriber").WithSummary("Register (or update) a resident in person: active at once; a township registers its own residents")
        .Accepts<SubscriberInput>("application/json").Produces<SubscriberDto>().ProducesValidationProblem();

        group.MapDelete("/subscribers/{id}", (string id, BroadcastService broadcasts, HttpContext http, IStringLocalizer<BroadcastText> text) =>
            ApiResults.Guard(() => broadcasts.Cancel(id, http.User.Identity?.Name ?? "")
                ? Results.NoContent()
                : Results.Problem(statusCode: 404, title: text["Bc_NotFound"])))
            .WithName("CancelSubscriber").WithSummary("Stop broadcasts to a subscriber (kept as cancelled)").Produces(204).ProducesProblem(403).ProducesProblem(404);
        return app;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BroadcastInput))]
[JsonSerializable(typeof(BroadcastDto))]
[JsonSerializable(typeof(BroadcastPage))]
[JsonSerializable(typeof(SubscriberInput))]
[JsonSerializable(typeof(SubscriberDto))]
[JsonSerializable(typeof(SubscriberPage))]
public sealed partial class BroadcastJsonContext : JsonSerializerContext;
