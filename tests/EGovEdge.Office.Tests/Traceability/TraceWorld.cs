using System.Security.Claims;
using Bunit;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Traceability;
using EGovEdge.Office.Training;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Traceability;

/// <summary>
/// The shared <see cref="OfficeWorld"/> (hub + townships on real SQLite files, synced in-process) with the
/// traceability and training services of each node.
/// </summary>
internal sealed class TraceWorld : IDisposable
{
    public const string PublicBase = "https://zw.changshun.example/";

    private readonly ServiceProvider _services;

    public TraceWorld()
    {
        World = new OfficeWorld();
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        TraceText = _services.GetRequiredService<IStringLocalizer<TraceText>>();
        TrainingText = _services.GetRequiredService<IStringLocalizer<TrainingText>>();
        new TownshipDirectory(World.Hub).Publish("guangshun", "广顺镇");
        new TownshipDirectory(World.Hub).Publish("malu", "马路乡");
    }

    public OfficeWorld World { get; }

    public IStringLocalizer<TraceText> TraceText { get; }

    public IStringLocalizer<TrainingText> TrainingText { get; }

    public TraceService Trace(ILocalStore store, string? publicBase = PublicBase) =>
        new(store, World.Time, TraceText, Options.Create(new TraceOptions { PublicBaseUrl = publicBase }));

    public TrainingService Training(ILocalStore store) => new(store, World.Time, TrainingText);

    public static Actor Staff(string username, string unit) => new(username, username, unit);

    /// <summary>A producer, a product and one batch registered at <paramref name="store"/>.</summary>
    public BatchDto RegisterSample(ILocalStore store, string producer = "顺达蔬菜种植专业合作社", string product = "长顺绿壳鸡蛋", string? batchNo = null)
    {
        var trace = Trace(store);
        var actor = Staff("clerk-" + store.NodeId, store.NodeId);
        var p = trace.CreateProducer(new ProducerInput { Kind = TraceTables.KindCooperative, Name = producer, Village = "营盘村", Contact = "13812345678", Licence = "93522729MA6H000001" }, actor);
        var prod = trace.CreateProduct(new ProductInput { ProducerId = p.Id, Name = product, Category = "禽蛋" });
        return trace.RegisterBatch(new BatchInput { ProductId = prod.Id, BatchNo = batchNo, ProducedOn = "2026-11-20", Place = "营盘村3组养殖场", Quantity = "500", Unit = "枚" }, actor);
    }

    public void Dispose()
    {
        _services.Dispose();
        World.Dispose();
    }
}

/// <summary>bUnit over one node of a <see cref="TraceWorld"/> (Chinese UI), signed in as one staff member.</summary>
internal sealed class ModuleUi : IAsyncDisposable
{
    public ModuleUi(TraceWorld world, ILocalStore store, string username, string unit, params string[] roles)
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = Ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddLogging();
        s.AddSingleton<TimeProvider>(world.World.Time);
        s.AddSingleton(store);
        s.AddSingleton(world.Trace(store));
        s.AddSingleton(world.Training(store));
        s.AddSingleton<TownshipDirectory>();
        var auth = Ctx.AddAuthorization();
        auth.SetAuthorized(username);
        var roleList = roles.Length == 0 ? [Roles.Clerk] : roles;
        auth.SetRoles(roleList);
        if (roleList.Any(r => r is Roles.Clerk or Roles.Leader or Roles.Admin)) auth.SetPolicies(Policies.DocumentsWrite, Policies.Staff);
        else auth.SetPolicies(Policies.Staff);
        auth.SetClaims(new Claim(StaffClaims.Unit, unit));
    }

    public BunitContext Ctx { get; } = new();

    public string Uri => Ctx.Services.GetRequiredService<NavigationManager>().Uri;

    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        Ctx.Render<MudPopoverProvider>();
        Ctx.Render<MudSnackbarProvider>();
        return parameters is null ? Ctx.Render<T>() : Ctx.Render<T>(parameters);
    }

    public ValueTask DisposeAsync() => Ctx.DisposeAsync();
}
