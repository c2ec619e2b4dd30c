using EGovEdge.Office.Booking;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Vehicles;

/// <summary>The replicated tables of the Vehicles module.</summary>
public static class VehicleTables
{
    public const string Vehicles = "veh_vehicles";
    public const string Drivers = "veh_drivers";
    public const string Requests = "veh_requests";
    public const string Decisions = "veh_decisions";
    public const string Trips = "veh_trips";
    public const string Maintenance = "veh_maintenance";

    public static readonly BookingKind Kind = new(Requests, Decisions, Vehicles);

    /// <summary>Vehicles; a vehicle belongs to the node that registered it (its origin), the only node that approves its use.</summary>
    public static readonly SyncTable VehiclesDefinition = new(
        Vehicles,
        [
            new SyncColumn("plate", Required: true),
            new SyncColumn("model"),
            new SyncColumn("seats", SyncColumnType.Integer),
            new SyncColumn("status", Required: true),
            new SyncColumn("odometer_km", SyncColumnType.Integer),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone);

    /// <summary>Drivers of this node's vehicles (a driver is also a staff account with the driver role).</summary>
    public static readonly SyncTable DriversDefinition = new(
        Drivers,
        [
            new SyncColumn("username", Required: true),
            new SyncColumn("name", Required: true),
            new SyncColumn("phone"),
            new SyncColumn("license_expiry"),
            new SyncColumn("status", Required: true),
        ],
        row => Scopes.Of([row.Origin, NodeIds.Hub]),
        ["ix_veh_drivers_username(username)"]);

    /// <summary>Requests to use a vehicle, owned by the requesting node; tentative until the vehicle's node approves.</summary>
    public static readonly SyncTable RequestsDefinition = new(
        Requests,
        [
            .. BookingEngine.RequestColumns,
            new SyncColumn("purpose", Required: true),
            new SyncColumn("destination"),
            new SyncColumn("passengers", SyncColumnType.Integer),
            new SyncColumn("requester_name"),
        ],
        row => Audience.Scope(row, "resource_node", "audience"),
        ["ix_veh_requests_vehicle(resource_id, start_utc)", "ix_veh_requests_start(start_utc)"]);

    /// <summary>Approvals (with the dispatched driver) and refusals by the vehicle's node, append-only.</summary>
    public static readonly SyncTable DecisionsDefinition = BookingEngine.DecisionsTable(Decisions);

    /// <summary>Trip start and finish reported by the driver (odometer, fuel, cost), append-only.</summary>
    public static readonly SyncTable TripsDefinition = new(
        Trips,
        [
            new SyncColumn("request_id", Required: true),
            new SyncColumn("vehicle_id", Required: true),
            new SyncColumn("kind", Required: true),
            new SyncColumn("odometer_km", SyncColumnType.Integer),
            new SyncColumn("fuel_liters"),
            new SyncColumn("cost_yuan"),
            new SyncColumn("note"),
            new SyncColumn("reported_by", Required: true),
            new SyncColumn("reported_utc", Required: true),
            new SyncColumn("audience"),
        ],
        row => Audience.Scope(row, "audience"),
        ["ix_veh_trips_request(request_id)", "ix_veh_trips_vehicle(vehicle_id, reported_utc)"]);

    /// <summary>Maintenance plans (due by date and/or km) and records (done, odometer, vendor, cost), append-only.</summary>
    public static readonly SyncTable MaintenanceDefinition = new(
        Maintenance,
        [
            new SyncColumn("vehicle_id", Required: true),
            new SyncColumn("kind", Required: true),
            new SyncColumn("item", Required: true),
            new SyncColumn("due_utc"),
            new SyncColumn("due_km", SyncColumnType.Integer),
            new SyncColumn("done_utc"),
            new SyncColumn("odometer_km", SyncColumnType.Integer),
            new SyncColumn("vendor"),
            new SyncColumn("cost_yuan"),
            new SyncColumn("plan_id"),
            new SyncColumn("recorded_by", Required: true),
            new SyncColumn("recorded_utc", Required: true),
        ],
        row => Scopes.Of([row.Origin, NodeIds.Hub]),
        ["ix_veh_maintenance_vehicle(vehicle_id)"]);

    public static IReadOnlyList<SyncTable> All =>
        [VehiclesDefinition, DriversDefinition, RequestsDefinition, DecisionsDefinition, TripsDefinition, MaintenanceDefinition];

    /// <summary>Vehicle states kept on the vehicle row (the rest is derived).</summary>
    public const string StatusAvailable = "available";
    public const string StatusInShop = "in_shop";
    public const string StatusRetired = "retired";

    /// <summary>Driver states.</summary>
    public const string DriverAvailable = "available";
    public const string DriverOffDuty = "off_duty";
    public const string DriverOnLeave = "leave";

    public const string TripStart = "start";
    public const string TripFinish = "finish";

    public const string MaintenancePlan = "plan";
    public const string MaintenanceRecord = "record";
}
