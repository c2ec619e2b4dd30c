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

namespace EGovEdge.Office.Meetings;

/// <summary>/api/rooms and /api/meetings for phone clients, plus the calendar feed.</summary>
public static class MeetingApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms").WithTags("Meetings").RequireAuthorization(Policies.Staff);
        rooms.MapGet("/", (MeetingService svc) => Results.Ok(svc.Rooms()))
            .Produces<List<RoomDto>>(200).WithName("ListRooms").WithSummary("Meeting rooms known at this node, with the node that owns each");
        rooms.MapPost("/", async (HttpRequest request, MeetingService svc, IStringLocalizer<MeetingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, MeetingJsonContext.Default.RoomInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => { var room = svc.CreateRoom(input!); return Results.Created($"/api/rooms/{room.Id}", room); });
        }).RequireAuthorization(Policies.Dispatch).Accepts<RoomInput>("application/json").Produces<RoomDto>(201).ProducesValidationProblem().WithName("CreateRoom").WithSummary("Adds a room owned by this node");
        rooms.MapPut("/{id}", async (HttpRequest request, string id, MeetingService svc, IStringLocalizer<MeetingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, MeetingJsonContext.Default.RoomInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => svc.UpdateRoom(id, input!) is { } room ? Results.Ok(room) : NotFound(text));
        }).RequireAuthorization(Policies.Dispatch).Accepts<RoomInput>("application/json").Produces<RoomDto>(200).ProducesValidationProblem().WithName("UpdateRoom").WithSummary("Changes a room (at its own node only)");
        rooms.MapDelete("/{id}", (string id, MeetingService svc, IStringLocalizer<MeetingText> text) =>
            ApiResults.Guard(() => svc.DeleteRoom(id) ? Results.NoContent() : NotFound(text)))
            .RequireAuthorization(Policies.Dispatch).WithName("DeleteRoom").WithSummary("Retires a room (at its own node only)");

        var group = app.MapGroup("/api/meetings").WithTags("Meetings").RequireAuthorization(Policies.Staff);
        group.MapGet("/", (MeetingService svc, ClaimsPrincipal user, DateTimeOffset? from, DateTimeOffset? to, bool? mine) =>
        {
            if (from is { } f && to is { } t && t <= f) return Results.Problem(statusCode: 400, title: "to must be after from");
            var actor = Actor.From(user, svc.NodeId);
            return Results.Ok(mine is true ? svc.List(from, to, actor.Username, actor.Unit) : svc.List(from, to));
        }).Produces<List<MeetingDto>>(200).WithName("ListMeetings").WithSummary("Meetings overlapping [from, to); mine=true: only those I am invited to, host or requested");
        group.MapGet("/{id}", (string id, MeetingService svc, IStringLocalizer<MeetingText> text) =>
            svc.Detail(id) is { } d ? Results.Ok(d) : NotFound(text))
            .Produces<MeetingDetail>(200).WithName("GetMeeting").WithSummary("A meeting with its status, attendance, materials (without content) and statistics");
        group.MapPost("/", async (HttpRequest request, MeetingService svc, ClaimsPrincipal user, IStringLocalizer<MeetingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, MeetingJsonContext.Default.MeetingInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var actor = Actor.From(user, svc.NodeId);
                if (input!.Recurrence is not null)
                {
                    var series = svc.BookSeries(input, actor);
                    return Results.Created($"/api/meetings/{series.Booked[0].Id}", series);
                }
                var m = svc.Book(input, actor);
                return Results.Created($"/api/meetings/{m.Id}", m);
            });
        }).Accepts<MeetingInput>("application/json").Produces<MeetingDto>(201).Produces<SeriesBookingDto>(201).ProducesValidationProblem().WithName("BookMeeting")
            .WithSummary("Books a room: confirmed at once at the room's node (400 on a clash), else tentative until that node decides. " +
                "With a recurrence (weekly, every intervalWeeks weeks, until a date or count, at most 26) each occurrence is its own meeting " +
                "of one series: the answer is a SeriesBookingDto listing the booked occurrences and the refused dates with the reason (400 only when none can be booked)");
        group.MapPost("/clashes", async (HttpRequest request, MeetingService svc, ClaimsPrincipal user, IStringLocalizer<MeetingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, MeetingJsonContext.Default.MeetingInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return Results.Ok(svc.CheckPersonClashes(input!, Actor.From(user, svc.NodeId)));
        }).Accepts<MeetingInput>("application/json").Produces<List<PersonClashDto>>(200).WithName("CheckMeetingPersonClashes")
            .WithSummary("Before booking: attendees (and the host) who already have another meeting overlapping it (every occurrence when recurring). A warning, not a refusal");
        group.MapGet("/{id}/clashes", (string id, MeetingService svc, IStringLocalizer<MeetingText> text) =>
            svc.PersonClashes(id) is { } clashes ? Results.Ok(clashes) : NotFound(text))
            .Produces<List<PersonClashDto>>(200).WithName("GetMeetingPersonClashes")
            .WithSummary("Attendees (and the host) of a meeting who have another meeting overlapping it (人员冲突); cancelled and declined meetings do not count");
        group.MapPost("/{id}/decision", async (HttpRequest request, string id, MeetingService svc, ClaimsPrincipal user, IStringLocalizer<MeetingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, MeetingJsonContext.Default.DecisionInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.Decide(id, input!.Confirm, input.Reason, Actor.From(user, svc.NodeId))));
        }).RequireAuthorization(Policies.Dispatch).Accepts<DecisionInput>("application/json").Produces<MeetingDto>(200).ProducesValidationProblem().WithName("DecideMeeting")
            .WithSummary("The room's node confirms (clash-checked atomically) or declines a pending meeting");
        group.MapPost("/{id}/cancel", async (string id, string? scope, MeetingService svc, ClaimsPrincipal user, IAuthorizationService auth, IStringLocalizer<MeetingText> text) =>
        {
            if (scope is not (null or "this" or "following")) return Results.Problem(statusCode: 400, title: "scope must be this or following");
            var dispatcher = (await auth.AuthorizeAsync(user, Policies.Dispatch)).Succeeded;
            return ApiResults.Guard(() => svc.Cancel(id, Actor.From(user, svc.NodeId), dispatcher, following: scope == "following") is { } m ? Results.Ok(m) : NotFound(text));
        }).Produces<MeetingDto>(200).WithName("CancelMeeting")
            .WithSummary("Cancels a meeting at the node where it was made; scope=following also cancels the later occurrences of its series");
        group.MapPost("/{id}/attendance", async (HttpRequest request, string id, MeetingService svc, ClaimsPrincipal user, IStringLocalizer<MeetingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, MeetingJsonContext.Default.RespondInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.Respond(id, input!.Kind, input.Reason, Actor.From(user, svc.NodeId))));
        }).Accepts<RespondInput>("application/json").Produces<AttendanceDto>(200).ProducesValidationProblem().WithName("RespondToMeeting").WithSummary("Registers (accept), asks for leave (leave, reason required) or signs in (signin)");
        group.MapPost("/{id}/materials", async (HttpRequest request, string id, MeetingService svc, ClaimsPrincipal user, IStringLocalizer<MeetingText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, MeetingJsonContext.Default.MaterialInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var mat = svc.AddMaterial(id, input!, Actor.From(user, svc.NodeId));
                return Results.Created($"/api/meetings/materials/{mat.Id}", mat);
            });
        }).Accepts<MaterialInput>("application/json").Produces<MaterialDto>(201).ProducesValidationProblem().WithName("AddMeetingMaterial").WithSummary("Attaches a file (base64, at most 10 MB) to an open meeting");
        group.MapGet("/materials/{id}", (string id, MeetingService svc, IStringLocalizer<MeetingText> text) =>
            svc.Material(id) is { } m ? Results.File(m.Data, m.Info.ContentType ?? "application/octet-stream", m.Info.Name) : NotFound(text))
            .WithName("GetMeetingMaterial").WithSummary("Downloads a material");
        group.MapPost("/{id}/close", async (string id, MeetingService svc, ClaimsPrincipal user, IAuthorizationService auth) =>
        {
            var dispatcher = (await auth.AuthorizeAsync(user, Policies.Dispatch)).Succeeded;
            return ApiResults.Guard(() => Results.Ok(svc.Close(id, Actor.From(user, svc.NodeId), dispatcher)));
        }).Produces<MeetingDto>(200).WithName("CloseMeeting").WithSummary("Closes a held meeting and archives its materials");
        group.MapPost("/{id}/minutes", (string id, MeetingService svc, ClaimsPrincipal user) =>
            ApiResults.Guard(() =>
            {
                svc.CreateMinutes(id, Actor.From(user, svc.NodeId));
                return Results.Ok(svc.Get(id));
            }))
            .RequireAuthorization(Policies.DocumentsWrite).Produces<MeetingDto>(200).WithName("CreateMeetingMinutes")
            .WithSummary("Creates the 纪要 document (with 出席/请假 lists) and links it to the meeting");
        group.MapPost("/calendar/key", (MeetingService svc, ClaimsPrincipal user, HttpRequest request) =>
        {
            var actor = Actor.From(user, svc.NodeId);
            var key = svc.RegenerateFeedKey(actor);
            return Results.Ok(new FeedKeyDto { Key = key, Url = FeedUrl(request, actor.Username, key) });
        }).Produces<FeedKeyDto>(200).WithName("RegenerateCalendarKey").WithSummary("Issues a new secret key for my calendar feed (the old one stops working)");
        app.MapGet("/api/meetings/calendar/{username}.ics", (string username, string? key, MeetingService svc) =>
        {
            if (!svc.FeedKeyValid(username, key)) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown feed");
            var unit = svc.UnitOf(username);
            var meetings = svc.List(svc.UtcNow().AddDays(-90), null, username, unit, includeCancelled: true);
            return Results.Text(MeetingCalendar.Build(meetings, username, svc.NodeId), "text/calendar; charset=utf-8");
        }).AllowAnonymous().WithTags("Meetings").Produces<string>(200, "text/calendar").WithName("MeetingCalendarFeed")
            .WithSummary("A user's meetings as iCalendar (Asia/Shanghai); calendar apps authenticate with the feed key");
    }

    public static string FeedUrl(HttpRequest request, string username, string key)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}/api/meetings/calendar/{Uri.EscapeDataString(username)}.ics?key={Uri.EscapeDataString(key)}";
    }

    private static IResult NotFound(IStringLocalizer<MeetingText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Mtg_NotFound"]);
}
