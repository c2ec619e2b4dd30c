using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Tests.Meetings;
using EGovEdge.Office.Vehicles;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Tests.Vehicles;

/// <summary>Vehicle requests on real SQLite stores: approval only at the vehicle's node, clashes, dispatch, trips, maintenance.</summary>
public sealed class VehicleBookingTests : IDisposable
{
    private readonly BookingNodes _nodes = new();

    public void Dispose() => _nodes.Dispose();

    private static VehicleRequestInput Input(string vehicleId, DateTimeOffset start, DateTimeOffset end, string purpose = "下村检查") =>
        new() { VehicleId = vehicleId, Start = start, End = end, Purpose = purpose, Destination = "高寨村", Passengers = 3 };

    [Fact]
    public void AtOwnerNode_RequestWaitsForApproval_ClashRefusedAtOnce_ApprovalDispatchesDriver()
    {
        var svc = _nodes.Vehicles("guangshun");
        var car = svc.CreateVehicle(new VehicleInput { Plate = "贵A·12345", Model = "别克GL8", Seats = 7, OdometerKm = 52000 });
        svc.CreateDriver(new DriverInput { Username = "liu", Name = "刘师傅", LicenseExpiry = "2030-01-01" });
        var li = BookingNodes.Staff("li", "guangshun");

        var first = svc.Request(Input(car.Id, BookingNodes.At(8), BookingNodes.At(12)), li);
        Assert.Equal(BookingStatus.Tentative, first.Status);
        Assert.Equal(0, svc.ProcessPending()); // nothing clashes yet: it waits for a dispatcher
        var approved = svc.Approve(first.Id, "liu", BookingNodes.Staff("chen", "guangshun"));
        var clash = Assert.Throws<OfficeValidationException>(() => svc.Request(Input(car.Id, BookingNodes.At(11), BookingNodes.At(13)), li));

        Assert.Equal(BookingStatus.Confirmed, approved.Status);
        Assert.Equal("liu", approved.Driver);
        Assert.Contains("start", clash.Errors.Keys);
        Assert.Contains(_nodes.Notices.Sent, n => n.Users.Contains("li") && n.Title.Contains("贵A·12345", StringComparison.Ordinal));
        Assert.Single(svc.TripsOf("liu"));
    }

    [Fact]
    public void Approval_RefusesBusyDriver_ExpiredLicence_VehicleInShop()
    {
        var svc = _nodes.Vehicles("guangshun");
        var car1 = svc.CreateVehicle(new VehicleInput { Plate = "贵A·00001" });
        var car2 = svc.CreateVehicle(new VehicleInput { Plate = "贵A·00002" });
        svc.CreateDriver(new DriverInput { Username = "liu", Name = "刘师傅", LicenseExpiry = "2030-01-01" });
        svc.CreateDriver(new DriverInput { Username = "old", Name = "老周", LicenseExpiry = "2026-11-01" });
        var li = BookingNodes.Staff("li", "guangshun");
        var chen = BookingNodes.Staff("chen", "guangshun");
        var a = svc.Request(Input(car1.Id, BookingNodes.At(8), BookingNodes.At(12)), li);
        var b = svc.Request(Input(car2.Id, BookingNodes.At(10), BookingNodes.At(14)), li);
        svc.Approve(a.Id, "liu", chen);

        Assert.Contains("driver", Assert.Throws<OfficeValidationException>(() => svc.Approve(b.Id, "liu", chen)).Errors.Keys);
        Assert.Contains("driver", Assert.Throws<OfficeValidationException>(() => svc.Approve(b.Id, "old", chen)).Errors.Keys);
        svc.UpdateVehicle(car2.Id, new VehicleInput { Plate = "贵A·00002", Status = VehicleTables.StatusInShop });
        Assert.Contains("vehicleId", Assert.Throws<OfficeValidationException>(() => svc.Approve(b.Id, null, chen)).Errors.Keys);
        Assert.Equal(BookingStatus.Tentative, svc.GetRequest(b.Id)!.Status);
        Assert.Equal(1, svc.ProcessPending()); // the in-shop vehicle's pending request is declined
        Assert.Equal(BookingEngine.ReasonUnavailable, svc.GetRequest(b.Id)!.DeclineReason);
    }

