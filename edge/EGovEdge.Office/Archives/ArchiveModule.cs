using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Archives;

/// <summary>
/// Archives (归档): finished documents filed at the node that owns them with a 档号 (DA/T 22-2015) and a retention period
/// from the organ's configured schedule, an archival package per item and its 四性检测.
/// </summary>
public sealed class ArchiveModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => ArchiveTables.All;

    /// <summary>
    /// A township files only as itself (origin and node are the pushing township), with a well-formed 档号 that matches the
    /// row's 全宗, 年度, 保管期限 and 件号; a filed item is never withdrawn and its identity, 档号 and package digest never
    /// change.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        if (table.Name != ArchiveTables.Items) return base.CheckWrite(node, table, existing, incoming);
        if (base.CheckWrite(node, table, existing, incoming) is { } own) return own;
        if (incoming.Text("node") != node) return $"node '{node}' files documents only as itself";
        if (incoming.Deleted) return "a filed item is never withdrawn";
        if (existing is null)
        {
            var parts = ArchiveCodes.Parse(incoming.Text("archival_code"));
            if (parts is not { } p || p.Fonds != incoming.Text("fonds") || p.Year != incoming.Integer("year") || p.Retention != incoming.Text("retention")
                || p.ItemNo != incoming.Integer("item_no"))
            {
                return "an archival code must read 全宗号-WS·年度-保管期限-件号 and match the item's fonds, year, retention and number";
            }
            return null;
        }
        foreach (var column in ArchiveTables.Fixed)
        {
            if (!System.Text.Json.Nodes.JsonNode.DeepEquals(existing.Data[column], incoming.Data[column])) return $"a filed item's {column} never changes";
        }
        return null;
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddOptions<ArchiveOptions>().BindConfiguration(ArchiveOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArchiveOptions>, ArchiveOptionsValidator>();
        services.AddSingleton<ArchiveService>();
        services.AddSingleton<IWorkSource, ArchiveWorkSource>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(ArchiveJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => ArchiveApi.Map(endpoints);

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/archive", typeof(ArchiveText), "Nav_Archive", MudBlazor.Icons.Material.Filled.Inventory2, Policies.Staff, MatchAll: true),
        new("/archive/ready", typeof(ArchiveText), "Nav_Ready", MudBlazor.Icons.Material.Filled.Archive, Policies.DocumentsWrite),
    ];
}
