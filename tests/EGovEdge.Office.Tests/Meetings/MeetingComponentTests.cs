using System.Text.Json.Nodes;
using Bunit;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Components.Meetings;
using EGovEdge.Office.Components.Vehicles;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Townships;
using EGovEdge.Office.Vehicles;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>
/// The meeting and vehicle pages rendered with bUnit over a real SQLite edge store (Chinese UI), with the booking form's
/// person-clash warning and weekly series and the meeting page's series actions.
/// </summary>
public sealed class MeetingComponentTests : IAsyncLifetime
{
    private readonly BookingNodes _nodes = new();
    private readonly BunitContext _ctx = new();

    public MeetingComponentTests()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = _ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddSingleton<TimeProvider>(_nodes.World.Time);
        s.AddSingleton<ILocalStore>(_nodes.World.Edge("guangshun"));
        s.AddSingleton<INoticeSender>(_nodes.Notices);
        s.AddSingleton<DocumentService>();
        s.AddSingleton<TownshipDirectory>();
        s.AddSingleton<MeetingService>();
        s.AddSingleton<VehicleService>();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("chen");
        auth.SetRoles(Roles.Clerk);
        auth.SetPolicies(Policies.Staff, Policies.Dispatch);
        auth.SetClaims(new System.Security.Claims.Claim(StaffClaims.Unit, "guangshun"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _nodes.Dispose();
    }

    private T Svc<T>() where T : notnull => _ctx.Services.GetRequiredService<T>();

    private IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();
        return parameters is null ? _ctx.Render<T>() : _ctx.Render<T>(parameters);
    }

