using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Meetings;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>Person-level clashes (人员冲突) on real SQLite stores: across rooms and nodes after sync, a warning and never a refusal.</summary>
public sealed class MeetingPersonClashTests : IDisposable
{
    private readonly BookingNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    /// <summary>A staff account written at the hub (it replicates to the person's unit like real accounts).</summary>
    private void AddUser(string username, string displayName, string unit) =>
        _nodes.Store("hub").Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = username,
            ["display_name"] = displayName,
            ["unit"] = unit,
            ["roles"] = UsersTable.EncodeRoles([Roles.Clerk]),
            ["password_hash"] = "x",
            ["security_stamp"] = "s",
        });

    [Fact]
    public void Clash_WithCountyMeetingInAnotherRoomAndNode_SeenAfterSync_WarnsButBooks_AndNoticeMentionsIt()
    {
        AddUser("lijg", "李建国", "guangshun");
        var hub = _nodes.Meetings("hub");
        var countyRoom = hub.CreateRoom(new RoomInput { Name = "县政府第一会议室" });
        var county = hub.Book(new MeetingInput { RoomId = countyRoom.Id, Title = "县委常委会", Start = BookingNodes.At(9), End = BookingNodes.At(11), Attendees = ["lijg"] },
            BookingNodes.Staff("wu", "hub"));
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "广顺镇会议室" });
        var input = new MeetingInput { RoomId = room.Id, Title = "镇党委会", Start = BookingNodes.At(10), End = BookingNodes.At(12), Attendees = ["lijg", "zhang"] };
        var organiser = BookingNodes.Staff("chen", "guangshun");

        Assert.Empty(gs.CheckPersonClashes(input, organiser)); // the county meeting has not reached guangshun yet
        _nodes.World.Sync("guangshun");
        var warning = Assert.Single(gs.CheckPersonClashes(input, organiser));
        var booked = gs.Book(input, organiser);

        Assert.Equal("李建国 在该时段已有会议：《县委常委会》 09:00–11:00", warning.Message);
        Assert.Equal(("lijg", county.Id, "县政府第一会议室", BookingStatus.Confirmed), (warning.Username, warning.MeetingId, warning.RoomName, warning.Status));
        Assert.Equal(BookingStatus.Confirmed, booked.Status); // a warning, not a refusal
        Assert.Equal(county.Id, Assert.Single(gs.PersonClashes(booked.Id)!).MeetingId);
        var notice = Assert.Single(_nodes.Notices.Sent, n => n.SourceId == booked.Id);
        Assert.Contains("注意（人员冲突）：李建国 在该时段已有会议：《县委常委会》 09:00–11:00", notice.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("人员冲突", Assert.Single(_nodes.Notices.Sent, n => n.SourceId == county.Id).Body, StringComparison.Ordinal);

        // The hub learns of the township meeting by sync and shows the clash on its own meeting too.
        _nodes.World.Sync("guangshun");
        var atHub = Assert.Single(hub.PersonClashes(county.Id)!);
        Assert.Equal((booked.Id, "李建国 在该时段已有会议：《镇党委会》 10:00–12:00"), (atHub.MeetingId, atHub.Message));
    }

    [Fact]
    public void CancelledAndDeclinedMeetings_DoNotCount_TentativeAndHostDo()
    {
        var gs = _nodes.Meetings("guangshun");
        var organiser = BookingNodes.Staff("chen", "guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var small = gs.CreateRoom(new RoomInput { Name = "二楼小会议室" });
        var approval = gs.CreateRoom(new RoomInput { Name = "党委会议室", NeedsApproval = true });
        var cancelled = gs.Book(new MeetingInput { RoomId = room.Id, Title = "已取消的会", Start = BookingNodes.At(9), End = BookingNodes.At(10), Attendees = ["zhang"] }, organiser);
        gs.Cancel(cancelled.Id, organiser, dispatcher: true);
        var declined = gs.Book(new MeetingInput { RoomId = approval.Id, Title = "未通过的会", Start = BookingNodes.At(9), End = BookingNodes.At(10), Attendees = ["zhang"] }, organiser);
        gs.Decide(declined.Id, false, "另有安排", organiser);
        var probe = new MeetingInput { RoomId = small.Id, Title = "碰头会", Start = BookingNodes.At(9, 30), End = BookingNodes.At(10, 30), Attendees = ["zhang"] };

        Assert.Equal(BookingStatus.Declined, gs.Get(declined.Id)!.Status);
        Assert.Empty(gs.CheckPersonClashes(probe, organiser));

        // A tentative meeting (waiting for approval) counts, and so does being its host.
        var pending = gs.Book(new MeetingInput { RoomId = approval.Id, Title = "待审批的会", Start = BookingNodes.At(10), End = BookingNodes.At(11), Host = "zhang" }, organiser);
        Assert.Equal(BookingStatus.Tentative, pending.Status);
        var clash = Assert.Single(gs.CheckPersonClashes(probe, organiser));
        Assert.Equal((pending.Id, BookingStatus.Tentative), (clash.MeetingId, clash.Status));

        // Back-to-back is no clash; cancelling the other meeting clears the warning on the booked one.
        var booked = gs.Book(probe, organiser);
        Assert.Single(gs.PersonClashes(booked.Id)!);
        gs.Cancel(pending.Id, organiser, dispatcher: true);
        Assert.Empty(gs.PersonClashes(booked.Id)!);
        Assert.Empty(gs.CheckPersonClashes(new MeetingInput { RoomId = small.Id, Title = "x", Start = BookingNodes.At(10, 30), End = BookingNodes.At(11), Attendees = ["zhang"] }, organiser));
        Assert.Null(gs.PersonClashes(Guid.CreateVersion7().ToString()));
    }
}
