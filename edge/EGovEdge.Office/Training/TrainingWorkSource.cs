using System.Security.Claims;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Training;

/// <summary>Home page: exams this person still has to pass; for organisers, people of their unit flagged for re-training.</summary>
public sealed class TrainingWorkSource(TrainingService training, IStringLocalizer<TrainingText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity?.Name ?? "";
        yield return new WorkItemCount("training.exams", text["Work_Exams"], training.ExamsToTake(name), "/training/exams", MudBlazor.Icons.Material.Filled.Quiz);
        if (user.IsInRole(Roles.Clerk) || user.IsInRole(Roles.Leader) || user.IsInRole(Roles.Admin))
        {
            var unit = user.FindFirst(StaffClaims.Unit)?.Value ?? training.NodeId;
            var all = user.IsInRole(Roles.Admin) && training.NodeId == EGovEdge.Sync.NodeIds.Hub;
            yield return new WorkItemCount("training.retrain", text["Work_Retrain"], training.Retraining(all ? null : unit).Count, "/training/results", MudBlazor.Icons.Material.Filled.School);
        }
    }
}
