using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Broadcasts;

/// <summary>
/// The Broadcasts module (农村信息广播): subscribers by phone, topic and village; broadcasts delivered through the
/// SMS outbox with per-broadcast counts; /api/broadcasts; the 信息广播 page; the portal's subscription (hub).
/// </summary>
public sealed class BroadcastsModule : OfficeModule
{
    private static readonly OwnRowsOnlyRules OwnRows = new();

    public override IReadOnlyList<SyncTable> Tables => [BroadcastSubscribersTable.Definition, BroadcastsTable.Definition];

    /// <summary>
    /// A township publishes broadcasts only as itself and only to its own subscribers; it registers, changes and cancels
    /// subscribers of its own township only (also those who subscribed on the hub's portal), never moves one elsewhere.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        if (table.Name == BroadcastsTable.Name)
        {
            if (incoming.Text("township") != node) return "a township broadcasts only to its own subscribers";
            return OwnRows.Check(node, table, existing, incoming);
        }
        if (table.Name == BroadcastSubscribersTable.Name)
        {
            if (incoming.Text("township") != node) return "a township registers only its own residents";
            if (existing is null) return incoming.Origin == node ? null : $"node '{node}' may not create a row on behalf of '{incoming.Origin}'";
            if (existing.Origin != incoming.Origin) return "the origin of a row cannot change";
            return existing.Text("township") == node ? null : "a township changes only its own residents' subscriptions";
        }
        return OwnRows.Check(node, table, existing, incoming);
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<BroadcastService>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(BroadcastJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapBroadcastApi();

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/broadcasts", typeof(BroadcastText), "Nav_Broadcasts", MudBlazor.Icons.Material.Filled.Podcasts, Policies.DocumentsWrite),
    ];
}
