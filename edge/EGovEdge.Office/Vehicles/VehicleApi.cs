using System.Security.Claims;
using EGovEdge.Office.Api;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Vehicles;

/// <summary>/api/vehicles for phone clients: vehicles, drivers, requests, approval, trips (drivers), maintenance.</summary>
public static class VehicleApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/vehicles").WithTags("Vehicles").RequireAuthorization(Policies.Staff);

        g.MapGet("/", (VehicleService svc) => Results.Ok(svc.Board()))
            .Produces<List<VehicleStatusDto>>(200).WithName("VehicleBoard").WithSummary("Every vehicle at a glance: state, odometer, current and next booking, maintenance due");
        g.MapPost("/", async (HttpRequest request, VehicleService svc, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.VehicleInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => { var v = svc.CreateVehicle(input!); return Results.Created($"/api/vehicles/{v.Id}", v); });
        }).RequireAuthorization(Policies.Dispatch).Accepts<VehicleInput>("application/json").Produces<VehicleDto>(201).ProducesValidationProblem().WithName("CreateVehicle").WithSummary("Registers a vehicle owned by this node");
        g.MapGet("/{id}", (string id, VehicleService svc, IStringLocalizer<VehicleText> text) =>
            svc.Detail(id) is { } d ? Results.Ok(d) : NotFound(text))
            .Produces<VehicleDetail>(200).WithName("GetVehicle").WithSummary("A vehicle with its bookings, maintenance and trip reports");
        g.MapPut("/{id}", async (HttpRequest request, string id, VehicleService svc, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.VehicleInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => svc.UpdateVehicle(id, input!) is { } v ? Results.Ok(v) : NotFound(text));
        }).RequireAuthorization(Policies.Dispatch).Accepts<VehicleInput>("application/json").Produces<VehicleDto>(200).ProducesValidationProblem().WithName("UpdateVehicle").WithSummary("Changes a vehicle (status available/in_shop/retired) at its node");
        g.MapPost("/{id}/maintenance", async (HttpRequest request, string id, VehicleService svc, ClaimsPrincipal user, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.MaintenanceInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.AddMaintenance(id, input!, Actor.From(user, svc.NodeId))));
        }).RequireAuthorization(Policies.Dispatch).Accepts<MaintenanceInput>("application/json").Produces<MaintenanceDto>(200).ProducesValidationProblem().WithName("AddVehicleMaintenance").WithSummary("Adds a maintenance plan (due date/km) or record");

        g.MapGet("/drivers", (VehicleService svc) => Results.Ok(svc.Drivers()))
            .Produces<List<DriverDto>>(200).WithName("ListDrivers").WithSummary("Drivers of this node");
        g.MapPost("/drivers", async (HttpRequest request, VehicleService svc, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.DriverInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.CreateDriver(input!)));
        }).RequireAuthorization(Policies.Dispatch).Accepts<DriverInput>("application/json").Produces<DriverDto>(200).ProducesValidationProblem().WithName("CreateDriver").WithSummary("Adds a driver (licence expiry, status)");

        g.MapGet("/requests", (VehicleService svc, ClaimsPrincipal user, DateTimeOffset? from, DateTimeOffset? to, bool? mine) =>
            Results.Ok(svc.Requests(from, to, mine is true ? user.Identity?.Name ?? "" : null)))
            .Produces<List<VehicleRequestDto>>(200).WithName("ListVehicleRequests").WithSummary("Requests overlapping [from, to); mine=true: only mine");
        g.MapGet("/requests/pending", (VehicleService svc) => Results.Ok(svc.AwaitingApproval()))
            .RequireAuthorization(Policies.Dispatch).Produces<List<VehicleRequestDto>>(200).WithName("PendingVehicleRequests").WithSummary("Requests for this node's vehicles awaiting approval");
        g.MapGet("/requests/{id}", (string id, VehicleService svc, IStringLocalizer<VehicleText> text) =>
            svc.GetRequest(id) is { } r ? Results.Ok(r) : NotFound(text))
            .Produces<VehicleRequestDto>(200).WithName("GetVehicleRequest").WithSummary("One request with its status, driver and trip");
        g.MapPost("/requests", async (HttpRequest request, VehicleService svc, ClaimsPrincipal user, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.VehicleRequestInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() =>
            {
                var r = svc.Request(input!, Actor.From(user, svc.NodeId));
                return Results.Created($"/api/vehicles/requests/{r.Id}", r);
            });
        }).Accepts<VehicleRequestInput>("application/json").Produces<VehicleRequestDto>(201).ProducesValidationProblem().WithName("RequestVehicle").WithSummary("Requests a vehicle: tentative until the vehicle's node approves (400 at once on a clash there)");
        g.MapPost("/requests/{id}/approve", async (HttpRequest request, string id, VehicleService svc, ClaimsPrincipal user, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.ApproveInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.Approve(id, input!.Driver, Actor.From(user, svc.NodeId))));
        }).RequireAuthorization(Policies.Dispatch).Accepts<ApproveInput>("application/json").Produces<VehicleRequestDto>(200).ProducesValidationProblem().WithName("ApproveVehicleRequest")
            .WithSummary("Approves and dispatches a driver at the vehicle's node (vehicle and driver clash-checked atomically)");
        g.MapPost("/requests/{id}/decline", async (HttpRequest request, string id, VehicleService svc, ClaimsPrincipal user, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.DeclineInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.Decline(id, input!.Reason, Actor.From(user, svc.NodeId))));
        }).RequireAuthorization(Policies.Dispatch).Accepts<DeclineInput>("application/json").Produces<VehicleRequestDto>(200).ProducesValidationProblem().WithName("DeclineVehicleRequest").WithSummary("Declines a request with a reason");
        g.MapPost("/requests/{id}/cancel", async (string id, VehicleService svc, ClaimsPrincipal user, IAuthorizationService auth, IStringLocalizer<VehicleText> text) =>
        {
            var dispatcher = (await auth.AuthorizeAsync(user, Policies.Dispatch)).Succeeded;
            return ApiResults.Guard(() => svc.Cancel(id, Actor.From(user, svc.NodeId), dispatcher) is { } r ? Results.Ok(r) : NotFound(text));
        }).Produces<VehicleRequestDto>(200).WithName("CancelVehicleRequest").WithSummary("Cancels a request at the node where it was made");

        g.MapGet("/trips", (VehicleService svc, ClaimsPrincipal user) => Results.Ok(svc.TripsOf(user.Identity?.Name ?? "")))
            .RequireAuthorization(Policies.Drive).Produces<List<VehicleRequestDto>>(200).WithName("MyTrips").WithSummary("The driver's dispatched trips not finished yet");
        g.MapPost("/requests/{id}/trip", async (HttpRequest request, string id, VehicleService svc, ClaimsPrincipal user, IStringLocalizer<VehicleText> text) =>
        {
            var (input, error) = await JsonBody.ReadAsync(request, VehicleJsonContext.Default.TripReportInput, text["Val_BadJson"]);
            if (error is not null) return error;
            return ApiResults.Guard(() => Results.Ok(svc.ReportTrip(id, input!, Actor.From(user, svc.NodeId), user.IsInRole(Roles.Admin))));
        }).RequireAuthorization(Policies.Drive).Accepts<TripReportInput>("application/json").Produces<TripReportDto>(200).ProducesValidationProblem().WithName("ReportTrip").WithSummary("The dispatched driver reports trip start or finish with the odometer");
    }

    private static IResult NotFound(IStringLocalizer<VehicleText> text) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: text["Veh_NotFound"]);
}
