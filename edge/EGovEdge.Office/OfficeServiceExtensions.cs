using System.Text.Encodings.Web;
using System.Text.Unicode;
using EGovEdge.Office.Api;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Townships;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace EGovEdge.Office;

public static class OfficeServiceExtensions
{
    /// <summary>The office modules, UI localisation (zh-CN default, en) and MudBlazor. The host registers the ILocalStore.</summary>
    public static IServiceCollection AddOffice(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(OfficeSchema.Create());
        services.AddSingleton<DocumentService>();
        services.AddSingleton<TownshipDirectory>();
        services.AddSingleton<EGovEdge.Office.Conflicts.ConflictService>();
        foreach (var module in OfficeModules.All) module.AddServices(services);
        services.AddLocalization();
        services.AddMudServices();
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, OfficeJsonContext.Default);
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });
        return services;
    }
}
