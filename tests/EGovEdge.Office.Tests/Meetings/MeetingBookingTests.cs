using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Meetings;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>Room bookings on real SQLite stores: clashes, owner-only confirmation, tentative remote/offline requests, sync.</summary>
public sealed class MeetingBookingTests : IDisposable
{
    private readonly BookingNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    private static MeetingInput Input(string roomId, DateTimeOffset start, DateTimeOffset end, string title = "党委会") =>
        new() { RoomId = roomId, Title = title, Start = start, End = end, Attendees = ["zhang"], Agenda = "一、学习文件" };

    private static long Count(ILocalStore store, string table)
    {
        using var conn = store.OpenConnection();
        return conn.ScalarLong($"SELECT COUNT(*) FROM {table}");
    }

    [Fact]
    public void OwnerNode_Books_ConfirmedAtOnce_OverlapRefused_BackToBackAllowed()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室", Capacity = 30 });
        var actor = BookingNodes.Staff("li", "guangshun");

        var first = gs.Book(Input(room.Id, BookingNodes.At(9), BookingNodes.At(10)), actor);
        var ex = Assert.Throws<OfficeValidationException>(() => gs.Book(Input(room.Id, BookingNodes.At(9, 30), BookingNodes.At(10, 30)), actor));
        var next = gs.Book(Input(room.Id, BookingNodes.At(10), BookingNodes.At(11)), actor);

