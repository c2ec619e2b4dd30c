using EGovEdge.Office.Booking;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EGovEdge.Office.Vehicles;

/// <summary>The Vehicles module: vehicles and drivers, requests approved only by the vehicle's node, trips, maintenance.</summary>
public sealed class VehiclesModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => VehicleTables.All;

    /// <summary>
    /// Requests: own only, vehicle and time never change. Decisions: append-only, only as itself (readers ignore
    /// decisions not written by the vehicle's node). Trip reports and maintenance: append-only, as itself.
    /// Vehicles and drivers: own rows only.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Name switch
        {
            VehicleTables.Requests => BookingEngine.CheckRequest(node, existing, incoming),
            VehicleTables.Decisions => BookingEngine.CheckDecision(node, existing, incoming),
            VehicleTables.Trips => BookingEngine.CheckAppendOnly(node, existing, incoming, "trip reports"),
            VehicleTables.Maintenance => BookingEngine.CheckAppendOnly(node, existing, incoming, "maintenance records"),
            VehicleTables.Vehicles => BookingEngine.CheckResource(node, existing, incoming) ?? base.CheckWrite(node, table, existing, incoming),
            _ => base.CheckWrite(node, table, existing, incoming),
        };
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<VehicleService>();
        services.AddSingleton<IWorkSource, VehicleWorkSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BookingProcessor>());
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(VehicleJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => VehicleApi.Map(endpoints);

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/vehicles", typeof(VehicleText), "Nav_Vehicles", MudBlazor.Icons.Material.Filled.DirectionsCar, MatchAll: true),
        new("/vehicles/book", typeof(VehicleText), "Nav_Book", MudBlazor.Icons.Material.Filled.EventNote),
        new("/vehicles/trips", typeof(VehicleText), "Nav_Trips", MudBlazor.Icons.Material.Filled.Route, Policies.Drive),
    ];
}
