using EGovEdge.Hub.Configuration;
using EGovEdge.Hub.Sync;
using EGovEdge.Office;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Options;

namespace EGovEdge.Hub.Extensions;

public static class HubServiceExtensions
{
    public static HubOptions ReadHubOptions(this IConfiguration configuration)
    {
        var options = new HubOptions();
        configuration.GetSection(HubOptions.Section).Bind(options);
        var errors = new List<string>();
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true))
        {
            errors.AddRange(results.Select(r => r.ErrorMessage ?? "invalid"));
        }
        foreach (var code in options.Townships.Keys.Where(c => !NodeIds.IsValid(c) || c == NodeIds.Hub))
        {
            errors.Add($"EGov:Townships:{code}: a township code is lower-case letters, digits, '-' or '_', starts with a letter, and is not 'hub'.");
        }
        if (options.Database.Provider is not ("sqlite" or "postgres"))
        {
            errors.Add("EGov:Database:Provider must be 'sqlite' or 'postgres'.");
        }
        if (options.Database.Provider == "postgres" && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            errors.Add("EGov:Database:ConnectionString is required when EGov:Database:Provider is postgres.");
        }
        if (errors.Count > 0) throw new OptionsValidationException(HubOptions.Section, typeof(HubOptions), errors);
        return options;
    }

    public static WebApplicationBuilder AddHub(this WebApplicationBuilder builder, HubOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddNodeWeb(NodeIds.Hub, options.DataDir);
        services.AddOffice();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSingleton<IHubDatabase>(_ => HubDatabases.Create(options));
        services.AddSingleton(sp => new HubStore(
            sp.GetRequiredService<IHubDatabase>(), sp.GetRequiredService<SyncSchema>(), sp.GetRequiredService<TimeProvider>(), new OfficeWriteRules()));
        services.AddSingleton<ILocalStore>(sp => sp.GetRequiredService<HubStore>());
        services.AddSingleton<NodeAuthenticator>();
        services.AddSingleton<EnrollmentService>();
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(HubJsonContext.Default));
        services.AddHostedService<TownshipPublisher>();
        services.AddHostedService<RetentionService>();
        return builder;
    }
}
