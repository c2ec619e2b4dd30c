using EGovEdge.Office.Archives;
using EGovEdge.Office.Broadcasts;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Supervision;
using EGovEdge.Office.Tickets;
using EGovEdge.Office.Traceability;
using EGovEdge.Office.Training;
using EGovEdge.Office.Vehicles;
using EGovEdge.Office.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace EGovEdge.Office.Modules;

/// <summary>Every office module, in drawer order.</summary>
public static class OfficeModules
{
    public static readonly IReadOnlyList<OfficeModule> All =
    [
        new WorkflowModule(),
        new SealsModule(),
        new ArchiveModule(),
        new MeetingsModule(),
        new VehiclesModule(),
        new NoticesModule(),
        new TicketsModule(),
        new BroadcastsModule(),
        new EGovEdge.Office.PortalContent.PortalContentModule(),
        new TraceabilityModule(),
        new TrainingModule(),
        new SupervisionModule(),
    ];

    /// <summary>The module that owns a table, if any.</summary>
    public static OfficeModule? Owning(string table) => All.FirstOrDefault(m => m.Tables.Any(t => t.Name == table));

    /// <summary>Maps every module's endpoints (hub and edge alike).</summary>
    public static IEndpointRouteBuilder MapOfficeModules(this IEndpointRouteBuilder endpoints)
    {
        foreach (var module in All) module.MapEndpoints(endpoints);
        return endpoints;
    }
}
