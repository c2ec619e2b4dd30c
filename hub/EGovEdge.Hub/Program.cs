using EGovEdge.Hub.Components;
using EGovEdge.Hub.Extensions;
using EGovEdge.Hub.Sync;
using EGovEdge.Office;
using EGovEdge.Office.Api;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Sync;

return NodePipeline.Run(() =>
{
    var builder = WebApplication.CreateBuilder(args);
    var options = builder.Configuration.ReadHubOptions();
    builder.AddNodeLogging("hub", NodeIds.Hub, options.DataDir);
    builder.AddHub(options);

    var app = builder.Build();
    app.Services.GetRequiredService<UserService>().EnsureAdministrator(options.Admin.Password);
    app.UseNodeWeb();
    app.MapHubSyncApi();
    app.MapDocumentApi();
    app.MapUserApi();
    app.MapTownshipApi();
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode()
        .AddAdditionalAssemblies(typeof(OfficeSchema).Assembly);
    return app;
});
