using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Printing;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EGovEdge.Office.Seals;

/// <summary>The Seals module: GB/T 9704 printing and electronic seals (seal registry, 用印, 用印登记, verification).</summary>
public sealed class SealsModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => SealTables.All;

    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming) =>
        SealWriteRules.Check(node, table, existing, incoming);

    public override void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<IDocumentRenderer, GbDocumentRenderer>();
        services.TryAddSingleton<ISealKeyStore, SoftwareSealKeyStore>();
        services.TryAddSingleton<ISealMakerKey, SoftwareSealMakerKey>();
        services.AddSingleton<SealRegistry>();
        services.AddSingleton<SealService>();
        services.AddSingleton<ISealService>(sp => sp.GetRequiredService<SealService>());
        services.AddOptions<SealOptions>().BindConfiguration(SealOptions.Section);
        services.AddHostedService<SealMakerPublisher>();
        services.AddHostedService<SealRevocationListRenewal>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(SealJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapSealApi();

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/seals", typeof(SealText), "Nav_Seals", MudBlazor.Icons.Material.Filled.Verified, Policies.Staff, MatchAll: true),
        new("/seals/uses", typeof(SealText), "Nav_SealUses", MudBlazor.Icons.Material.Filled.ListAlt, Policies.Staff),
        new("/seals/verify", typeof(SealText), "Nav_SealVerify", MudBlazor.Icons.Material.Filled.FactCheck, Policies.Staff),
    ];
}

/// <summary>
/// At the hub: creates the seal maker's key on first start, publishes its public key to every node and issues the
/// first (empty) signed revocation list.
/// </summary>
internal sealed class SealMakerPublisher(SealRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.PublishMakerKey();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// At the hub, every hour: re-issues the signed seal revocation list (same entries, next number) once the newest is
/// past half its validity (<see cref="SealOptions.RevocationListDays"/>), so it never goes stale while the hub runs.
/// Townships write nothing here; they receive the lists by sync.
/// </summary>
public sealed class SealRevocationListRenewal(SealRegistry registry, TimeProvider time, ILogger<SealRevocationListRenewal> log)
    : PeriodicWork(time, log)
{
    protected override string Name => "Seal revocation list renewal";

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override int RunRound() => registry.RenewRevocationList();

    /// <summary>One round now (tests and the technician's tools).</summary>
    public int RunOnce() => RunRound();
}
