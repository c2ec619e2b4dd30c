using EGovEdge.Office.Booking;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Traceability;

/// <summary>
/// Agricultural product traceability: producers, products, batches with a QR label and short code, inspection results;
/// registered at a township (offline too), looked up publicly at the hub once synced.
/// </summary>
public sealed class TraceabilityModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => TraceTables.All;

    /// <summary>
    /// Producers, products, batches: own rows only, and a batch's short code must carry the pushing township's tag.
    /// Inspections: append-only, as itself, and only for batches the township registered (the hub records any).
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        switch (table.Name)
        {
            case TraceTables.Inspections:
                if (BookingEngine.CheckAppendOnly(node, existing, incoming, "inspection results") is { } appendOnly) return appendOnly;
                return incoming.Text("batch_node") == node ? null : "a township records inspection results only for batches it registered";
            case TraceTables.Batches:
                if (existing is null && !TraceCodes.BelongsTo(incoming.Text("short_code"), node)) return "a batch's short code must carry the registering township's tag";
                if (existing is not null && existing.Text("short_code") != incoming.Text("short_code")) return "a batch's short code never changes";
                return base.CheckWrite(node, table, existing, incoming);
            case TraceTables.Products:
                if (existing is not null && existing.Text("gtin") != incoming.Text("gtin")) return "a product's code never changes";
                return base.CheckWrite(node, table, existing, incoming);
            default:
                return base.CheckWrite(node, table, existing, incoming);
        }
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddOptions<TraceOptions>().Configure<IConfiguration>((o, c) => o.PublicBaseUrl = c[TraceOptions.ConfigKey]);
        services.AddSingleton<TraceService>();
        services.AddSingleton<IWorkSource, TraceWorkSource>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(TraceJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => TraceApi.Map(endpoints);

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/trace", typeof(TraceText), "Nav_Trace", MudBlazor.Icons.Material.Filled.Agriculture, MatchAll: true),
        new("/trace/register", typeof(TraceText), "Nav_Register", MudBlazor.Icons.Material.Filled.AddBox, Policies.DocumentsWrite),
    ];
}
