using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EGovEdge.Office.Notices;

/// <summary>
/// The Notices module (通知与预警): notices with read receipts, reminders (optionally scheduled), early warnings with
/// SMS, the SMS outbox and its dispatcher, the home page's counts, /api/notices, /api/sms and /api/home.
/// </summary>
public sealed class NoticesModule : OfficeModule
{
    private static readonly OwnRowsOnlyRules OwnRows = new();

    public override IReadOnlyList<SyncTable> Tables => [NoticesTable.Definition, NoticeReadsTable.Definition, SmsOutboxTable.Definition];

    /// <summary>
    /// A township writes only its own notices and SMS rows, and appends read receipts only as itself (a receipt is
    /// never changed afterwards). The hub cannot look up the reader's account here, so "its own users" means: written
    /// at that township and recording that township as the reading node.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        if (table.Name == NoticeReadsTable.Name)
        {
            if (existing is not null) return "read receipts are append-only";
            if (incoming.Origin != node || incoming.Text("node") != node) return "a township records read receipts only for reads at that township";
            return string.IsNullOrEmpty(incoming.Text("username")) ? "a read receipt names its reader" : null;
        }
        if (table.Name == NoticesTable.Name && existing is null && incoming.Text("sender") is null) return "a notice names its sender";
        return OwnRows.Check(node, table, existing, incoming);
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddOptions<SmsOptions>().BindConfiguration("EGov:Sms");
        services.TryAddSingleton<ISmsGateway, LogFileSmsGateway>();
        services.AddSingleton<SmsOutbox>();
        services.AddSingleton<NoticeService>();
        services.AddSingleton<INoticeSender>(sp => sp.GetRequiredService<NoticeService>());
        services.AddSingleton<IWorkSource, NoticeWorkSource>();
        services.AddScoped<HomeWork>(); // scoped: colleagues may register scoped work sources
        services.AddHostedService<SmsDispatcher>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(NoticeJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapNoticeApi();

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/notices", typeof(NoticeText), "Nav_Notices", MudBlazor.Icons.Material.Filled.Campaign),
        new("/sms", typeof(NoticeText), "Nav_Sms", MudBlazor.Icons.Material.Filled.Sms, Policies.Supervise),
        new(NodePipeline.ApiReferencePath + "/", typeof(NoticeText), "Nav_ApiDocs", MudBlazor.Icons.Material.Filled.Api, Policies.Supervise),
    ];
}