    [Fact]
    public void MeetingBook_FillAndBook_StoresConfirmedMeeting_AndNavigates()
    {
        var room = Svc<MeetingService>().CreateRoom(new RoomInput { Name = "一楼会议室" });
        var cut = Render<MeetingBook>();

        cut.Find("select[data-testid=mtg-room]").Change(room.Id);
        cut.Find("input[data-testid=mtg-title]").Input("镇党委会");
        cut.Find("input[data-testid=mtg-start]").Input("2026-11-28T09:00");
        cut.Find("input[data-testid=mtg-end]").Input("2026-11-28T10:30");
        cut.Find("[data-testid=mtg-book]").Click();

        var m = Assert.Single(Svc<MeetingService>().List());
        Assert.Equal("镇党委会", m.Title);
        Assert.Equal(BookingStatus.Confirmed, m.Status);
        Assert.Equal(BookingNodes.At(9), m.Start);
        Assert.Equal(BookingNodes.At(10, 30), m.End);
        Assert.EndsWith($"/meetings/{m.Id}", _ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void MeetingBook_Clash_ShowsChineseErrorAndStoresNothingMore()
    {
        var svc = Svc<MeetingService>();
        var room = svc.CreateRoom(new RoomInput { Name = "一楼会议室" });
        svc.Book(new MeetingInput { RoomId = room.Id, Title = "先到", Start = BookingNodes.At(9), End = BookingNodes.At(10) }, BookingNodes.Staff("li", "guangshun"));
        var cut = Render<MeetingBook>();

        cut.Find("select[data-testid=mtg-room]").Change(room.Id);
        cut.Find("input[data-testid=mtg-title]").Input("后到");
        cut.Find("input[data-testid=mtg-start]").Input("2026-11-28T09:30");
        cut.Find("input[data-testid=mtg-end]").Input("2026-11-28T10:30");
        cut.Find("[data-testid=mtg-book]").Click();

        cut.WaitForAssertion(() => Assert.Contains("该时段会议室已被占用", cut.Markup, StringComparison.Ordinal));
        Assert.Single(svc.List());
    }

    [Fact]
    public void MeetingDetail_TentativeRemoteRequest_DispatcherConfirms()
    {
        var svc = Svc<MeetingService>();
        var room = svc.CreateRoom(new RoomInput { Name = "审核会议室", NeedsApproval = true });
        var m = svc.Book(new MeetingInput { RoomId = room.Id, Title = "待审会议", Start = BookingNodes.At(9), End = BookingNodes.At(10) }, BookingNodes.Staff("li", "guangshun"));
        var cut = Render<MeetingDetailPage>(p => p.Add(x => x.Id, m.Id));
        Assert.Equal("待确认", cut.Find("[data-testid=mtg-status]").TextContent.Trim());

        cut.Find("[data-testid=mtg-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal("已确认", cut.Find("[data-testid=mtg-status]").TextContent.Trim()));
        Assert.Equal(BookingStatus.Confirmed, svc.Get(m.Id)!.Status);
    }

    [Fact]
    public void MeetingList_ShowsMeetingsAndRegeneratesFeedUrl()
    {
        var svc = Svc<MeetingService>();
        var room = svc.CreateRoom(new RoomInput { Name = "一楼会议室" });
        svc.Book(new MeetingInput { RoomId = room.Id, Title = "周例会", Start = BookingNodes.At(9), End = BookingNodes.At(10) }, BookingNodes.Staff("chen", "guangshun"));
        var cut = Render<MeetingList>();

        Assert.Equal("周例会", cut.Find("[data-testid=mtg-link]").TextContent);
        cut.Find("[data-testid=mtg-feed-regenerate]").Click();

        var url = cut.Find("input[data-testid=mtg-feed-url]").GetAttribute("value")!;
        Assert.Contains("/api/meetings/calendar/chen.ics?key=", url, StringComparison.Ordinal);
        Assert.True(svc.FeedKeyValid("chen", Uri.UnescapeDataString(url[(url.IndexOf("key=", StringComparison.Ordinal) + 4)..])));
    }

    [Fact]
    public void VehicleBook_RequestThenApprove_ConfirmsAndShowsStatus()
    {
        var vehicles = Svc<VehicleService>();
        var car = vehicles.CreateVehicle(new VehicleInput { Plate = "贵A·12345", Model = "别克GL8" });
        vehicles.CreateDriver(new DriverInput { Username = "liu", Name = "刘师傅" });
        var cut = Render<VehicleBook>();

        cut.Find("select[data-testid=veh-vehicle]").Change(car.Id);
        cut.Find("input[data-testid=veh-start]").Input("2026-11-28T08:00");
        cut.Find("input[data-testid=veh-end]").Input("2026-11-28T12:00");
        cut.Find("input[data-testid=veh-purpose]").Input("下村检查");
        cut.Find("[data-testid=veh-request]").Click();
        cut.WaitForAssertion(() => Assert.Equal("待确认", cut.Find("[data-testid=veh-my-status]").TextContent.Trim()));
        cut.Find("select[data-testid=veh-driver]").Change("liu");
        cut.Find("[data-testid=veh-approve]").Click();

        cut.WaitForAssertion(() => Assert.Equal("已确认", cut.Find("[data-testid=veh-my-status]").TextContent.Trim()));
        var r = Assert.Single(vehicles.Requests());
        Assert.Equal(("liu", "下村检查", BookingNodes.At(8)), (r.Driver, r.Purpose, r.Start));
    }

    [Fact]
    public void VehicleBoard_ShowsEveryVehicleWithState()
    {
        var vehicles = Svc<VehicleService>();
        vehicles.CreateVehicle(new VehicleInput { Plate = "贵A·00001" });
        vehicles.CreateVehicle(new VehicleInput { Plate = "贵A·00002", Status = VehicleTables.StatusInShop });
        var cut = Render<VehicleBoard>();

        Assert.Equal(["贵A·00001", "贵A·00002"], cut.FindAll("[data-testid=veh-link]").Select(a => a.TextContent));
        Assert.Equal(["空闲", "维修中"], cut.FindAll("[data-testid=veh-state]").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public void RoomList_DispatcherAddsRoom_ListedWithBookLink()
    {
        var cut = Render<RoomList>();

        cut.Find("input[data-testid=room-name]").Input("二楼小会议室");
        cut.Find("input[data-testid=room-location]").Input("镇政府二楼");
        cut.Find("[data-testid=room-add]").Click();

        cut.WaitForAssertion(() => Assert.Contains("二楼小会议室", cut.Find("[data-testid=room-name-cell]").TextContent, StringComparison.Ordinal));
        var room = Assert.Single(Svc<MeetingService>().Rooms());
        Assert.Equal(("镇政府二楼", "guangshun"), (room.Location, room.OwnerNode));
        Assert.Equal($"/meetings/new?room={room.Id}", cut.Find("[data-testid=room-book]").GetAttribute("href"));
    }

    [Fact]
    public void VehicleTrips_DriverStartsAndFinishesTripFromPhonePage()
    {
        var vehicles = Svc<VehicleService>();
        var car = vehicles.CreateVehicle(new VehicleInput { Plate = "贵A·12345", OdometerKm = 500 });
        vehicles.CreateDriver(new DriverInput { Username = "chen", Name = "陈师傅" });
        var r = vehicles.Request(new VehicleRequestInput { VehicleId = car.Id, Start = BookingNodes.At(8), End = BookingNodes.At(12), Purpose = "送材料" },
            BookingNodes.Staff("li", "guangshun"));
        vehicles.Approve(r.Id, "chen", BookingNodes.Staff("wu", "guangshun"));
        var cut = Render<VehicleTrips>();

        cut.Find("input[data-testid=veh-odometer]").Input("510");
        cut.Find("[data-testid=veh-trip-start]").Click();
        cut.WaitForAssertion(() => Assert.Contains("行程中", cut.Find("[data-testid=veh-trip-state]").TextContent, StringComparison.Ordinal));
        cut.Find("input[data-testid=veh-odometer]").Input("548");
        cut.Find("[data-testid=veh-trip-finish]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=veh-no-trips]")));
        var done = vehicles.GetRequest(r.Id)!;
        Assert.Equal(("finished", 510L, 548L), (done.TripState, done.StartKm!.Value, done.FinishKm!.Value));
    }

    private void AddUser(string username, string displayName) =>
        _nodes.Store("guangshun").Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = username, ["display_name"] = displayName, ["unit"] = "guangshun",
            ["roles"] = UsersTable.EncodeRoles([Roles.Leader]), ["password_hash"] = "x", ["security_stamp"] = "s",
        });

    private static void PickAttendees(IRenderedComponent<MeetingBook> cut, params string[] usernames)
    {
        var select = cut.FindComponents<MudSelect<string>>()[0]; // the first select: attendees (then units)
        cut.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync(usernames.ToHashSet(StringComparer.Ordinal)));
    }