    [Fact]
    public void TwoOfflineRequestsForTheSameVehicle_ExactlyOneConfirmedAfterSync()
    {
        var owner = _nodes.Vehicles("hub");
        var car = owner.CreateVehicle(new VehicleInput { Plate = "贵A·县001" });
        _nodes.World.Sync("malu");
        _nodes.World.Sync("xinhe");

        var early = _nodes.Vehicles("malu").Request(Input(car.Id, BookingNodes.At(8), BookingNodes.At(12), "马路乡防汛"), BookingNodes.Staff("wang", "malu"));
        _nodes.World.Time.Advance(TimeSpan.FromMinutes(2));
        var late = _nodes.Vehicles("xinhe").Request(Input(car.Id, BookingNodes.At(9), BookingNodes.At(10), "新河乡调研"), BookingNodes.Staff("zhao", "xinhe"));
        Assert.Equal(BookingStatus.Tentative, early.Status);
        Assert.Equal(BookingStatus.Tentative, late.Status);
        Assert.Throws<OfficeForbiddenException>(() => _nodes.Vehicles("malu").Approve(early.Id, null, BookingNodes.Staff("wang", "malu")));

        _nodes.World.Sync("xinhe");
        _nodes.World.Sync("malu");
        var pending = owner.AwaitingApproval();
        Assert.Equal([early.Id, late.Id], pending.Select(p => p.Id)); // first come first served by request time
        owner.Approve(pending[0].Id, null, BookingNodes.Staff("chen", "hub"));
        Assert.Throws<OfficeValidationException>(() => owner.Approve(late.Id, null, BookingNodes.Staff("chen", "hub")));
        Assert.Equal(1, owner.ProcessPending());
        _nodes.World.SyncAll();

        Assert.Equal(BookingStatus.Confirmed, _nodes.Vehicles("malu").GetRequest(early.Id)!.Status);
        var lost = _nodes.Vehicles("xinhe").GetRequest(late.Id)!;
        Assert.Equal(BookingStatus.Declined, lost.Status);
        Assert.Equal(BookingEngine.ReasonClash, lost.DeclineReason);
        Assert.Single(owner.Requests(), r => r.Status == BookingStatus.Confirmed);
    }

    [Fact]
    public void DriverReportsTrip_OdometerChecked_StatusBoardFollows()
    {
        var svc = _nodes.Vehicles("guangshun");
        var car = svc.CreateVehicle(new VehicleInput { Plate = "贵A·12345", OdometerKm = 1000 });
        svc.CreateDriver(new DriverInput { Username = "liu", Name = "刘师傅" });
        var r = svc.Request(Input(car.Id, BookingNodes.At(8), BookingNodes.At(12)), BookingNodes.Staff("li", "guangshun"));
        svc.Approve(r.Id, "liu", BookingNodes.Staff("chen", "guangshun"));
        var liu = BookingNodes.Staff("liu", "guangshun");

        Assert.Throws<OfficeForbiddenException>(() => svc.ReportTrip(r.Id, new TripReportInput { Kind = "start", OdometerKm = 1001 }, BookingNodes.Staff("zhang", "guangshun")));
        Assert.Throws<OfficeValidationException>(() => svc.ReportTrip(r.Id, new TripReportInput { Kind = "start", OdometerKm = 900 }, liu));
        svc.ReportTrip(r.Id, new TripReportInput { Kind = "start", OdometerKm = 1010 }, liu);
        Assert.Equal("on_trip", svc.Board().Single().State);
        Assert.Throws<OfficeValidationException>(() => svc.ReportTrip(r.Id, new TripReportInput { Kind = "finish", OdometerKm = 1005 }, liu));
        svc.ReportTrip(r.Id, new TripReportInput { Kind = "finish", OdometerKm = 1086, FuelLiters = "20" }, liu);

        var status = svc.Board().Single();
        Assert.Equal("available", status.State);
        Assert.Equal(1086, status.OdometerKm);
        Assert.Equal(76, svc.GetRequest(r.Id)!.FinishKm - svc.GetRequest(r.Id)!.StartKm);
        Assert.Empty(svc.TripsOf("liu"));
    }

    [Fact]
    public void Maintenance_PlanDueByKm_ShowsOnBoard_RecordFulfilsIt()
    {
        var svc = _nodes.Vehicles("guangshun");
        var car = svc.CreateVehicle(new VehicleInput { Plate = "贵A·12345", OdometerKm = 9800 });
        var chen = BookingNodes.Staff("chen", "guangshun");
        var plan = svc.AddMaintenance(car.Id, new MaintenanceInput { Kind = "plan", Item = "一万公里保养", DueKm = 10000 }, chen);
        Assert.True(plan.Due);
        Assert.Equal("maintenance_due", svc.Board().Single().State);

        svc.AddMaintenance(car.Id, new MaintenanceInput { Kind = "record", Item = "一万公里保养", OdometerKm = 9850, Vendor = "定点维修厂", CostYuan = "680", PlanId = plan.Id }, chen);

        Assert.Equal("available", svc.Board().Single().State);
        Assert.True(svc.Maintenance(car.Id).Single(m => m.Id == plan.Id).Done);
        Assert.Equal(9850, svc.CurrentOdometer(car.Id));
    }

