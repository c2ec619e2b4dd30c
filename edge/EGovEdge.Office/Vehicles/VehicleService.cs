using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Vehicles;

/// <summary>
/// Vehicles, drivers, requests, dispatch, trips and maintenance at this node. A request is owned by the node where it
/// was made; only the vehicle's node approves it (dispatching a driver), clash-checked in the same serialised write
/// transaction; elsewhere or offline a request stays tentative until then.
/// </summary>
public sealed class VehicleService(ILocalStore store, TimeProvider time, IStringLocalizer<VehicleText> text, IServiceProvider services)
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(14);
    public const string SystemActor = "system";
    public const long DueSoonKm = 500;
    public static readonly TimeSpan DueSoon = TimeSpan.FromDays(7);

    private static BookingKind Kind => VehicleTables.Kind;

    public string NodeId => store.NodeId;

    private DateTimeOffset Now => time.GetUtcNow();

    private INoticeSender? Notices => services.GetService<INoticeSender>();

    private static OfficeValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    // ---------------------------------------------------------------- vehicles and drivers

    public VehicleDto CreateVehicle(VehicleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = VehicleData(input);
        data["created_utc"] = BookingTime.Text(Now);
        return ToVehicle(store.Put(VehicleTables.Vehicles, ResourceIds.New(store.NodeId, Now), data));
    }

    public VehicleDto? UpdateVehicle(string id, VehicleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var existing = store.Get(VehicleTables.Vehicles, id);
        if (existing is null || existing.Deleted) return null;
        if (existing.Origin != store.NodeId) throw new OfficeForbiddenException(text["Val_VehicleNotOwner"]);
        var row = store.Update(VehicleTables.Vehicles, id, VehicleData(input));
        return row is null ? null : ToVehicle(row);
    }

    private JsonObject VehicleData(VehicleInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var plate = input.Plate?.Trim();
        if (string.IsNullOrEmpty(plate)) errors["plate"] = [text["Val_PlateRequired"]];
        else if (plate.Length > 20) errors["plate"] = [text["Val_TooLong"]];
        var status = string.IsNullOrEmpty(input.Status) ? VehicleTables.StatusAvailable : input.Status;
        if (status is not (VehicleTables.StatusAvailable or VehicleTables.StatusInShop or VehicleTables.StatusRetired)) errors["status"] = [text["Val_StatusUnknown"]];
        if (input.Seats is < 0 or > 100) errors["seats"] = [text["Val_Seats"]];
        if (input.OdometerKm is < 0) errors["odometerKm"] = [text["Val_Odometer"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        return new JsonObject
        {
            ["plate"] = plate,
            ["model"] = input.Model?.Trim() ?? "",
            ["seats"] = (long)(input.Seats ?? 5),
            ["status"] = status,
            ["odometer_km"] = input.OdometerKm ?? 0,
        };
    }

    public List<VehicleDto> Vehicles()
    {
        using var conn = store.OpenConnection();
        return BookingEngine.Select(conn, null, store.Schema[VehicleTables.Vehicles], "WHERE r.deleted = 0 ORDER BY r.plate, r.id").Select(ToVehicle).ToList();
    }

    public VehicleDto? Vehicle(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        var row = store.Get(VehicleTables.Vehicles, id);
        return row is null || row.Deleted ? null : ToVehicle(row);
    }

    private static VehicleDto ToVehicle(SyncRow r) => new()
    {
        Id = r.Id,
        Plate = r.Text("plate") ?? "",
        Model = r.Text("model"),
        Seats = (int)(r.Integer("seats") ?? 0),
        Status = r.Text("status") ?? VehicleTables.StatusAvailable,
        OdometerKm = r.Integer("odometer_km") ?? 0,
        OwnerNode = r.Origin,
    };

    public DriverDto CreateDriver(DriverInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ToDriver(store.Insert(VehicleTables.Drivers, DriverData(input)));
    }

    public DriverDto? UpdateDriver(string id, DriverInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var existing = store.Get(VehicleTables.Drivers, id);
        if (existing is null || existing.Deleted) return null;
        if (existing.Origin != store.NodeId) throw new OfficeForbiddenException(text["Val_VehicleNotOwner"]);
        var row = store.Update(VehicleTables.Drivers, id, DriverData(input));
        return row is null ? null : ToDriver(row);
    }

    private JsonObject DriverData(DriverInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var username = input.Username?.Trim();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(username)) errors["username"] = [text["Val_DriverUsername"]];
        if (string.IsNullOrEmpty(name)) errors["name"] = [text["Val_DriverName"]];
        if (!string.IsNullOrEmpty(input.LicenseExpiry) &&
            !DateOnly.TryParseExact(input.LicenseExpiry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors["licenseExpiry"] = [text["Val_LicenseDate"]];
        }
        var status = string.IsNullOrEmpty(input.Status) ? VehicleTables.DriverAvailable : input.Status;
        if (status is not (VehicleTables.DriverAvailable or VehicleTables.DriverOffDuty or VehicleTables.DriverOnLeave)) errors["status"] = [text["Val_StatusUnknown"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        return new JsonObject
        {
            ["username"] = username,
            ["name"] = name,
            ["phone"] = input.Phone?.Trim() ?? "",
            ["license_expiry"] = input.LicenseExpiry ?? "",
            ["status"] = status,
        };
    }

    /// <summary>Drivers of this node (the ones it can dispatch).</summary>
    public List<DriverDto> Drivers()
    {
        using var conn = store.OpenConnection();
        return BookingEngine.Select(conn, null, store.Schema[VehicleTables.Drivers], "WHERE r.deleted = 0 AND r.origin = @me ORDER BY r.name, r.id",
            ("@me", store.NodeId)).Select(ToDriver).ToList();
    }

    private static DriverDto ToDriver(SyncRow r) => new()
    {
        Id = r.Id,
        Username = r.Text("username") ?? "",
        Name = r.Text("name") ?? "",
        Phone = r.Text("phone"),
        LicenseExpiry = r.Text("license_expiry"),
        Status = r.Text("status") ?? VehicleTables.DriverAvailable,
        OwnerNode = r.Origin,
    };

    // ---------------------------------------------------------------- requests and decisions

    /// <summary>
    /// Requests a vehicle. At the vehicle's node a clash with a confirmed booking (or a vehicle in the shop or retired)
    /// is refused at once; otherwise the request is stored, tentative until a dispatcher there approves it.
    /// </summary>
    public VehicleRequestDto Request(VehicleRequestInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var vehicle = input.VehicleId is { } vid && Guid.TryParse(vid, out _) ? store.Get(VehicleTables.Vehicles, vid) : null;
        if (vehicle is null || vehicle.Deleted) errors["vehicleId"] = [text["Val_VehicleUnknown"]];
        var purpose = input.Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose)) errors["purpose"] = [text["Val_PurposeRequired"]];
        else if (purpose.Length > 500) errors["purpose"] = [text["Val_TooLong"]];
        if (input.Passengers is < 0 or > 100) errors["passengers"] = [text["Val_Seats"]];
        if (input.Start is null) errors["start"] = [text["Val_StartRequired"]];
        if (input.End is null) errors["end"] = [text["Val_EndRequired"]];
        if (input.Start is { } s && input.End is { } e)
        {
            if (e <= s) errors["end"] = [text["Val_EndBeforeStart"]];
            else if (e - s > MaxDuration) errors["end"] = [text["Val_TooLongTrip"]];
        }
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var now = Now;
        return store.Transact(w =>
        {
            var row = w.Insert(VehicleTables.Requests, new JsonObject
            {
                ["resource_id"] = vehicle!.Id,
                ["resource_node"] = vehicle.Origin,
                ["start_utc"] = BookingTime.Text(input.Start!.Value),
                ["end_utc"] = BookingTime.Text(input.End!.Value),
                ["requested_by"] = actor.Username,
                ["requested_utc"] = BookingTime.Text(now),
                ["cancelled"] = 0L,
                ["audience"] = Audience.Encode([actor.Unit]),
                ["purpose"] = purpose,
                ["destination"] = input.Destination?.Trim() ?? "",
                ["passengers"] = (long)(input.Passengers ?? 1),
                ["requester_name"] = actor.DisplayName,
            });
            if (vehicle.Origin == w.NodeId)
            {
                if (Unavailable(row, vehicle) is not null) throw Invalid("vehicleId", text["Reason_Unavailable"]);
                if (BookingEngine.Clashes(w.Connection, w.Transaction, Kind, vehicle.Id, row.Text("start_utc")!, row.Text("end_utc")!, row.Id).Count > 0)
                {
                    throw Invalid("start", text["Val_Clash"]);
                }
            }
            return ToDto(w.Connection, w.Transaction, row);
        });
    }

    private static string? Unavailable(SyncRow request, SyncRow vehicle) =>
        vehicle.Deleted || vehicle.Text("status") is VehicleTables.StatusInShop or VehicleTables.StatusRetired ? BookingEngine.ReasonUnavailable : null;

    /// <summary>
    /// At the vehicle's node: declines pending requests that clash with an approved booking or whose vehicle is in the
    /// shop or retired (first come first served); the rest wait for a dispatcher. Returns how many were declined.
    /// </summary>
    public int ProcessPending()
    {
        List<SyncRow> pending;
        using (var conn = store.OpenConnection()) pending = BookingEngine.Pending(conn, null, store, Kind, store.NodeId);
        var decided = 0;
        foreach (var request in pending)
        {
            var outcome = store.Transact(w =>
            {
                var r = BookingEngine.Decide(w, store, Kind, request.Id, SystemActor, Now, confirm: false, Unavailable);
                if (r is { Outcome: BookingOutcome.Declined }) NotifyRequester(w, request.Id, false, r.Value.Decision?.Text("reason"));
                return r?.Outcome;
            });
            if (outcome is BookingOutcome.Declined) decided++;
        }
        return decided;
    }

    /// <summary>
    /// A dispatcher at the vehicle's node approves a request and dispatches a driver, atomically checking that neither
    /// the vehicle nor the driver has an overlapping approved booking, the vehicle is in service and the licence valid.
    /// </summary>
    public VehicleRequestDto Approve(string id, string? driver, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return store.Transact(w =>
        {
            var (request, vehicle) = Decidable(w, id);
            if (Unavailable(request, vehicle) is not null) throw Invalid("vehicleId", text["Reason_Unavailable"]);
            var start = request.Text("start_utc")!;
            var end = request.Text("end_utc")!;
            if (BookingEngine.Clashes(w.Connection, w.Transaction, Kind, vehicle.Id, start, end, id).Count > 0) throw Invalid("start", text["Val_Clash"]);
            if (!string.IsNullOrWhiteSpace(driver))
            {
                driver = driver.Trim();
                var d = BookingEngine.Select(w.Connection, w.Transaction, store.Schema[VehicleTables.Drivers],
                    "WHERE r.username = @u AND r.origin = @me AND r.deleted = 0", ("@u", driver), ("@me", w.NodeId)).FirstOrDefault();
                if (d is null) throw Invalid("driver", text["Val_DriverUnknown"]);
                if (d.Text("status") is VehicleTables.DriverOnLeave or VehicleTables.DriverOffDuty) throw Invalid("driver", text["Val_DriverUnavailable"]);
                if (d.Text("license_expiry") is { Length: > 0 } exp &&
                    string.CompareOrdinal(exp, BookingTime.ToChina(BookingTime.Parse(end)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) < 0)
                {
                    throw Invalid("driver", text["Val_LicenseExpired"]);
                }
                if (BookingEngine.Clashes(w.Connection, w.Transaction, Kind, null, start, end, id, driver).Count > 0) throw Invalid("driver", text["Val_DriverBusy"]);
            }
            else
            {
                driver = null;
            }
            BookingEngine.WriteDecision(w, Kind, request, BookingEngine.Confirmed, null, actor.Username, Now, driver);
            NotifyRequester(w, id, true, null);
            return ToDto(w.Connection, w.Transaction, w.Get(VehicleTables.Requests, id)!);
        });
    }

    public VehicleRequestDto Decline(string id, string? reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return store.Transact(w =>
        {
            var (request, _) = Decidable(w, id);
            var why = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
            BookingEngine.WriteDecision(w, Kind, request, BookingEngine.Declined, why, actor.Username, Now, null);
            NotifyRequester(w, id, false, why);
            return ToDto(w.Connection, w.Transaction, w.Get(VehicleTables.Requests, id)!);
        });
    }

    private (SyncRow Request, SyncRow Vehicle) Decidable(ILocalWrite w, string id)
    {
        var request = w.Get(VehicleTables.Requests, id);
        if (request is null || request.Deleted) throw Invalid("id", text["Veh_RequestNotFound"]);
        var vehicle = w.Get(VehicleTables.Vehicles, request.Text("resource_id") ?? "");
        if (vehicle is null || vehicle.Origin != w.NodeId) throw new OfficeForbiddenException(text["Val_VehicleNotOwner"]);
        if (request.Integer("cancelled") is 1 || BookingEngine.DecisionOf(w.Connection, w.Transaction, store, Kind, id) is not null)
        {
            throw Invalid("id", text["Val_AlreadyDecided"]);
        }
        return (request, vehicle);
    }

    private void NotifyRequester(ILocalWrite w, string id, bool approved, string? reason)
    {
        if (Notices is not { } sender) return;
        var r = w.Get(VehicleTables.Requests, id)!;
        var v = w.Get(VehicleTables.Vehicles, r.Text("resource_id") ?? "");
        var when = ChinaTime.Format(BookingTime.Parse(r.Text("start_utc")), CultureInfo.GetCultureInfo("zh-CN"));
        var title = approved ? text["Notice_ApprovedTitle", v?.Text("plate") ?? ""] : text["Notice_DeclinedTitle", v?.Text("plate") ?? ""];
        var body = approved ? text["Notice_ApprovedBody", when, r.Text("purpose") ?? ""] : text["Notice_DeclinedBody", when, ReasonText(reason)];
        sender.Send(w, new NoticeMessage(NoticeKinds.Notice, title, body, [], [r.Text("requested_by") ?? ""], Link: "/vehicles/book", SourceId: id),
            SystemActor);
    }

    public string ReasonText(string? reason) => reason switch
    {
        null or "" => "",
        BookingEngine.ReasonClash => text["Reason_Clash"],
        BookingEngine.ReasonUnavailable => text["Reason_Unavailable"],
        _ => reason,
    };

    /// <summary>Cancels a request at the node where it was made (its requester or a dispatcher).</summary>
    public VehicleRequestDto? Cancel(string id, Actor actor, bool dispatcher)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return store.Transact(w =>
        {
            var r = w.Get(VehicleTables.Requests, id);
            if (r is null || r.Deleted) return null;
            if (r.Origin != w.NodeId) throw new OfficeForbiddenException(text["Val_NotOrigin"]);
            if (!dispatcher && r.Text("requested_by") != actor.Username) throw new OfficeForbiddenException(text["Val_NotRequester"]);
            var row = r.Integer("cancelled") is 1 ? r : w.Update(VehicleTables.Requests, id, new JsonObject { ["cancelled"] = 1L })!;
            return ToDto(w.Connection, w.Transaction, row);
        });
    }

    // ---------------------------------------------------------------- reads

    public VehicleRequestDto? GetRequest(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        using var conn = store.OpenConnection();
        var row = RowIo.Get(conn, null, store.Schema[VehicleTables.Requests], id);
        return row is null || row.Deleted ? null : ToDto(conn, null, row);
    }

    /// <summary>Requests overlapping [from, to), optionally of one requester, one vehicle, one driver (approved for them).</summary>
    public List<VehicleRequestDto> Requests(DateTimeOffset? from = null, DateTimeOffset? to = null, string? requestedBy = null, string? vehicleId = null,
        bool includeCancelled = false)
    {
        var where = new StringBuilder("r.deleted = 0");
        var args = new List<(string, object?)>();
        if (!includeCancelled) where.Append(" AND COALESCE(r.cancelled, 0) = 0");
        if (from is { } f)
        {
            where.Append(" AND r.end_utc > @from");
            args.Add(("@from", BookingTime.Text(f)));
        }
        if (to is { } t)
        {
            where.Append(" AND r.start_utc < @to");
            args.Add(("@to", BookingTime.Text(t)));
        }
        if (requestedBy is not null)
        {
            where.Append(" AND r.requested_by = @u");
            args.Add(("@u", requestedBy));
        }
        if (vehicleId is not null)
        {
            where.Append(" AND r.resource_id = @v");
            args.Add(("@v", vehicleId));
        }
        using var conn = store.OpenConnection();
        return Load(conn, where.ToString(), args);
    }

    private List<VehicleRequestDto> Load(DbConnection conn, string where, List<(string, object?)> args)
    {
        var rows = BookingEngine.Select(conn, null, store.Schema[VehicleTables.Requests], $"WHERE {where} ORDER BY r.start_utc, r.id", [.. args]);
        var decisions = BookingEngine.DecisionsWhere(conn, null, store, Kind, where, [.. args]);
        var plates = Plates(conn);
        var trips = TripsWhere(conn, $"t.request_id IN (SELECT r.id FROM {VehicleTables.Requests} r WHERE {where})", args);
        return rows.Select(r => ToDto(r, decisions.GetValueOrDefault(r.Id), plates, trips.GetValueOrDefault(r.Id) ?? [])).ToList();
    }

    /// <summary>Requests of this node's vehicles waiting for a dispatcher, first come first served.</summary>
    public List<VehicleRequestDto> AwaitingApproval()
    {
        using var conn = store.OpenConnection();
        var pending = BookingEngine.Pending(conn, null, store, Kind, store.NodeId);
        var plates = Plates(conn);
        return pending.Select(r => ToDto(r, null, plates, [])).ToList();
    }

    /// <summary>Approved, not cancelled trips dispatched to this driver that are not finished yet.</summary>
    public List<VehicleRequestDto> TripsOf(string driver)
    {
        using var conn = store.OpenConnection();
        var ids = new List<string>();
        using (var cmd = conn.Command($"SELECT d.request_id FROM {VehicleTables.Decisions} d WHERE d.driver = @d AND d.status = @s AND d.deleted = 0", null,
                   ("@d", driver), ("@s", BookingEngine.Confirmed)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) ids.Add(r.GetString(0));
        }
        var list = new List<VehicleRequestDto>();
        foreach (var id in ids)
        {
            var row = RowIo.Get(conn, null, store.Schema[VehicleTables.Requests], id);
            if (row is null) continue;
            var dto = ToDto(conn, null, row);
            if (dto.Status == BookingStatus.Confirmed && dto.Driver == driver && dto.TripState != "finished") list.Add(dto);
        }
        return list.OrderBy(d => d.Start).ToList();
    }

    private Dictionary<string, string> Plates(DbConnection conn) =>
        BookingEngine.Select(conn, null, store.Schema[VehicleTables.Vehicles], "").ToDictionary(r => r.Id, r => r.Text("plate") ?? "", StringComparer.Ordinal);

    private Dictionary<string, List<SyncRow>> TripsWhere(DbConnection conn, string where, List<(string, object?)> args)
    {
        var t = store.Schema[VehicleTables.Trips];
        var cols = string.Join(", ", SyncTable.EngineColumns.Concat(t.Columns.Select(c => c.Name)).Select(c => "t." + c));
        var map = new Dictionary<string, List<SyncRow>>(StringComparer.Ordinal);
        using var cmd = conn.Command($"SELECT {cols} FROM {VehicleTables.Trips} t WHERE t.deleted = 0 AND ({where}) ORDER BY t.reported_utc, t.id", null, [.. args]);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = RowIo.ReadRow(t, r);
            var key = row.Text("request_id") ?? "";
            if (!map.TryGetValue(key, out var list)) map[key] = list = [];
            list.Add(row);
        }
        return map;
    }

    private VehicleRequestDto ToDto(DbConnection conn, DbTransaction? tx, SyncRow row)
    {
        var decision = BookingEngine.DecisionOf(conn, tx, store, Kind, row.Id);
        var vehicle = RowIo.Get(conn, tx, store.Schema[VehicleTables.Vehicles], row.Text("resource_id") ?? "");
        var trips = BookingEngine.Select(conn, tx, store.Schema[VehicleTables.Trips], "WHERE r.request_id = @id AND r.deleted = 0 ORDER BY r.reported_utc, r.id",
            ("@id", row.Id));
        return ToDto(row, decision, new Dictionary<string, string> { [row.Text("resource_id") ?? ""] = vehicle?.Text("plate") ?? "" }, trips);
    }

    private static VehicleRequestDto ToDto(SyncRow row, SyncRow? decision, IReadOnlyDictionary<string, string> plates, List<SyncRow> trips)
    {
        var start = trips.FirstOrDefault(t => t.Text("kind") == VehicleTables.TripStart);
        var finish = trips.FirstOrDefault(t => t.Text("kind") == VehicleTables.TripFinish);
        return new VehicleRequestDto
        {
            Id = row.Id,
            VehicleId = row.Text("resource_id") ?? "",
            Plate = plates.GetValueOrDefault(row.Text("resource_id") ?? "") ?? "",
            VehicleNode = row.Text("resource_node") ?? "",
            Start = BookingTime.Parse(row.Text("start_utc")),
            End = BookingTime.Parse(row.Text("end_utc")),
            Purpose = row.Text("purpose") ?? "",
            Destination = row.Text("destination"),
            Passengers = (int)(row.Integer("passengers") ?? 0),
            RequestedBy = row.Text("requested_by") ?? "",
            RequesterName = row.Text("requester_name"),
            RequestedUtc = BookingTime.Parse(row.Text("requested_utc")),
            OriginNode = row.Origin,
            Status = BookingEngine.StatusOf(row, decision),
            DeclineReason = decision?.Text("status") == BookingEngine.Declined ? decision.Text("reason") : null,
            DecidedBy = decision?.Text("decided_by"),
            Driver = decision?.Text("status") == BookingEngine.Confirmed ? decision.Text("driver") : null,
            TripState = finish is not null ? "finished" : start is not null ? "started" : "none",
            StartKm = start?.Integer("odometer_km"),
            FinishKm = finish?.Integer("odometer_km"),
        };
    }

    // ---------------------------------------------------------------- trips

    /// <summary>The dispatched driver reports the trip's start or finish with the odometer (append-only).</summary>
    public TripReportDto ReportTrip(string requestId, TripReportInput input, Actor actor, bool anyDriver = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var booking = GetRequest(requestId) ?? throw Invalid("id", text["Veh_RequestNotFound"]);
        if (booking.Status != BookingStatus.Confirmed) throw Invalid("id", text["Val_NotApproved"]);
        if (!anyDriver && booking.Driver != actor.Username) throw new OfficeForbiddenException(text["Val_NotYourTrip"]);
        if (input.Kind is not (VehicleTables.TripStart or VehicleTables.TripFinish)) throw Invalid("kind", text["Val_TripKind"]);
        if (input.OdometerKm is not { } km || km < 0) throw Invalid("odometerKm", text["Val_Odometer"]);
        if (input.Kind == VehicleTables.TripStart && booking.TripState != "none") throw Invalid("kind", text["Val_TripStarted"]);
        if (input.Kind == VehicleTables.TripFinish)
        {
            if (booking.TripState == "none") throw Invalid("kind", text["Val_TripNotStarted"]);
            if (booking.TripState == "finished") throw Invalid("kind", text["Val_TripFinished"]);
            if (km < booking.StartKm) throw Invalid("odometerKm", text["Val_OdometerBelowStart"]);
        }
        else if (km < CurrentOdometer(booking.VehicleId))
        {
            throw Invalid("odometerKm", text["Val_OdometerBelowLast"]);
        }
        var row = store.Insert(VehicleTables.Trips, new JsonObject
        {
            ["request_id"] = requestId,
            ["vehicle_id"] = booking.VehicleId,
            ["kind"] = input.Kind,
            ["odometer_km"] = km,
            ["fuel_liters"] = input.FuelLiters?.Trim() ?? "",
            ["cost_yuan"] = input.CostYuan?.Trim() ?? "",
            ["note"] = input.Note?.Trim() ?? "",
            ["reported_by"] = actor.Username,
            ["reported_utc"] = BookingTime.Text(Now),
            ["audience"] = Audience.Encode([booking.OriginNode, booking.VehicleNode]),
        });
        return ToTrip(row);
    }

    private static TripReportDto ToTrip(SyncRow r) => new()
    {
        Id = r.Id,
        RequestId = r.Text("request_id") ?? "",
        Kind = r.Text("kind") ?? "",
        OdometerKm = r.Integer("odometer_km") ?? 0,
        FuelLiters = r.Text("fuel_liters"),
        CostYuan = r.Text("cost_yuan"),
        Note = r.Text("note"),
        ReportedBy = r.Text("reported_by") ?? "",
        ReportedUtc = BookingTime.Parse(r.Text("reported_utc")),
    };

    /// <summary>The highest odometer known for a vehicle: its registration, trip reports and maintenance records.</summary>
    public long CurrentOdometer(string vehicleId)
    {
        using var conn = store.OpenConnection();
        var baseKm = conn.ScalarLong($"SELECT COALESCE(odometer_km, 0) FROM {VehicleTables.Vehicles} WHERE id = @v", null, ("@v", vehicleId));
        var trips = conn.ScalarLong($"SELECT COALESCE(MAX(odometer_km), 0) FROM {VehicleTables.Trips} WHERE vehicle_id = @v AND deleted = 0", null, ("@v", vehicleId));
        var maint = conn.ScalarLong($"SELECT COALESCE(MAX(odometer_km), 0) FROM {VehicleTables.Maintenance} WHERE vehicle_id = @v AND deleted = 0", null,
            ("@v", vehicleId));
        return Math.Max(baseKm, Math.Max(trips, maint));
    }

    // ---------------------------------------------------------------- maintenance and status

    public MaintenanceDto AddMaintenance(string vehicleId, MaintenanceInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var v = store.Get(VehicleTables.Vehicles, vehicleId);
        if (v is null || v.Deleted) throw Invalid("vehicleId", text["Val_VehicleUnknown"]);
        if (v.Origin != store.NodeId) throw new OfficeForbiddenException(text["Val_VehicleNotOwner"]);
        var item = input.Item?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(item)) errors["item"] = [text["Val_ItemRequired"]];
        if (input.Kind == VehicleTables.MaintenancePlan)
        {
            if (input.DueUtc is null && input.DueKm is null) errors["dueUtc"] = [text["Val_DueRequired"]];
        }
        else if (input.Kind != VehicleTables.MaintenanceRecord)
        {
            errors["kind"] = [text["Val_MaintenanceKind"]];
        }
        if (input.OdometerKm is < 0 || input.DueKm is < 0) errors["odometerKm"] = [text["Val_Odometer"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var row = store.Insert(VehicleTables.Maintenance, new JsonObject
        {
            ["vehicle_id"] = vehicleId,
            ["kind"] = input.Kind,
            ["item"] = item,
            ["due_utc"] = input.DueUtc is { } due ? BookingTime.Text(due) : null,
            ["due_km"] = input.DueKm,
            ["done_utc"] = input.Kind == VehicleTables.MaintenanceRecord ? BookingTime.Text(input.DoneUtc ?? Now) : null,
            ["odometer_km"] = input.OdometerKm,
            ["vendor"] = input.Vendor?.Trim() ?? "",
            ["cost_yuan"] = input.CostYuan?.Trim() ?? "",
            ["plan_id"] = input.PlanId,
            ["recorded_by"] = actor.Username,
            ["recorded_utc"] = BookingTime.Text(Now),
        });
        return Maintenance(vehicleId).First(m => m.Id == row.Id);
    }

    public List<MaintenanceDto> Maintenance(string vehicleId)
    {
        List<SyncRow> rows;
        using (var conn = store.OpenConnection())
        {
            rows = BookingEngine.Select(conn, null, store.Schema[VehicleTables.Maintenance], "WHERE r.vehicle_id = @v AND r.deleted = 0 ORDER BY r.recorded_utc, r.id",
                ("@v", vehicleId));
        }
        var km = CurrentOdometer(vehicleId);
        var now = Now;
        var fulfilled = rows.Where(r => r.Text("kind") == VehicleTables.MaintenanceRecord).Select(r => r.Text("plan_id")).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return rows.Select(r =>
        {
            var plan = r.Text("kind") == VehicleTables.MaintenancePlan;
            var done = plan && fulfilled.Contains(r.Id);
            var dueUtc = BookingTime.ParseOrNull(r.Text("due_utc"));
            var dueKm = r.Integer("due_km");
            return new MaintenanceDto
            {
                Id = r.Id,
                VehicleId = vehicleId,
                Kind = r.Text("kind") ?? "",
                Item = r.Text("item") ?? "",
                DueUtc = dueUtc,
                DueKm = dueKm,
                DoneUtc = BookingTime.ParseOrNull(r.Text("done_utc")),
                OdometerKm = r.Integer("odometer_km"),
                Vendor = r.Text("vendor"),
                CostYuan = r.Text("cost_yuan"),
                PlanId = r.Text("plan_id"),
                Done = done,
                Due = plan && !done && ((dueUtc is { } d && d - now <= DueSoon) || (dueKm is { } k && k - km <= DueSoonKm)),
            };
        }).ToList();
    }

    /// <summary>Every vehicle at a glance.</summary>
    public List<VehicleStatusDto> Board() => Vehicles().Select(StatusOf).ToList();

    public VehicleStatusDto StatusOf(VehicleDto v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var now = Now;
        var bookings = Requests(now.AddDays(-14), now.AddDays(60), vehicleId: v.Id).Where(b => b.Status == BookingStatus.Confirmed).ToList();
        var onTrip = bookings.FirstOrDefault(b => b.TripState == "started");
        var current = onTrip ?? bookings.FirstOrDefault(b => b.Start <= now && b.End > now && b.TripState != "finished");
        var next = bookings.FirstOrDefault(b => b.Start > now);
        var due = Maintenance(v.Id).Count(m => m.Due);
        var state = v.Status is VehicleTables.StatusRetired or VehicleTables.StatusInShop ? v.Status
            : onTrip is not null ? "on_trip"
            : current is not null ? "booked"
            : due > 0 ? "maintenance_due"
            : "available";
        return new VehicleStatusDto { Vehicle = v, State = state, OdometerKm = CurrentOdometer(v.Id), Current = current, Next = next, MaintenanceDue = due };
    }

    public VehicleDetail? Detail(string id)
    {
        var v = Vehicle(id);
        if (v is null) return null;
        List<TripReportDto> trips;
        using (var conn = store.OpenConnection())
        {
            trips = BookingEngine.Select(conn, null, store.Schema[VehicleTables.Trips], "WHERE r.vehicle_id = @v AND r.deleted = 0 ORDER BY r.reported_utc DESC, r.id",
                ("@v", id)).Select(ToTrip).ToList();
        }
        return new VehicleDetail
        {
            Status = StatusOf(v),
            Bookings = Requests(Now.AddDays(-30), null, vehicleId: id, includeCancelled: true),
            Maintenance = Maintenance(id),
            Trips = trips,
        };
    }
}
