using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>Recurring bookings and person clashes through /api/meetings on a real Kestrel host over a real SQLite edge store.</summary>
public sealed class MeetingSeriesApiTests : IAsyncLifetime
{
    private readonly BookingNodes _nodes = new();
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var builder = TestApiHost.CreateBuilder();
        var s = builder.Services;
        s.AddSingleton<ILocalStore>(_nodes.World.Edge("guangshun"));
        s.AddSingleton<TimeProvider>(_nodes.World.Time);
        s.AddSingleton<INoticeSender>(_nodes.Notices);
        s.AddSingleton<DocumentService>();
        s.AddSingleton<TownshipDirectory>();
        s.AddLocalization();
        s.AddProblemDetails();
        new MeetingsModule().AddServices(s);
        s.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>();
        s.AddNodeOpenApi("guangshun");
        s.AddHeaderSignIn();
        s.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Dispatch, p => p.RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin))
            .AddPolicy(Policies.DocumentsWrite, p => p.RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin));
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        new MeetingsModule().MapEndpoints(_app);
        _app.MapNodeApiReference();
        _http = await TestApiHost.StartAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _nodes.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Send(HttpMethod method, string url, string user, object? body = null, string roles = "")
    {
        using var msg = new HttpRequestMessage(method, url);
        msg.SignedAs(user, "guangshun", roles);
        if (body is not null) msg.Content = JsonContent.Create(body);
        using var resp = await _http.SendAsync(msg);
        var text = await resp.Content.ReadAsStringAsync();
        return (resp.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<string> Room()
    {
        var (status, room) = await Send(HttpMethod.Post, "/api/rooms", "chen", new { name = "一楼会议室" }, Roles.Clerk);
        Assert.Equal(HttpStatusCode.Created, status);
        return room!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task BadRecurrence_Is400ProblemDetails_NamingTheField_AndStoresNothing()
    {
        var roomId = await Room();
        (object Recurrence, string Field)[] cases =
        [
            (new { count = 27 }, "recurrence.count"),
            (new { until = "2026-11-27" }, "recurrence.until"),
            (new { intervalWeeks = 0, count = 4 }, "recurrence.intervalWeeks"),
        ];
        foreach (var (recurrence, field) in cases)
        {
            var (status, problem) = await Send(HttpMethod.Post, "/api/meetings", "li",
                new { roomId, title = "周例会", start = BookingNodes.At(9), end = BookingNodes.At(10), recurrence });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(400, problem!["status"]!.GetValue<int>());
            Assert.NotNull(problem["title"]);
            Assert.Contains(field, problem["errors"]!.AsObject().Select(e => e.Key));
        }
        var (badDate, _) = await Send(HttpMethod.Post, "/api/meetings", "li",
            new { roomId, title = "周例会", start = BookingNodes.At(9), end = BookingNodes.At(10), recurrence = new { until = "明年" } });
        Assert.Equal(HttpStatusCode.BadRequest, badDate);
        var (_, list) = await Send(HttpMethod.Get, "/api/meetings", "li");
        Assert.Empty(list!.AsArray());
    }

    [Fact]
    public async Task Series_BookedWeeksAndRefusedDateInTheAnswer_ClashesEndpoint_CancelFollowing()
    {
        var roomId = await Room();
        var (_, other) = await Send(HttpMethod.Post, "/api/meetings", "chen",
            new { roomId, title = "县检查组座谈", start = BookingNodes.At(9).AddDays(14), end = BookingNodes.At(10).AddDays(14), attendees = new[] { "zhang" } }, Roles.Clerk);

        // Before booking: zhang already has a meeting in the third week (any room): a warning.
        var weekly = new
        {
            roomId, title = "镇周例会", start = BookingNodes.At(9), end = BookingNodes.At(10), attendees = new[] { "zhang" },
            recurrence = new { intervalWeeks = 1, count = 4 },
        };
        var (checkStatus, check) = await Send(HttpMethod.Post, "/api/meetings/clashes", "li", weekly);
        Assert.Equal(HttpStatusCode.OK, checkStatus);
        var warning = Assert.Single(check!.AsArray())!;
        Assert.Equal("zhang 在该时段已有会议：《县检查组座谈》 2026-12-12 09:00–10:00", warning["message"]!.GetValue<string>());

        var (status, series) = await Send(HttpMethod.Post, "/api/meetings", "li", weekly);
        Assert.Equal(HttpStatusCode.Created, status);
        var booked = series!["booked"]!.AsArray();
        Assert.Equal(3, booked.Count);
        Assert.All(booked, b => Assert.Equal(("Confirmed", series["seriesId"]!.GetValue<string>()), (b!["status"]!.GetValue<string>(), b["seriesId"]!.GetValue<string>())));
        var refused = Assert.Single(series["refused"]!.AsArray())!;
        Assert.Equal(("2026-12-12", "clash", "该时段会议室已被占用"),
            (refused["date"]!.GetValue<string>(), refused["reason"]!.GetValue<string>(), refused["reasonText"]!.GetValue<string>()));

        // The other meeting's page lists no clash any more in that week (the series was refused there); the first week's has none.
        var (_, clashes) = await Send(HttpMethod.Get, $"/api/meetings/{other!["id"]!.GetValue<string>()}/clashes", "zhang");
        Assert.Empty(clashes!.AsArray());
        var (missing, _) = await Send(HttpMethod.Get, $"/api/meetings/{Guid.CreateVersion7()}/clashes", "zhang");
        Assert.Equal(HttpStatusCode.NotFound, missing);

        var secondId = booked[1]!["id"]!.GetValue<string>();
        var (badScope, _) = await Send(HttpMethod.Post, $"/api/meetings/{secondId}/cancel?scope=all", "li");
        Assert.Equal(HttpStatusCode.BadRequest, badScope);
        var (cancelStatus, cancelled) = await Send(HttpMethod.Post, $"/api/meetings/{secondId}/cancel?scope=following", "li");
        Assert.Equal((HttpStatusCode.OK, "Cancelled"), (cancelStatus, cancelled!["status"]!.GetValue<string>()));
        var statuses = new List<string>();
        foreach (var b in booked)
        {
            var (_, m) = await Send(HttpMethod.Get, $"/api/meetings/{b!["id"]!.GetValue<string>()}", "li");
            statuses.Add(m!["meeting"]!["status"]!.GetValue<string>());
        }
        Assert.Equal(["Confirmed", "Cancelled", "Cancelled"], statuses);
    }

    [Fact]
    public async Task PersonClash_OnStoredMeeting_ListedByTheClashesEndpoint()
    {
        var roomId = await Room();
        var (_, small) = await Send(HttpMethod.Post, "/api/rooms", "chen", new { name = "二楼小会议室" }, Roles.Clerk);
        var (_, first) = await Send(HttpMethod.Post, "/api/meetings", "li",
            new { roomId, title = "安全生产会", start = BookingNodes.At(9), end = BookingNodes.At(11), attendees = new[] { "zhang" } });
        var (status, second) = await Send(HttpMethod.Post, "/api/meetings", "wang",
            new { roomId = small!["id"]!.GetValue<string>(), title = "信访研判会", start = BookingNodes.At(10), end = BookingNodes.At(12), attendees = new[] { "zhang" } });
        Assert.Equal(HttpStatusCode.Created, status); // booked despite the person clash
        Assert.Equal("Confirmed", second!["status"]!.GetValue<string>());

        var (_, clashes) = await Send(HttpMethod.Get, $"/api/meetings/{second["id"]!.GetValue<string>()}/clashes", "zhang");
        var clash = Assert.Single(clashes!.AsArray())!;
        Assert.Equal((first!["id"]!.GetValue<string>(), "zhang", "zhang 在该时段已有会议：《安全生产会》 09:00–11:00"),
            (clash["meetingId"]!.GetValue<string>(), clash["username"]!.GetValue<string>(), clash["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesRecurrenceClashesAndCancelScope()
    {
        var (status, doc) = await Send(HttpMethod.Get, "/openapi/v1.json", "li");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = doc!["paths"]!.AsObject();
        Assert.NotNull(paths["/api/meetings/{id}/clashes"]!["get"]);
        Assert.NotNull(paths["/api/meetings/clashes"]!["post"]);
        Assert.Contains(paths["/api/meetings/{id}/cancel"]!["post"]!["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "scope");
        Assert.NotNull(paths["/api/meetings"]!["post"]!["responses"]!["201"]);
        var schemas = doc["components"]!["schemas"]!.AsObject();
        Assert.Contains("RecurrenceInput", schemas.Select(x => x.Key));
        Assert.Contains("PersonClashDto", schemas.Select(x => x.Key));
    }
}
