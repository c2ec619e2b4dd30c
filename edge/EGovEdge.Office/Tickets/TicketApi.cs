using System.Globalization;
using EGovEdge.Office.Api;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Tickets;

/// <summary>/api/tickets on hub and edge (staff).</summary>
public static class TicketApi
{
    public static RouteGroupBuilder MapTicketApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tickets").WithTags("Tickets").RequireAuthorization(Policies.Staff);

        group.MapGet("/", (TicketService tickets, TicketBox? box, string? kind, string? q, int? limit) =>
        {
            if (limit is < 1 or > 500) return Results.Problem(statusCode: 400, title: "limit must be 1-500");
            if (kind is not null && !TicketKinds.All.Contains(kind)) return Results.Problem(statusCode: 400, title: "unknown kind");
            return Results.Ok(tickets.List(box ?? TicketBox.All, kind, q, limit ?? 200));
        }).WithName("ListTickets").WithSummary("Tickets at this node with both clocks (box: ToSign, ToHandle, Overdue, Supervised, Open, Closed)");

        group.MapGet("/{id}", (string id, HttpContext http, TicketService tickets, IStringLocalizer<TicketText> text) =>
            tickets.Get(id, TicketActor.From(http.User)) is { } t ? Results.Ok(t) : NotFound(text))
            .WithName("GetTicket").WithSummary("One ticket with its timeline and the actions this user may take");

        group.MapPost("/", async (HttpRequest request, TicketService tickets, IStringLocalizer<TicketText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TicketJsonContext.Default.TicketInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var created = tickets.Create(input!, TicketActor.From(request.HttpContext.User));
                return Results.Created($"/api/tickets/{created.Id}", created);
            });
        }).RequireAuthorization(Policies.DocumentsWrite)
            .WithName("CreateTicket").WithSummary("Files a complaint, suggestion, enquiry or petition on a resident's behalf (受理); returns the number and the query code");

        group.MapPost("/{id}/actions", async (string id, HttpRequest request, TicketService tickets, IStringLocalizer<TicketText> text) =>
        {
            if (tickets.Record(id) is null) return NotFound(text);
            var (input, error) = await JsonBody.ReadAsync(request, TicketJsonContext.Default.TicketActionInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(tickets.Act(id, input!, TicketActor.From(request.HttpContext.User))));
        }).WithName("TicketAction")
            .WithSummary("One transition: accept, not_accept, dispatch, sign, return, extension_request, extension_decision, reply, callback, close, supervise, review_apply, review_decision, rereview_apply, rereview_decision");

        group.MapGet("/{id}/photo", (string id, TicketService tickets, IStringLocalizer<TicketText> text) =>
            tickets.Photo(id) is { } p ? Results.File(p.Data, p.ContentType) : NotFound(text))
            .WithName("GetTicketPhoto").WithSummary("The resident's photo");

        group.MapGet("/{id}/notices", (string id, TicketService tickets, IStringLocalizer<TicketText> text) =>
            tickets.Notices(id) is { } list ? Results.Ok(list) : NotFound(text))
            .WithName("ListTicketNotices").WithSummary("A petition's written notices (受理/不予受理告知书, 处理/复查/复核意见书): number, issuer, date, PDF link");

        group.MapGet("/{id}/notices/{noticeId}.pdf", (string id, string noticeId, TicketService tickets, IStringLocalizer<TicketText> text) =>
            tickets.NoticePdf(id, noticeId) is { } n ? Results.File(n.Pdf, "application/pdf", n.Name) : NotFound(text))
            .WithName("GetTicketNoticePdf").WithSummary("One written notice as PDF (addressed to the petitioner; never published)");

        group.MapGet("/stats", (TicketService tickets) => Results.Ok(tickets.Stats()))
            .RequireAuthorization(Policies.Supervise).WithName("TicketStats")
            .WithSummary("Counts by kind, petitions by channel, suggestions by adoption (采纳), callbacks by satisfaction");

        group.MapGet("/calendar", (TicketService tickets, int? year) =>
            Results.Ok((IReadOnlyList<CalendarDayDto>)tickets.CalendarDays(year ?? WorkingCalendar.ChinaDate(tickets.Now).Year)
                .Select(d => new CalendarDayDto(WorkingCalendar.Iso(d.Day), d.Working, d.Name)).ToList()))
            .WithName("TicketCalendar").WithSummary("Holidays and make-up working days (调休) of a year");

        group.MapPut("/calendar", async (HttpRequest request, TicketService tickets, IStringLocalizer<TicketText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, TicketJsonContext.Default.CalendarDayInput, text["Val_BadJson"]);
            if (error is not null) return error;
            if (WorkingCalendar.ParseDay(input!.Day) is not { } day)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["day"] = [text["Val_Day"]] });
            }
            return ApiResults.Guard(() =>
            {
                tickets.SetCalendarDay(day, input.Working, input.Name);
                return Results.NoContent();
            });
        }).RequireAuthorization(Policies.Supervise).WithName("SetTicketCalendarDay").WithSummary("Hub: marks a holiday or a make-up working day");

        group.MapPost("/escalation/run", (TicketService tickets) =>
            Results.Ok(new Dictionary<string, int> { ["written"] = tickets.RunEscalation() }))
            .RequireAuthorization(Policies.Supervise).WithName("RunTicketEscalation").WithSummary("Writes the reminders and escalations due now (idempotent)");

        return group;
    }

    private static IResult NotFound(IStringLocalizer<TicketText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Err_NotFound"]);
}