    [Fact]
    public void BookingForm_ShowsPersonClashWarning_WhenAttendeesAndTimeOverlap_AndStillBooks()
    {
        AddUser("lijg", "李建国");
        var county = Svc<MeetingService>().CreateRoom(new RoomInput { Name = "一楼会议室" });
        var small = Svc<MeetingService>().CreateRoom(new RoomInput { Name = "二楼小会议室" });
        Svc<MeetingService>().Book(new MeetingInput { RoomId = county.Id, Title = "县委常委会", Start = BookingNodes.At(9), End = BookingNodes.At(11), Attendees = ["lijg"] },
            BookingNodes.Staff("wu", "guangshun"));
        var cut = Render<MeetingBook>();

        cut.Find("select[data-testid=mtg-room]").Change(small.Id);
        cut.Find("input[data-testid=mtg-title]").Input("镇党委会");
        cut.Find("input[data-testid=mtg-start]").Input("2026-11-28T13:00");
        cut.Find("input[data-testid=mtg-end]").Input("2026-11-28T14:00");
        PickAttendees(cut, "lijg");
        Assert.Empty(cut.FindAll("[data-testid=mtg-person-clash]")); // no overlap yet

        cut.Find("input[data-testid=mtg-start]").Input("2026-11-28T10:00");
        cut.Find("input[data-testid=mtg-end]").Input("2026-11-28T12:00");
        cut.WaitForAssertion(() => Assert.Equal("李建国 在该时段已有会议：《县委常委会》 09:00–11:00",
            cut.Find("[data-testid=mtg-person-clash]").TextContent.Trim()));
        Assert.Contains("人员冲突提醒", cut.Find("[data-testid=mtg-person-clashes]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=mtg-book]").Click();

        var booked = Assert.Single(Svc<MeetingService>().List(), m => m.Title == "镇党委会");
        Assert.Equal((BookingStatus.Confirmed, small.Id), (booked.Status, booked.RoomId));
        Assert.Equal(["lijg"], booked.Attendees);
        Assert.EndsWith($"/meetings/{booked.Id}", _ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void BookingForm_WeeklySeries_ShowsBookedAndRefusedDates()
    {
        var room = Svc<MeetingService>().CreateRoom(new RoomInput { Name = "一楼会议室" });
        Svc<MeetingService>().Book(new MeetingInput { RoomId = room.Id, Title = "县检查组座谈", Start = BookingNodes.At(9).AddDays(14), End = BookingNodes.At(10).AddDays(14) },
            BookingNodes.Staff("wu", "guangshun"));
        var cut = Render<MeetingBook>();

        cut.Find("select[data-testid=mtg-room]").Change(room.Id);
        cut.Find("input[data-testid=mtg-title]").Input("镇周例会");
        cut.Find("input[data-testid=mtg-start]").Input("2026-11-28T09:00");
        cut.Find("input[data-testid=mtg-end]").Input("2026-11-28T10:00");
        var repeat = cut.FindComponent<MudSwitch<bool>>();
        cut.InvokeAsync(() => repeat.Instance.ValueChanged.InvokeAsync(true));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=mtg-repeat-mode]")));
        cut.Find("[data-testid=mtg-book]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=mtg-series-booked]").Count));
        Assert.Equal("2026-12-12 未预订：该时段会议室已被占用", cut.Find("[data-testid=mtg-series-refused]").TextContent.Trim());
        var series = Svc<MeetingService>().List().Where(m => m.Title == "镇周例会").ToList();
        Assert.Equal(3, series.Count);
        Assert.Single(series.Select(m => m.SeriesId).Distinct());
        Assert.NotNull(series[0].SeriesId);
    }

