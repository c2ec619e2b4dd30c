using System.Security.Claims;
using Bunit;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EGovEdge.Office.Tests.Notices;

/// <summary>bUnit over a <see cref="NoticeWorld"/> node (Chinese UI), signed in as one staff member.</summary>
internal sealed class NoticeUi : IAsyncDisposable
{
    public NoticeUi(NoticeWorld world, ILocalStore store, string username, string unit, IEnumerable<IWorkSource>? extraSources = null, params string[] roles)
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        World = world;
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = Ctx.Services;
        s.AddMudServices();
        s.AddLocalization();
        s.AddLogging();
        s.AddSingleton<TimeProvider>(world.World.Time);
        s.AddSingleton(store);
        s.AddSingleton(world.Env(store.NodeId));
        s.AddSingleton<ISmsGateway, LogFileSmsGateway>();
        s.AddSingleton(world.Outbox(store, new LogFileSmsGateway(world.Env(store.NodeId), world.World.Time)));
        s.AddSingleton(world.Notices(store));
        s.AddSingleton<TownshipDirectory>();
        s.AddSingleton<IWorkSource, NoticeWorkSource>();
        foreach (var source in extraSources ?? []) s.AddSingleton(source);
        s.AddSingleton<HomeWork>();
        var auth = Ctx.AddAuthorization();
        auth.SetAuthorized(username);
        var roleList = roles.Length == 0 ? [Roles.Clerk] : roles;
        auth.SetRoles(roleList);
        if (roleList.Any(r => r is Roles.Clerk or Roles.Leader or Roles.Admin)) auth.SetPolicies(Policies.DocumentsWrite);
        auth.SetClaims(new Claim(StaffClaims.Unit, unit)); // after roles and policies: bUnit rebuilds the claims on each of them
    }

    public NoticeWorld World { get; }

    public BunitContext Ctx { get; } = new();

    public T Get<T>() where T : notnull => Ctx.Services.GetRequiredService<T>();

    public string Uri => Get<NavigationManager>().Uri;

    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        Ctx.Render<MudPopoverProvider>();
        return parameters is null ? Ctx.Render<T>() : Ctx.Render<T>(parameters);
    }

    public ValueTask DisposeAsync() => Ctx.DisposeAsync();
}