    [Fact]
    public void HubRules_ForgedApproval_EditedRequest_AndChangedTripReport_AreRefused()
    {
        var owner = _nodes.Vehicles("guangshun");
        var car = owner.CreateVehicle(new VehicleInput { Plate = "贵A·12345" });
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        var r = _nodes.Vehicles("malu").Request(Input(car.Id, BookingNodes.At(8), BookingNodes.At(12)), BookingNodes.Staff("wang", "malu"));
        var maluStore = _nodes.Store("malu");
        var forged = maluStore.Transact(w => BookingEngine.WriteDecision(w, VehicleTables.Kind, w.Get(VehicleTables.Requests, r.Id)!,
            BookingEngine.Confirmed, null, "wang", _nodes.World.Time.GetUtcNow(), null));
        _nodes.World.Sync("malu");

        Assert.Null(_nodes.World.Hub.Get(VehicleTables.Decisions, forged.Id));
        Assert.Equal(BookingStatus.Tentative, _nodes.Vehicles("hub").GetRequest(r.Id)!.Status);
        var module = new VehiclesModule();
        var requests = _nodes.World.Schema[VehicleTables.Requests];
        var held = _nodes.World.Hub.Get(VehicleTables.Requests, r.Id)!;
        var moved = held.Clone();
        moved.Data["start_utc"] = BookingTime.Text(BookingNodes.At(6));
        Assert.NotNull(module.CheckWrite("malu", requests, held, moved));
        Assert.NotNull(module.CheckWrite("guangshun", requests, held, held));
        var trips = _nodes.World.Schema[VehicleTables.Trips];
        var trip = new SyncRow { Table = trips.Name, Id = Guid.CreateVersion7().ToString(), Hlc = "x", Origin = "guangshun", Data = new JsonObject() };
        Assert.Null(module.CheckWrite("guangshun", trips, null, trip));
        Assert.NotNull(module.CheckWrite("guangshun", trips, trip, trip));

        // The forged decision was withdrawn at malu; the real one arrives from the vehicle's node.
        _nodes.World.Sync("guangshun");
        owner.Approve(r.Id, null, BookingNodes.Staff("chen", "guangshun"));
        _nodes.World.Sync("guangshun");
        _nodes.World.Sync("malu");
        Assert.Equal(BookingStatus.Confirmed, _nodes.Vehicles("malu").GetRequest(r.Id)!.Status);
    }

    [Fact]
    public void WorkSource_CountsRequestsToApprove_AndTripsToDrive()
    {
        var svc = _nodes.Vehicles("guangshun");
        var car = svc.CreateVehicle(new VehicleInput { Plate = "贵A·12345" });
        svc.CreateDriver(new DriverInput { Username = "liu", Name = "刘师傅" });
        var a = svc.Request(Input(car.Id, BookingNodes.At(8), BookingNodes.At(9)), BookingNodes.Staff("li", "guangshun"));
        svc.Request(Input(car.Id, BookingNodes.At(10), BookingNodes.At(11)), BookingNodes.Staff("li", "guangshun"));
        svc.Approve(a.Id, "liu", BookingNodes.Staff("chen", "guangshun"));
        var text = (Microsoft.Extensions.Localization.IStringLocalizer<EGovEdge.Office.Localization.VehicleText>)_nodes.Services("guangshun")
            .GetService(typeof(Microsoft.Extensions.Localization.IStringLocalizer<EGovEdge.Office.Localization.VehicleText>))!;
        var source = new VehicleWorkSource(svc, text);

        var clerk = source.For(BookingNodes.Principal("chen", "guangshun", Roles.Clerk)).Single();
        var driver = source.For(BookingNodes.Principal("liu", "guangshun", Roles.Driver)).Single();

        Assert.Equal(("vehicles.approve", 1), (clerk.Key, clerk.Count));
        Assert.Equal(("vehicles.drive", 1), (driver.Key, driver.Count));
    }
}
