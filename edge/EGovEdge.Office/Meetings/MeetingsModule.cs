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

namespace EGovEdge.Office.Meetings;

/// <summary>The Meetings module: rooms, bookings confirmed only by the room's node, attendance, materials, minutes, calendar feeds.</summary>
public sealed class MeetingsModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => MeetingTables.All;

    /// <summary>
    /// Meetings: a township makes and changes only its own meetings and never changes a meeting's room or time
    /// (cancel and book again). Decisions: append-only, only as itself (readers also ignore decisions not written by
    /// the room's node). Attendance and feed keys: append-only, as itself. Rooms and materials: its own rows only.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Name switch
        {
            MeetingTables.Meetings => BookingEngine.CheckRequest(node, existing, incoming),
            MeetingTables.Decisions => BookingEngine.CheckDecision(node, existing, incoming),
            MeetingTables.Attendance => BookingEngine.CheckAppendOnly(node, existing, incoming, "attendance records"),
            MeetingTables.FeedKeys => BookingEngine.CheckAppendOnly(node, existing, incoming, "calendar feed keys"),
            MeetingTables.Rooms => BookingEngine.CheckResource(node, existing, incoming) ?? base.CheckWrite(node, table, existing, incoming),
            _ => base.CheckWrite(node, table, existing, incoming),
        };
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<MeetingService>();
        services.AddSingleton<IWorkSource, MeetingWorkSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BookingProcessor>());
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(MeetingJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => MeetingApi.Map(endpoints);

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/meetings", typeof(MeetingText), "Nav_Meetings", MudBlazor.Icons.Material.Filled.Groups),
        new("/rooms", typeof(MeetingText), "Nav_Rooms", MudBlazor.Icons.Material.Filled.MeetingRoom),
    ];
}
