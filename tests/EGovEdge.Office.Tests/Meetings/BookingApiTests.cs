using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Townships;
using EGovEdge.Office.Vehicles;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>
/// The /api/meetings, /api/rooms and /api/vehicles endpoints on a real Kestrel host over a real SQLite edge store.
/// Sign-in is replaced by a header naming the user (the endpoints' policies are the real ones).
/// </summary>
public sealed class BookingApiTests : IAsyncLifetime
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
        new VehiclesModule().AddServices(s);
        s.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>();
        s.AddHeaderSignIn();
        s.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Dispatch, p => p.RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin))
            .AddPolicy(Policies.Drive, p => p.RequireRole(Roles.Driver, Roles.Admin))
            .AddPolicy(Policies.DocumentsWrite, p => p.RequireRole(Roles.Clerk, Roles.Leader, Roles.Admin));
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        new MeetingsModule().MapEndpoints(_app);
        new VehiclesModule().MapEndpoints(_app);
        _http = await TestApiHost.StartAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _nodes.Dispose();
    }

    private HttpRequestMessage Req(HttpMethod method, string url, string user, object? body = null, string roles = "")
    {
        var msg = new HttpRequestMessage(method, url);
        msg.SignedAs(user, "guangshun", roles);
        if (body is string raw) msg.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) msg.Content = JsonContent.Create(body);
        return msg;
    }

    [Fact]
    public async Task Meetings_BookClashAndBadInputAre400_FeedNeedsKey_RoomsNeedDispatch()
    {
        var forbidden = await _http.SendAsync(Req(HttpMethod.Post, "/api/rooms", "li", new { name = "会议室" }));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var unauth = await _http.GetAsync(new Uri("/api/meetings", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unauth.StatusCode);

        var roomResp = await _http.SendAsync(Req(HttpMethod.Post, "/api/rooms", "chen", new { name = "一楼会议室", capacity = 30 }, Roles.Clerk));
        Assert.Equal(HttpStatusCode.Created, roomResp.StatusCode);
        var roomId = (await roomResp.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var booking = new { roomId, title = "党委会", start = BookingNodes.At(9), end = BookingNodes.At(10), attendees = new[] { "zhang" } };
        var created = await _http.SendAsync(Req(HttpMethod.Post, "/api/meetings", "li", booking));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Confirmed", (await created.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        var clash = await _http.SendAsync(Req(HttpMethod.Post, "/api/meetings", "li", booking));
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.Contains("start", (await clash.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
        var bad = await _http.SendAsync(Req(HttpMethod.Post, "/api/meetings", "li", "{\"title\":"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var mine = await _http.SendAsync(Req(HttpMethod.Get, "/api/meetings?mine=true", "zhang"));
        Assert.Single((await mine.Content.ReadFromJsonAsync<JsonArray>())!);
        var keyResp = await _http.SendAsync(Req(HttpMethod.Post, "/api/meetings/calendar/key", "zhang"));
        var key = (await keyResp.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        var feed = await _http.GetAsync(new Uri($"/api/meetings/calendar/zhang.ics?key={Uri.EscapeDataString(key)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        Assert.Contains("SUMMARY:党委会", await feed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var wrongKey = await _http.GetAsync(new Uri("/api/meetings/calendar/zhang.ics?key=nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, wrongKey.StatusCode);
    }

    [Fact]
    public async Task Vehicles_RequestApproveAndDriverReportsTrip()
    {
        var car = await (await _http.SendAsync(Req(HttpMethod.Post, "/api/vehicles", "chen", new { plate = "贵A·12345", odometerKm = 100 }, Roles.Clerk)))
            .Content.ReadFromJsonAsync<JsonObject>();
        await _http.SendAsync(Req(HttpMethod.Post, "/api/vehicles/drivers", "chen", new { username = "liu", name = "刘师傅" }, Roles.Clerk));
        var reqResp = await _http.SendAsync(Req(HttpMethod.Post, "/api/vehicles/requests", "li",
            new { vehicleId = car!["id"]!.GetValue<string>(), start = BookingNodes.At(8), end = BookingNodes.At(12), purpose = "下村" }));
        Assert.Equal(HttpStatusCode.Created, reqResp.StatusCode);
        var id = (await reqResp.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var noPurpose = await _http.SendAsync(Req(HttpMethod.Post, "/api/vehicles/requests", "li",
            new { vehicleId = car["id"]!.GetValue<string>(), start = BookingNodes.At(13), end = BookingNodes.At(14) }));
        Assert.Equal(HttpStatusCode.BadRequest, noPurpose.StatusCode);

        var notDispatcher = await _http.SendAsync(Req(HttpMethod.Post, $"/api/vehicles/requests/{id}/approve", "li", new { driver = "liu" }));
        Assert.Equal(HttpStatusCode.Forbidden, notDispatcher.StatusCode);
        var approved = await _http.SendAsync(Req(HttpMethod.Post, $"/api/vehicles/requests/{id}/approve", "chen", new { driver = "liu" }, Roles.Clerk));
        Assert.Equal("Confirmed", (await approved.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        var trips = await _http.SendAsync(Req(HttpMethod.Get, "/api/vehicles/trips", "liu", null, Roles.Driver));
        Assert.Single((await trips.Content.ReadFromJsonAsync<JsonArray>())!);
        var start = await _http.SendAsync(Req(HttpMethod.Post, $"/api/vehicles/requests/{id}/trip", "liu", new { kind = "start", odometerKm = 120 }, Roles.Driver));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var board = await _http.SendAsync(Req(HttpMethod.Get, "/api/vehicles", "li"));
        Assert.Equal("on_trip", (await board.Content.ReadFromJsonAsync<JsonArray>())![0]!["state"]!.GetValue<string>());
    }

    [Fact]
    public void BookingProcessor_DecidesRequestsArrivingBySync()
    {
        var owner = _nodes.Meetings("guangshun");
        var room = owner.CreateRoom(new RoomInput { Name = "大会议室" });
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        var m = _nodes.Meetings("malu").Book(new MeetingInput { RoomId = room.Id, Title = "远程预订", Start = BookingNodes.At(9), End = BookingNodes.At(10) },
            BookingNodes.Staff("wang", "malu"));
        _nodes.World.Sync("malu");
        _nodes.World.Sync("guangshun");
        var processor = new BookingProcessor(_nodes.Services("guangshun"), Microsoft.Extensions.Logging.Abstractions.NullLogger<BookingProcessor>.Instance);

        Assert.Equal(1, processor.RunOnce());
        Assert.Equal(0, processor.RunOnce());
        Assert.Equal(BookingStatus.Confirmed, owner.Get(m.Id)!.Status);
    }
}