/// <summary>
/// Open311 GeoReport v2 at the hub, anonymous (api_key optional): services.json, requests.json (GET list, POST
/// create) and requests/{id}.json. The service_request_id is the ticket number; petitions are never listed.
/// Errors are the spec's [{"code":400,"description":"..."}].
/// </summary>
public static class Open311Api
{
    public const string Prefix = "/open311/v2";

    /// <summary>Chinese text as UTF-8, not \u escapes (civic apps show it as is).</summary>
    private static readonly TicketJsonContext Context = new(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    });

    public static IEndpointRouteBuilder MapOpen311(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Open311").AllowAnonymous();

        group.MapGet("/services.json", (TicketService tickets, IStringLocalizer<TicketText> text) =>
            !tickets.IsHub ? Error(404, "not available at a township node") :
            Json(TicketCategories.All.Select(c => new Open311Service
            {
                ServiceCode = c,
                ServiceName = text["Cat_" + c],
                Description = text["CatDesc_" + c],
                Keywords = c,
                Group = text["Kind_complaint"],
            }).ToList(), 200)).WithName("Open311Services").WithSummary("GeoReport v2 service list");

        group.MapGet("/requests.json", (HttpRequest request, TicketService tickets, IStringLocalizer<TicketText> text) =>
        {
            if (!tickets.IsHub) return Error(404, "not available at a township node");
            var q = request.Query;
            var now = tickets.Now;
            DateTimeOffset? start = null, end = null;
            if (q.TryGetValue("start_date", out var sd))
            {
                if (TicketRules.Parse(sd) is not { } s) return Error(400, "start_date must be w3c date-time");
                start = s;
            }
            if (q.TryGetValue("end_date", out var ed))
            {
                if (TicketRules.Parse(ed) is not { } e) return Error(400, "end_date must be w3c date-time");
                end = e;
            }
            end ??= now;
            start ??= end.Value.AddDays(-90);
            if (end < start || end - start > TimeSpan.FromDays(90)) return Error(400, "the date range is limited to 90 days");
            string? status = q["status"];
            if (status is not (null or "open" or "closed")) return Error(400, "status must be open or closed");
            var codes = Split(q["service_code"]);
            var ids = Split(q["service_request_id"]);
            IEnumerable<TicketSummary> list;
            if (ids.Count > 0)
            {
                list = ids.Select(id => tickets.ByNumber(id)).Where(t => t is not null)
                    .Select(t => tickets.Get(t!.Id, TicketActor.Resident)).Where(t => t is not null)!;
            }
            else
            {
                list = tickets.List(TicketBox.All, limit: 500).Where(t => t.AcceptedUtc >= start && t.AcceptedUtc <= end);
            }
            var result = list.Where(t => t.Kind != TicketKinds.Petition)
                .Where(t => codes.Count == 0 || codes.Contains(t.Category))
                .Where(t => status is null || StatusOf(t) == status)
                .Select(t => ToRequest(tickets, text, t)).ToList();
            return Json(result, 200);
        }).WithName("Open311Requests").WithSummary("GeoReport v2 request list (90 days at most)");

        group.MapGet("/requests/{id}.json", (string id, TicketService tickets, IStringLocalizer<TicketText> text) =>
        {
            if (!tickets.IsHub) return Error(404, "not available at a township node");
            var record = Guid.TryParse(id, out _) ? tickets.Record(id) : tickets.ByNumber(id);
            if (record is null || record.IsPetition || tickets.Get(record.Id, TicketActor.Resident) is not { } t) return Error(404, "service_request_id not found");
            return Json(new List<Open311Request> { ToRequest(tickets, text, t) }, 200);
        }).WithName("Open311Request").WithSummary("GeoReport v2 single request");

        group.MapPost("/requests.json", async (HttpRequest request, TicketService tickets, IStringLocalizer<TicketText> text) =>
        {
            if (!tickets.IsHub) return Error(404, "not available at a township node");
            Dictionary<string, string?> f;
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                f = form.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString(), StringComparer.Ordinal);
            }
            else
            {
                f = request.Query.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString(), StringComparer.Ordinal);
            }
            var code = f.GetValueOrDefault("service_code");
            if (string.IsNullOrWhiteSpace(code)) return Error(400, "service_code is required");
            if (!TicketCategories.All.Contains(code)) return Error(404, "service_code not found");
            var lat = f.GetValueOrDefault("lat");
            var lng = f.GetValueOrDefault("long");
            var address = f.GetValueOrDefault("address_string");
            if ((string.IsNullOrWhiteSpace(lat) || string.IsNullOrWhiteSpace(lng)) && string.IsNullOrWhiteSpace(address) && string.IsNullOrWhiteSpace(f.GetValueOrDefault("address_id")))
            {
                return Error(400, "a location is required: lat and long, address_string or address_id");
            }
            var name = (f.GetValueOrDefault("last_name") + f.GetValueOrDefault("first_name")).Trim();
            var input = new TicketInput
            {
                Kind = TicketKinds.Complaint,
                Category = code,
                Channel = TicketChannels.Open311,
                Description = f.GetValueOrDefault("description"),
                Address = address,
                Lat = lat,
                Long = lng,
                Name = name.Length == 0 ? null : name,
                Phone = f.GetValueOrDefault("phone"),
                Email = f.GetValueOrDefault("email"),
                MediaUrl = f.GetValueOrDefault("media_url"),
                ServiceCode = code,
                Township = f.GetValueOrDefault("attribute[township]"),
            };
            try
            {
                var created = tickets.Create(input, TicketActor.Resident);
                return Json(new List<Open311Created>
                {
                    new() { ServiceRequestId = created.Number, ServiceNotice = text["Open311_Notice", created.QueryCode], AccountId = null },
                }, 201);
            }
            catch (OfficeValidationException ex)
            {
                return Json(ex.Errors.Select(e => new Open311Error { Code = 400, Description = e.Key + ": " + string.Join(" ", e.Value) }).ToList(), 400);
            }
        }).WithName("Open311CreateRequest").WithSummary("GeoReport v2 create (form post)").RequireRateLimiting(NodeAuthentication.PortalRateLimit).DisableAntiforgery();

        return app;
    }

    private static string StatusOf(TicketSummary t) => t.State is TicketState.Closed or TicketState.NotAccepted ? "closed" : "open";

    private static Open311Request ToRequest(TicketService tickets, IStringLocalizer<TicketText> text, TicketSummary t)
    {
        var detail = t as TicketDetail ?? tickets.Get(t.Id, TicketActor.Resident);
        var record = tickets.Record(t.Id);
        return new Open311Request
        {
            ServiceRequestId = t.Number,
            Status = StatusOf(t),
            StatusNotes = detail?.Reply is { } r && record is { IsPublic: true } ? Redactor.Scrub(r, record) : text["State_" + t.State],
            ServiceName = text["Cat_" + t.Category],
            ServiceCode = t.Category,
            Description = record is { IsPublic: true } ? Redactor.Scrub(record.Description, record) : null,
            AgencyResponsible = detail?.ResponsibleBody ?? t.Handler,
            RequestedDatetime = W3c(t.AcceptedUtc),
            UpdatedDatetime = W3c(detail?.Events.LastOrDefault()?.AtUtc ?? t.AcceptedUtc),
            ExpectedDatetime = W3c(t.OverallDue),
            Address = record is { IsPublic: true } ? Redactor.Scrub(record.Address, record) : null,
            Lat = double.TryParse(record?.Lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var la) ? la : null,
            Long = double.TryParse(record?.Lng, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) ? lo : null,
            MediaUrl = record?.MediaUrl,
        };
    }

    private static string W3c(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static List<string> Split(string? s) =>
        string.IsNullOrWhiteSpace(s) ? [] : s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static IResult Error(int code, string description) =>
        Json(new List<Open311Error> { new() { Code = code, Description = description } }, code);

    private static IResult Json<T>(T value, int status) =>
        Results.Json(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Context.GetTypeInfo(typeof(T))!, statusCode: status);
}
