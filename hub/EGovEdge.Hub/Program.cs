using EGovEdge.Hub.Components;
using EGovEdge.Hub.Extensions;
using EGovEdge.Hub.Sync;
using EGovEdge.Office;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Api;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Sync;

return NodePipeline.Run(() =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        // A Windows service starts in System32: its content (wwwroot, appsettings.json) is next to the executable.
        ContentRootPath = Microsoft.Extensions.Hosting.WindowsServices.WindowsServiceHelpers.IsWindowsService() ? AppContext.BaseDirectory : null,
    });
    builder.Services.AddWindowsService(); // no-op unless started by the Windows service manager
    builder.Services.AddSystemd(); // no-op unless started by systemd (then: Type=notify readiness and stop)
    var options = builder.Configuration.ReadHubOptions();
    builder.AddNodeLogging("hub", NodeIds.Hub, options.DataDir);
    builder.AddHub(options);

    var app = builder.Build();
    app.Services.GetRequiredService<UserService>().EnsureAdministrator(options.Admin.Password);
    var store = app.Services.GetRequiredService<EGovEdge.Sync.Hub.HubStore>();
    EGovEdge.Sync.Diagnostics.SyncMetrics.ObserveLag(() => store.Nodes()
        .Select(n => new System.Diagnostics.Metrics.Measurement<long>(Math.Max(0, n.HubSequence - n.PullCursor), new KeyValuePair<string, object?>("township", n.Node)))
        .ToList());
    app.UseNodeWeb();
    app.MapHubSyncApi();
    app.MapHubVerifyApi();
    app.MapDocumentApi();
    app.MapOfficeModules();
    app.MapUserApi();
    app.MapTownshipApi();
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode()
        .AddAdditionalAssemblies(typeof(OfficeSchema).Assembly);
    return app;
});