    [Fact]
    public void MeetingPage_ListsPersonClashes_AndCancelsThisAndFollowing()
    {
        var room = Svc<MeetingService>().CreateRoom(new RoomInput { Name = "一楼会议室" });
        var small = Svc<MeetingService>().CreateRoom(new RoomInput { Name = "二楼小会议室" });
        var organiser = BookingNodes.Staff("chen", "guangshun");
        var series = Svc<MeetingService>().BookSeries(new MeetingInput
        {
            RoomId = room.Id, Title = "镇周例会", Start = BookingNodes.At(9), End = BookingNodes.At(10), Attendees = ["zhang"],
            Recurrence = new RecurrenceInput { Count = 3 },
        }, organiser).Booked;
        Svc<MeetingService>().Book(new MeetingInput { RoomId = small.Id, Title = "信访研判会", Start = BookingNodes.At(9, 30).AddDays(7), End = BookingNodes.At(11).AddDays(7), Attendees = ["zhang"] },
            BookingNodes.Staff("wu", "guangshun"));
        var cut = Render<MeetingDetailPage>(p => p.Add(x => x.Id, series[1].Id));

        Assert.Equal("zhang 在该时段已有会议：《信访研判会》 09:30–11:00", cut.Find("[data-testid=mtg-person-clash]").TextContent.Trim());
        Assert.Contains("11-28", cut.Find("[data-testid=mtg-series]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=mtg-cancel-following]").Click();
        cut.Find("[data-testid=mtg-cancel-following]").Click();

        cut.WaitForAssertion(() => Assert.Equal("已取消", cut.Find("[data-testid=mtg-status]").TextContent.Trim()));
        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Cancelled, BookingStatus.Cancelled], Svc<MeetingService>().Series(series[0].SeriesId!).Select(m => m.Status));
        Assert.Empty(cut.FindAll("[data-testid=mtg-person-clash]"));
    }
}
