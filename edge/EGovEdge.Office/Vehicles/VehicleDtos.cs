using System.Text.Json;
using System.Text.Json.Serialization;
using EGovEdge.Office.Booking;

namespace EGovEdge.Office.Vehicles;

public sealed class VehicleInput
{
    public string? Plate { get; set; }
    public string? Model { get; set; }
    public int? Seats { get; set; }

    /// <summary>available, in_shop or retired.</summary>
    public string? Status { get; set; }
    public long? OdometerKm { get; set; }
}

public sealed class VehicleDto
{
    public required string Id { get; init; }
    public required string Plate { get; init; }
    public string? Model { get; init; }
    public int Seats { get; init; }
    public required string Status { get; init; }
    public long OdometerKm { get; init; }
    public required string OwnerNode { get; init; }
}

public sealed class DriverInput
{
    public string? Username { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }

    /// <summary>Licence valid until (yyyy-MM-dd).</summary>
    public string? LicenseExpiry { get; set; }

    /// <summary>available, off_duty or leave.</summary>
    public string? Status { get; set; }
}

public sealed class DriverDto
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string Name { get; init; }
    public string? Phone { get; init; }
    public string? LicenseExpiry { get; init; }
    public required string Status { get; init; }
    public required string OwnerNode { get; init; }
}

public sealed class VehicleRequestInput
{
    public string? VehicleId { get; set; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public string? Purpose { get; set; }
    public string? Destination { get; set; }
    public int? Passengers { get; set; }
}

public sealed class VehicleRequestDto
{
    public required string Id { get; init; }
    public required string VehicleId { get; init; }
    public string Plate { get; init; } = "";
    public required string VehicleNode { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public required string Purpose { get; init; }
    public string? Destination { get; init; }
    public int Passengers { get; init; }
    public required string RequestedBy { get; init; }
    public string? RequesterName { get; init; }
    public DateTimeOffset RequestedUtc { get; init; }
    public required string OriginNode { get; init; }
    public BookingStatus Status { get; init; }
    public string? DeclineReason { get; init; }
    public string? DecidedBy { get; init; }
    public string? Driver { get; init; }

    /// <summary>none, started or finished.</summary>
    public string TripState { get; init; } = "none";
    public long? StartKm { get; init; }
    public long? FinishKm { get; init; }
}

public sealed class ApproveInput
{
    public string? Driver { get; set; }
}

public sealed class DeclineInput
{
    public string? Reason { get; set; }
}

public sealed class TripReportInput
{
    /// <summary>start or finish.</summary>
    public string? Kind { get; set; }
    public long? OdometerKm { get; set; }
    public string? FuelLiters { get; set; }
    public string? CostYuan { get; set; }
    public string? Note { get; set; }
}

public sealed class TripReportDto
{
    public required string Id { get; init; }
    public required string RequestId { get; init; }
    public required string Kind { get; init; }
    public long OdometerKm { get; init; }
    public string? FuelLiters { get; init; }
    public string? CostYuan { get; init; }
    public string? Note { get; init; }
    public required string ReportedBy { get; init; }
    public DateTimeOffset ReportedUtc { get; init; }
}

public sealed class MaintenanceInput
{
    /// <summary>plan (a service due by date and/or km) or record (work done).</summary>
    public string? Kind { get; set; }
    public string? Item { get; set; }
    public DateTimeOffset? DueUtc { get; set; }
    public long? DueKm { get; set; }
    public DateTimeOffset? DoneUtc { get; set; }
    public long? OdometerKm { get; set; }
    public string? Vendor { get; set; }
    public string? CostYuan { get; set; }

    /// <summary>The plan a record fulfils.</summary>
    public string? PlanId { get; set; }
}

public sealed class MaintenanceDto
{
    public required string Id { get; init; }
    public required string VehicleId { get; init; }
    public required string Kind { get; init; }
    public required string Item { get; init; }
    public DateTimeOffset? DueUtc { get; init; }
    public long? DueKm { get; init; }
    public DateTimeOffset? DoneUtc { get; init; }
    public long? OdometerKm { get; init; }
    public string? Vendor { get; init; }
    public string? CostYuan { get; init; }
    public string? PlanId { get; init; }

    /// <summary>For a plan: a record fulfils it.</summary>
    public bool Done { get; init; }

    /// <summary>For an open plan: due within 7 days or 500 km, or overdue.</summary>
    public bool Due { get; init; }
}

/// <summary>One vehicle at a glance.</summary>
public sealed class VehicleStatusDto
{
    public required VehicleDto Vehicle { get; init; }

    /// <summary>retired, in_shop, on_trip, booked (a confirmed booking now), maintenance_due or available.</summary>
    public required string State { get; init; }
    public long OdometerKm { get; init; }
    public VehicleRequestDto? Current { get; init; }
    public VehicleRequestDto? Next { get; init; }
    public int MaintenanceDue { get; init; }
}

public sealed class VehicleDetail
{
    public required VehicleStatusDto Status { get; init; }
    public IReadOnlyList<VehicleRequestDto> Bookings { get; init; } = [];
    public IReadOnlyList<MaintenanceDto> Maintenance { get; init; } = [];
    public IReadOnlyList<TripReportDto> Trips { get; init; } = [];
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(VehicleInput))]
[JsonSerializable(typeof(VehicleDto))]
[JsonSerializable(typeof(List<VehicleDto>))]
[JsonSerializable(typeof(DriverInput))]
[JsonSerializable(typeof(DriverDto))]
[JsonSerializable(typeof(List<DriverDto>))]
[JsonSerializable(typeof(VehicleRequestInput))]
[JsonSerializable(typeof(VehicleRequestDto))]
[JsonSerializable(typeof(List<VehicleRequestDto>))]
[JsonSerializable(typeof(ApproveInput))]
[JsonSerializable(typeof(DeclineInput))]
[JsonSerializable(typeof(TripReportInput))]
[JsonSerializable(typeof(TripReportDto))]
[JsonSerializable(typeof(MaintenanceInput))]
[JsonSerializable(typeof(MaintenanceDto))]
[JsonSerializable(typeof(List<VehicleStatusDto>))]
[JsonSerializable(typeof(VehicleDetail))]
public sealed partial class VehicleJsonContext : JsonSerializerContext;
