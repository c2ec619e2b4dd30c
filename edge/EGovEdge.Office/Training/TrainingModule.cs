using EGovEdge.Office.Booking;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Training;

/// <summary>
/// Training and exams: sessions with sign-in, timed exams marked automatically, results per unit and period published
/// county-wide, re-training flagged for those who failed until they pass.
/// </summary>
public sealed class TrainingModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => TrainingTables.All;

    /// <summary>
    /// Sessions and exams: own rows only; an exam's questions and period never change once created (attempts were
    /// marked against them). Attendance and attempts: append-only, written only as the pushing township.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        return table.Name switch
        {
            TrainingTables.Attendance => BookingEngine.CheckAppendOnly(node, existing, incoming, "attendance records"),
            TrainingTables.Attempts => BookingEngine.CheckAppendOnly(node, existing, incoming, "exam attempts"),
            TrainingTables.Exams when existing is not null && (existing.Text("questions") != incoming.Text("questions") || existing.Text("period") != incoming.Text("period"))
                => "an exam's questions and period never change",
            _ => base.CheckWrite(node, table, existing, incoming),
        };
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<TrainingService>();
        services.AddSingleton<IWorkSource, TrainingWorkSource>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(TrainingJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => TrainingApi.Map(endpoints);

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/training", typeof(TrainingText), "Nav_Sessions", MudBlazor.Icons.Material.Filled.School, MatchAll: true),
        new("/training/exams", typeof(TrainingText), "Nav_Exams", MudBlazor.Icons.Material.Filled.Quiz),
        new("/training/results", typeof(TrainingText), "Nav_Results", MudBlazor.Icons.Material.Filled.Leaderboard),
    ];
}
