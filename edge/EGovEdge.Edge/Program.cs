using EGovEdge.Edge.Components;
using EGovEdge.Edge.Extensions;
using EGovEdge.Edge.Sync;
using EGovEdge.Office;
using EGovEdge.Office.Api;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;

// `EGovEdge.Edge sync <verb> ...` is the technician's command line: no web host, just the verb and its exit code.
if (EGovEdge.Edge.Cli.SyncCli.IsCommandLine(args)) return await EGovEdge.Edge.Cli.SyncCli.RunAsync(args[1..]);

return NodePipeline.Run(() =>
{
    var builder = WebApplication.CreateBuilder(args);
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
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode()
        .AddAdditionalAssemblies(typeof(OfficeSchema).Assembly);
    return app;
});
