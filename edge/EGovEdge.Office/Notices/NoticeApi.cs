using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Notices;

/// <summary>/api/notices, /api/sms and /api/home on hub and edge.</summary>
public static class NoticeApi
{
    public static IEndpointRouteBuilder MapNoticeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notices").WithTags("Notices").RequireAuthorization(Policies.Staff);

        group.MapGet("/", (NoticeService notices, ClaimsPrincipal user, string? box, bool? unread, string? kind, int? limit, int? offset) =>
        {
            if (limit is < 1 or > 500 || offset is < 0) return Results.Problem(statusCode: 400, title: "limit must be 1-500 and offset 0 or more");
            NoticeBox which;
            if (string.IsNullOrEmpty(box) || box.Equals("inbox", StringComparison.OrdinalIgnoreCase)) which = NoticeBox.Inbox;
            else if (box.Equals("sent", StringComparison.OrdinalIgnoreCase)) which = NoticeBox.Sent;
            else return Results.Problem(statusCode: 400, title: "box must be inbox or sent");
            return Results.Ok(notices.List(NoticeReader.From(user), which, unread ?? false, kind, limit ?? 50, offset ?? 0));
        })
        .WithName("ListNotices").WithSummary("My inbox (released notices addressed to me or my unit, with unread marks) or the notices I sent")
        .Produces<NoticePage>();

        group.MapGet("/stats", (NoticeService notices, TimeProvider time, IStringLocalizer<NoticeText> text, DateTimeOffset? from, DateTimeOffset? to, string? period) =>
        {
            if (!TryPeriod(period, out var p)) return Results.Problem(statusCode: 400, title: "period must be day, week or month");
            var end = to ?? time.GetUtcNow();
            var start = from ?? end.AddDays(-30);
            return ApiResults.Guard(() => Results.Ok(notices.Stats(start, end, p)));
        })
        .WithName("NoticeStats")
        .WithSummary("Notices, reminders and warnings shown, SMS queued/sent/delivered/failed per day, week or month (China time) in [from, to)")
        .Produces<NoticeStatsDto>().ProducesValidationProblem();

        group.MapGet("/{id}", (string id, NoticeService notices, ClaimsPrincipal user, IStringLocalizer<NoticeText> text) =>
            notices.GetFor(id, NoticeReader.From(user)) is { } n ? Results.Ok(n) : NotFound(text))
            .WithName("GetNotice").WithSummary("One notice (addressee, sender, admin or supervisor)")
            .Produces<NoticeDto>().ProducesProblem(404);

        group.MapPost("/", async (HttpRequest request, NoticeService notices, ClaimsPrincipal user, IStringLocalizer<NoticeText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, NoticeJsonContext.Default.NoticeInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var n = notices.Send(input!, user.Identity?.Name ?? "");
                return Results.Created($"/api/notices/{n.Id}", n);
            });
        })
        .RequireAuthorization(Policies.DocumentsWrite)
        .WithName("SendNotice")
        .WithSummary("Send a notice, reminder (optionally scheduled with dueUtc) or early warning (priority 2, SMS to every addressee with a phone)")
        .Accepts<NoticeInput>("application/json").Produces<NoticeDto>(201).ProducesValidationProblem();

        group.MapPost("/{id}/read", (string id, NoticeService notices, ClaimsPrincipal user, IStringLocalizer<NoticeText> text) =>
            ApiResults.Guard(() =>
            {
                var reader = NoticeReader.From(user);
                if (notices.Get(id) is null) return NotFound(text);
                notices.MarkRead(id, reader);
                return Results.NoContent();
            }))
            .WithName("MarkNoticeRead").WithSummary("Leave my read receipt (idempotent; addressees only)")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);

        group.MapGet("/{id}/reads", (string id, NoticeService notices, ClaimsPrincipal user, IStringLocalizer<NoticeText> text) =>
        {
            var reader = NoticeReader.From(user);
            if (notices.Get(id) is not { } n) return NotFound(text);
            if (n.Sender != reader.Username && !reader.Oversees) return Results.Problem(statusCode: 403, title: text["Val_NotSender"]);
            return Results.Ok(notices.Receipts(id));
        })
        .WithName("NoticeReceipts").WithSummary("Who the notice went to and who read it (sender, admin or supervisor)")
        .Produces<ReadReceiptsDto>().ProducesProblem(403).ProducesProblem(404);

        var sms = app.MapGroup("/api/sms").WithTags("SMS").RequireAuthorization(Policies.Supervise);
        sms.MapGet("/", (SmsOutbox outbox, string? status, int? limit) =>
        {
            if (status is not null && !SmsStatus.All.Contains(status)) return Results.Problem(statusCode: 400, title: "unknown status");
            if (limit is < 1 or > 500) return Results.Problem(statusCode: 400, title: "limit must be 1-500");
            return Results.Ok(outbox.List(status, limit ?? 100));
        })
        .WithName("SmsOutbox").WithSummary("SMS outbox: counts per status and the latest messages")
        .Produces<SmsOutboxDto>();

        sms.MapPost("/{id}/delivery", async (string id, HttpRequest request, SmsOutbox outbox, IStringLocalizer<NoticeText> text) =>
        {
            var (report, error) = await JsonBody.ReadAsync(request, NoticeJsonContext.Default.SmsDeliveryReport, text["Val_BadJson"]);
            if (error is not null) return error;
            return outbox.ReportDelivery(id, report!) ? Results.NoContent() : Results.Problem(statusCode: 409, title: text["Sms_NotAwaiting"]);
        })
        .RequireAuthorization(Policies.Administer)
        .WithName("SmsDelivery").WithSummary("Record a carrier delivery receipt for a sent SMS (delivered, or failed with the carrier's code)")
        .Accepts<SmsDeliveryReport>("application/json").Produces(204).ProducesProblem(409);

        app.MapGet("/api/home", (HomeWork work, ClaimsPrincipal user) => Results.Ok(new HomeWorkDto
        {
            Items = work.For(user).Select(w => new HomeWorkItem { Key = w.Key, Label = w.Label, Count = w.Count, Href = w.Href }).ToList(),
        }))
        .RequireAuthorization(Policies.Staff)
        .WithTags("Home").WithName("MyWork").WithSummary("What waits for me at this node (to sign, review, seal, attend, approve; unread notices), with counts")
        .Produces<HomeWorkDto>();
        return app;
    }

    private static bool TryPeriod(string? s, out StatsPeriod period)
    {
        period = StatsPeriod.Day;
        if (string.IsNullOrEmpty(s)) return true;
        return Enum.TryParse(s, ignoreCase: true, out period) && Enum.IsDefined(period) && !int.TryParse(s, CultureInfo.InvariantCulture, out _);
    }

    private static IResult NotFound(IStringLocalizer<NoticeText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Ntc_NotFound"]);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(NoticeDto))]
[JsonSerializable(typeof(NoticeInput))]
[JsonSerializable(typeof(NoticePage))]
[JsonSerializable(typeof(ReadReceiptsDto))]
[JsonSerializable(typeof(NoticeStatsDto))]
[JsonSerializable(typeof(SmsOutboxDto))]
[JsonSerializable(typeof(SmsDeliveryReport))]
[JsonSerializable(typeof(HomeWorkDto))]
public sealed partial class NoticeJsonContext : JsonSerializerContext;
