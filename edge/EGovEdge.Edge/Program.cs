using EGovEdge.Edge.Components;
using EGovEdge.Edge.Extensions;
using EGovEdge.Edge.Sync;
using EGovEdge.Office;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Api;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;

// `EGovEdge.Edge sync <verb> ...` is the technician's command line: no web host, just the verb and its exit code.
if (EGovEdge.Edge.Cli.SyncCli.IsCommandLine(args)) return await EGovEdge.Edge.Cli.SyncCli.RunAsync(args[1..]);

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
    var options = builder.Configuration.ReadEdgeOptions();
    builder.AddNodeLogging("edge", options.NodeId, options.DataDir);
    builder.AddEdge(options);

    var app = builder.Build();
    app.Services.GetRequiredService<UserService>().EnsureAdministrator(options.Admin.Password);
    var store = app.Services.GetRequiredService<EGovEdge.Sync.Storage.EdgeStore>();
    store.SetState("hub_url", options.HubUrl); // the command line's default hub
    EGovEdge.Sync.Diagnostics.SyncMetrics.ObserveQueueDepth(() => [new(store.PendingRowCount())]);
    app.UseNodeWeb();
    app.MapEdgeSyncApi();
    app.MapDocumentApi();
    app.MapOfficeModules();
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode()
        .AddAdditionalAssemblies(typeof(OfficeSchema).Assembly);
    return app;
});
