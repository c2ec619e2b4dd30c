using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EGovEdge.Office.Supervision;

/// <summary>
/// The Supervision module (督查统计): the supervisors' dashboard and report (/supervision, /api/supervision/report[.csv])
/// and the supervision teams' inspection records with the inspected units' rectification replies.
/// </summary>
public sealed class SupervisionModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [InspectionsTable.Definition, RectificationsTable.Definition];

    /// <summary>
    /// Inspections are written only at the county hub. A township appends rectification replies only as itself, only
    /// for inspections of itself, and never changes or deletes one.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        return table.Name switch
        {
            InspectionsTable.Name => "inspection records are written at the county hub",
            RectificationsTable.Name => CheckReply(node, existing, incoming),
            _ => base.CheckWrite(node, table, existing, incoming),
        };
    }

    internal static string? CheckReply(string node, SyncRow? existing, SyncRow incoming)
    {
        if (existing is not null || incoming.Deleted) return "rectification replies are append-only";
        if (incoming.Origin != node || incoming.Text("unit") != node) return "a township replies only to inspections of itself, as itself";
        if (string.IsNullOrWhiteSpace(incoming.Text("reply")) || string.IsNullOrWhiteSpace(incoming.Text("author"))) return "a reply has text and an author";
        return string.IsNullOrEmpty(incoming.Text("inspection_id")) ? "a reply names its inspection" : null;
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddOptions<SupervisionOptions>().BindConfiguration(SupervisionOptions.Section);
        services.TryAddSingleton<ITicketStatistics, NoTicketStatistics>();
        services.TryAddSingleton<ISyncHealthSource, StoreSyncHealthSource>();
        services.AddSingleton<SupervisionStats>();
        services.AddSingleton<InspectionService>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(SupervisionJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapSupervisionApi();

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/supervision", typeof(SupervisionText), "Sup_Module", MudBlazor.Icons.Material.Filled.QueryStats, Policies.Supervise, MatchAll: true),
        new("/supervision/inspections", typeof(SupervisionText), "Sup_Inspections", MudBlazor.Icons.Material.Filled.FactCheck, Policies.Staff),
    ];
}
