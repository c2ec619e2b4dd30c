using System.Text.Json.Nodes;
using Bunit;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Components.Meetings;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>The booking form's person-clash warning and weekly series, and the meeting page's series actions, with bUnit over a real SQLite edge store.</summary>
public sealed class MeetingClashComponentTests : IAsyncLifetime
{
    private readonly BookingNodes _nodes = new();
    private readonly BunitContext _ctx = new();

    public MeetingClashComponentTests()
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

    private MeetingService Meetings => _ctx.Services.GetRequiredService<MeetingService>();

    private IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();
        return parameters is null ? _ctx.Render<T>() : _ctx.Render<T>(parameters);
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
        var county = Meetings.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var small = Meetings.CreateRoom(new RoomInput { Name = "二楼小会议室" });
        Meetings.Book(new MeetingInput { RoomId = county.Id, Title = "县委常委会", Start = BookingNodes.At(9), End = BookingNodes.At(11), Attendees = ["lijg"] },
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

        var booked = Assert.Single(Meetings.List(), m => m.Title == "镇党委会");
        Assert.Equal((BookingStatus.Confirmed, small.Id), (booked.Status, booked.RoomId));
        Assert.Equal(["lijg"], booked.Attendees);
        Assert.EndsWith($"/meetings/{booked.Id}", _ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void BookingForm_WeeklySeries_ShowsBookedAndRefusedDates()
    {
        var room = Meetings.CreateRoom(new RoomInput { Name = "一楼会议室" });
        Meetings.Book(new MeetingInput { RoomId = room.Id, Title = "县检查组座谈", Start = BookingNodes.At(9).AddDays(14), End = BookingNodes.At(10).AddDays(14) },
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
        var series = Meetings.List().Where(m => m.Title == "镇周例会").ToList();
        Assert.Equal(3, series.Count);
        Assert.Single(series.Select(m => m.SeriesId).Distinct());
        Assert.NotNull(series[0].SeriesId);
    }

    [Fact]
    public void MeetingPage_ListsPersonClashes_AndCancelsThisAndFollowing()
    {
        var room = Meetings.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var small = Meetings.CreateRoom(new RoomInput { Name = "二楼小会议室" });
        var organiser = BookingNodes.Staff("chen", "guangshun");
        var series = Meetings.BookSeries(new MeetingInput
        {
            RoomId = room.Id, Title = "镇周例会", Start = BookingNodes.At(9), End = BookingNodes.At(10), Attendees = ["zhang"],
            Recurrence = new RecurrenceInput { Count = 3 },
        }, organiser).Booked;
        Meetings.Book(new MeetingInput { RoomId = small.Id, Title = "信访研判会", Start = BookingNodes.At(9, 30).AddDays(7), End = BookingNodes.At(11).AddDays(7), Attendees = ["zhang"] },
            BookingNodes.Staff("wu", "guangshun"));
        var cut = Render<MeetingDetailPage>(p => p.Add(x => x.Id, series[1].Id));

        Assert.Equal("zhang 在该时段已有会议：《信访研判会》 09:30–11:00", cut.Find("[data-testid=mtg-person-clash]").TextContent.Trim());
        Assert.Contains("11-28", cut.Find("[data-testid=mtg-series]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=mtg-cancel-following]").Click();
        cut.Find("[data-testid=mtg-cancel-following]").Click();

        cut.WaitForAssertion(() => Assert.Equal("已取消", cut.Find("[data-testid=mtg-status]").TextContent.Trim()));
        Assert.Equal([BookingStatus.Confirmed, BookingStatus.Cancelled, BookingStatus.Cancelled], Meetings.Series(series[0].SeriesId!).Select(m => m.Status));
        Assert.Empty(cut.FindAll("[data-testid=mtg-person-clash]"));
    }
}
