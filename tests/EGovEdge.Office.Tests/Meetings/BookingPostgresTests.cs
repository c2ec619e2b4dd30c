using EGovEdge.Office.Booking;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Vehicles;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using EGovEdge.Testing;
using Npgsql;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>
/// The booking SQL on a PostgreSQL hub (the county hub may run on PostgreSQL): a fresh database on the server named by
/// EGOV_TEST_PG (tests/run.sh starts a throwaway cluster and sets it). Without EGOV_TEST_PG the test fails; it never skips.
/// </summary>
public sealed class BookingPostgresTests : IDisposable
{
    private readonly (string Name, string ConnectionString) _db = TestPostgres.CreateDatabase(); // fails without EGOV_TEST_PG
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "egov-mtg-pg-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _providers = [];

    public BookingPostgresTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        foreach (var p in _providers) p.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        TestPostgres.DropDatabase(_db.Name);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private IServiceProvider For(ILocalStore store)
    {
        var sp = new ServiceCollection().AddLogging().AddLocalization().AddSingleton(store).AddSingleton<TimeProvider>(_time)
            .AddSingleton<INoticeSender>(new RecordingNoticeSender()).AddSingleton<MeetingService>().AddSingleton<VehicleService>().BuildServiceProvider();
        _providers.Add(sp);
        return sp;
    }

    private static void Sync(EdgeStore edge, HubStore hub, int version)
    {
        while (edge.ReadPending(500, version) is { } batch) edge.AckPush(batch, hub.ApplyPush(edge.NodeId, batch));
        while (true)
        {
            var page = hub.Pull(edge.NodeId, new PullRequest { NodeId = edge.NodeId, SchemaVersion = version, Cursor = edge.PullCursor, Limit = 500 });
            edge.ApplyPulled(page);
            if (!page.HasMore) break;
        }
    }

    [Fact]
    public void PostgresHub_DecidesRemoteRequests_FirstComeFirstServed_AndReadsEverything()
    {
        var schema = OfficeSchema.Create();
        var hub = new HubStore(new PostgresHubDatabase(_db.ConnectionString), schema, _time, new OfficeWriteRules());
        var malu = new EdgeStore(Path.Combine(_dir, "malu.db"), "malu", schema, _time);
        var xinhe = new EdgeStore(Path.Combine(_dir, "xinhe.db"), "xinhe", schema, _time);
        var hubMeetings = For(hub).GetRequiredService<MeetingService>();
        var hubVehicles = For(hub).GetRequiredService<VehicleService>();
        var room = hubMeetings.CreateRoom(new RoomInput { Name = "县政府第一会议室" });
        var car = hubVehicles.CreateVehicle(new VehicleInput { Plate = "贵A·县001", OdometerKm = 10 });
        hubVehicles.CreateDriver(new DriverInput { Username = "liu", Name = "刘师傅" });
        Sync(malu, hub, schema.Version);
        Sync(xinhe, hub, schema.Version);

        var early = For(malu).GetRequiredService<MeetingService>().Book(new MeetingInput
        {
            RoomId = room.Id, Title = "马路乡汇报", Start = BookingNodes.At(9), End = BookingNodes.At(11), AttendeeUnits = ["malu"],
        }, BookingNodes.Staff("wang", "malu"));
        var trip = For(malu).GetRequiredService<VehicleService>().Request(new VehicleRequestInput
        {
            VehicleId = car.Id, Start = BookingNodes.At(8), End = BookingNodes.At(12), Purpose = "进城汇报",
        }, BookingNodes.Staff("wang", "malu"));
        _time.Advance(TimeSpan.FromMinutes(1));
        var late = For(xinhe).GetRequiredService<MeetingService>().Book(new MeetingInput
        {
            RoomId = room.Id, Title = "新河乡汇报", Start = BookingNodes.At(10), End = BookingNodes.At(12),
        }, BookingNodes.Staff("zhao", "xinhe"));
        Sync(xinhe, hub, schema.Version);
        Sync(malu, hub, schema.Version);

        Assert.Equal(2, hubMeetings.ProcessPending());
        Assert.Equal(0, hubMeetings.ProcessPending());
        Assert.Single(hubVehicles.AwaitingApproval());
        hubVehicles.Approve(trip.Id, "liu", BookingNodes.Staff("chen", "hub"));
        _time.SetUtcNow(BookingNodes.At(8, 30));
        hubVehicles.ReportTrip(trip.Id, new TripReportInput { Kind = "start", OdometerKm = 20 }, BookingNodes.Staff("liu", "hub"));
        var key = hubMeetings.RegenerateFeedKey(BookingNodes.Staff("wang", "malu"));

        Assert.Equal(BookingStatus.Confirmed, hubMeetings.Get(early.Id)!.Status);
        Assert.Equal(BookingStatus.Declined, hubMeetings.Get(late.Id)!.Status);
        Assert.Equal([early.Id], hubMeetings.List(null, null, "someone", "malu").Select(m => m.Id));
        Assert.Equal(2, hubMeetings.List(BookingNodes.At(0), BookingNodes.At(23)).Count);
        Assert.True(hubMeetings.FeedKeyValid("wang", key));
        var board = Assert.Single(hubVehicles.Board());
        Assert.Equal(("on_trip", 20L), (board.State, board.OdometerKm));
        Assert.Single(hubVehicles.TripsOf("liu"));
        Sync(malu, hub, schema.Version);
        Assert.Equal(BookingStatus.Confirmed, For(malu).GetRequiredService<VehicleService>().GetRequest(trip.Id)!.Status);
    }
}
