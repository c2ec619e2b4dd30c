using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EGovEdge.Office.PortalContent;

/// <summary>
/// The public portal's content (门户内容): service catalogue, public notices, investment projects, consultations and
/// residents' opinions. Written at the hub only; /api/portal; the 门户内容 staff page; demo catalogue at first start.
/// </summary>
public sealed class PortalContentModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables =>
    [
        PortalServicesTable.Definition, PortalNoticesTable.Definition, PortalProjectsTable.Definition,
        PortalConsultationsTable.Definition, PortalOpinionsTable.Definition,
    ];

    /// <summary>The county publishes the portal: a township never writes its content (townships only read it).</summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming) =>
        "portal content is published by the county hub";

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<PortalContentService>();
        services.AddHostedService<PortalDemoSeeder>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(PortalJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapPortalContentApi();

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/portal-admin", typeof(PortalText), "Nav_PortalAdmin", MudBlazor.Icons.Material.Filled.Public, Policies.DocumentsWrite),
    ];
}

/// <summary>At the hub's first start: the demo service catalogue, when the table has never held a row.</summary>
internal sealed class PortalDemoSeeder(PortalContentService portal) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        portal.SeedDemoServices();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