        Assert.Equal(BookingStatus.Confirmed, first.Status);
        Assert.Contains("start", ex.Errors.Keys);
        Assert.Equal(BookingStatus.Confirmed, next.Status);
        Assert.Equal(2, Count(_nodes.Store("guangshun"), MeetingTables.Meetings));
        Assert.Equal(2, Count(_nodes.Store("guangshun"), MeetingTables.Decisions));
        Assert.Contains(_nodes.Notices.Sent, n => n.Title.Contains("党委会", StringComparison.Ordinal) && n.Users.Contains("zhang") && n.Link == $"/meetings/{first.Id}");
    }

    [Fact]
    public void CancelledMeeting_FreesTheSlot()
    {
        var gs = _nodes.Meetings("guangshun");
        var room = gs.CreateRoom(new RoomInput { Name = "一楼会议室" });
        var actor = BookingNodes.Staff("li", "guangshun");
        var first = gs.Book(Input(room.Id, BookingNodes.At(9), BookingNodes.At(10)), actor);

        gs.Cancel(first.Id, actor, dispatcher: false);
        var again = gs.Book(Input(room.Id, BookingNodes.At(9), BookingNodes.At(10)), actor);

        Assert.Equal(BookingStatus.Cancelled, gs.Get(first.Id)!.Status);
        Assert.Equal(BookingStatus.Confirmed, again.Status);
    }

    [Fact]
    public void RequestFromAnotherNode_IsTentative_UntilTheRoomsNodeDecides_ThenConfirmedEverywhere()
    {
        var hub = _nodes.Meetings("hub");
        var room = hub.CreateRoom(new RoomInput { Name = "县政府第一会议室" });
        _nodes.World.Sync("malu");
        var malu = _nodes.Meetings("malu");

        var request = malu.Book(Input(room.Id, BookingNodes.At(14), BookingNodes.At(16), "防汛调度会"), BookingNodes.Staff("wang", "malu"));
        Assert.Equal(BookingStatus.Tentative, request.Status);
        Assert.Equal(0, malu.ProcessPending()); // malu does not own the room: it never decides
        Assert.Equal(0, Count(_nodes.Store("malu"), MeetingTables.Decisions));

        _nodes.World.Sync("malu");
        Assert.Equal(BookingStatus.Tentative, hub.Get(request.Id)!.Status);
        Assert.Equal(1, hub.ProcessPending());
        _nodes.World.Sync("malu");

        Assert.Equal(BookingStatus.Confirmed, hub.Get(request.Id)!.Status);
        Assert.Equal(BookingStatus.Confirmed, malu.Get(request.Id)!.Status);
    }

    [Fact]
    public void TwoOfflineRequestsForTheSameSlot_ExactlyOneConfirmedAfterSync_FirstComeFirstServed()
    {
        var owner = _nodes.Meetings("guangshun");
        var room = owner.CreateRoom(new RoomInput { Name = "广顺镇大会议室" });
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        _nodes.World.Sync("xinhe");

        // Both townships book offline (no sync in between); malu asks one minute earlier.
        var early = _nodes.Meetings("malu").Book(Input(room.Id, BookingNodes.At(9), BookingNodes.At(11), "马路乡会议"), BookingNodes.Staff("wang", "malu"));
        _nodes.World.Time.Advance(TimeSpan.FromMinutes(1));
        var late = _nodes.Meetings("xinhe").Book(Input(room.Id, BookingNodes.At(10), BookingNodes.At(12), "新河乡会议"), BookingNodes.Staff("zhao", "xinhe"));
        Assert.Equal(BookingStatus.Tentative, early.Status);
        Assert.Equal(BookingStatus.Tentative, late.Status);

        // The later request reaches the hub first: arrival order does not matter, request time does.
        _nodes.World.Sync("xinhe");
        _nodes.World.Sync("malu");
        _nodes.World.Sync("guangshun");
        Assert.Equal(2, owner.ProcessPending());
        _nodes.World.SyncAll();

        // Each node sees the meetings in its scope: the room's node and the hub both, each requester its own.
        foreach (var node in new[] { "guangshun", "malu", "hub" }) Assert.Equal(BookingStatus.Confirmed, _nodes.Meetings(node).Get(early.Id)!.Status);
        foreach (var node in new[] { "guangshun", "xinhe", "hub" })
        {
            var lost = _nodes.Meetings(node).Get(late.Id)!;
            Assert.Equal(BookingStatus.Declined, lost.Status);
            Assert.Equal(BookingEngine.ReasonClash, lost.DeclineReason);
        }
        Assert.Null(_nodes.Meetings("xinhe").Get(early.Id));
        Assert.Single(_nodes.Meetings("hub").List(), m => m.RoomId == room.Id && m.Status == BookingStatus.Confirmed);
    }

    [Fact]
    public void RoomNeedingApproval_WaitsForDispatcher_OnlyTheRoomsNodeMayConfirm()
    {
        var owner = _nodes.Meetings("guangshun");
        var room = owner.CreateRoom(new RoomInput { Name = "党委会议室", NeedsApproval = true });
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        var malu = _nodes.Meetings("malu");
        var request = malu.Book(Input(room.Id, BookingNodes.At(9), BookingNodes.At(10)), BookingNodes.Staff("wang", "malu"));
        _nodes.World.Sync("malu");
        _nodes.World.Sync("guangshun");

        Assert.Equal(0, owner.ProcessPending());
        Assert.Single(owner.AwaitingApproval());
        Assert.Throws<OfficeForbiddenException>(() => malu.Decide(request.Id, true, null, BookingNodes.Staff("wang", "malu")));
        var decided = owner.Decide(request.Id, true, null, BookingNodes.Staff("chen", "guangshun"));
        Assert.Throws<OfficeValidationException>(() => owner.Decide(request.Id, false, "重复", BookingNodes.Staff("chen", "guangshun")));

        Assert.Equal(BookingStatus.Confirmed, decided.Status);
        Assert.Equal("chen", decided.DecidedBy);
        Assert.Empty(owner.AwaitingApproval());
    }

    [Fact]
    public void HubRules_TownshipCannotDecideForRoomsItDoesNotOwn_NorAlterOthersRequests()
    {
        var owner = _nodes.Meetings("guangshun");
        var room = owner.CreateRoom(new RoomInput { Name = "广顺镇大会议室" });
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        var malu = _nodes.Meetings("malu");
        var request = malu.Book(Input(room.Id, BookingNodes.At(9), BookingNodes.At(10)), BookingNodes.Staff("wang", "malu"));

        // malu forges a confirmation for guangshun's room straight into its store.
        var maluStore = _nodes.Store("malu");
        var forged = maluStore.Transact(w => BookingEngine.WriteDecision(w, MeetingTables.Kind, w.Get(MeetingTables.Meetings, request.Id)!,
            BookingEngine.Confirmed, null, "wang", _nodes.World.Time.GetUtcNow(), null));
        Assert.Equal(BookingStatus.Tentative, malu.Get(request.Id)!.Status); // readers ignore it even locally
        _nodes.World.Sync("malu");

        Assert.Null(_nodes.World.Hub.Get(MeetingTables.Decisions, forged.Id));
        var rules = new OfficeWriteRules();
        var module = new MeetingsModule();
        var decisions = _nodes.World.Schema[MeetingTables.Decisions];
        Assert.NotNull(rules.Check("malu", decisions, null, forged));

        // guangshun may decide its own room; it may not move malu's meeting or change its time.
        _nodes.World.Sync("guangshun");
        owner.ProcessPending();
        _nodes.World.Sync("guangshun");
        var hubRow = _nodes.World.Hub.Get(MeetingTables.Meetings, request.Id)!;
        var moved = hubRow.Clone();
        moved.Data["start_utc"] = BookingTime.Text(BookingNodes.At(8));
        Assert.NotNull(module.CheckWrite("malu", _nodes.World.Schema[MeetingTables.Meetings], hubRow, moved));
        var stolen = hubRow.Clone();
        stolen.Data["title"] = "改名";
        Assert.NotNull(module.CheckWrite("guangshun", _nodes.World.Schema[MeetingTables.Meetings], hubRow, stolen));
        var cancel = hubRow.Clone();
        cancel.Data["cancelled"] = 1L;
        Assert.Null(module.CheckWrite("malu", _nodes.World.Schema[MeetingTables.Meetings], hubRow, cancel));
        string decisionId;
        using (var conn = _nodes.World.Hub.OpenConnection())
        {
            decisionId = conn.ScalarString("SELECT id FROM mtg_decisions WHERE request_id = @r AND origin = 'guangshun'", null, ("@r", request.Id))!;
        }
        var ownDecision = _nodes.World.Hub.Get(MeetingTables.Decisions, decisionId)!;
        Assert.NotNull(module.CheckWrite("guangshun", decisions, ownDecision, ownDecision)); // append-only
        var attendance = _nodes.World.Schema[MeetingTables.Attendance];
        var signIn = new EGovEdge.Sync.Schema.SyncRow { Table = attendance.Name, Id = Guid.CreateVersion7().ToString(), Hlc = "x", Origin = "guangshun", Data = new JsonObject() };
        Assert.NotNull(module.CheckWrite("malu", attendance, null, signIn));
        Assert.Null(module.CheckWrite("guangshun", attendance, null, signIn));

        _nodes.World.Sync("malu");
        Assert.Equal(BookingStatus.Confirmed, malu.Get(request.Id)!.Status);
    }

    [Fact]
    public void ForgedRoomId_RefusedByHub()
    {
        var module = new MeetingsModule();
        var rooms = _nodes.World.Schema[MeetingTables.Rooms];
        var ownId = ResourceIds.New("malu", _nodes.World.Time.GetUtcNow());
        var row = new EGovEdge.Sync.Schema.SyncRow { Table = rooms.Name, Id = ownId, Hlc = "x", Origin = "malu", Data = new JsonObject { ["name"] = "x" } };
        var plain = new EGovEdge.Sync.Schema.SyncRow { Table = rooms.Name, Id = Guid.CreateVersion7().ToString(), Hlc = "x", Origin = "malu", Data = new JsonObject() };

        Assert.Null(module.CheckWrite("malu", rooms, null, row));
        Assert.NotNull(module.CheckWrite("malu", rooms, null, plain));
        Assert.True(ResourceIds.IsOwnedBy(ownId, "malu"));
        Assert.False(ResourceIds.IsOwnedBy(ownId, "guangshun"));
    }
}
