using System.Security.Claims;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Archives;

/// <summary>Home page, for clerks and administrators: documents finished here that wait to be filed.</summary>
public sealed class ArchiveWorkSource(ArchiveService archive, IStringLocalizer<ArchiveText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.IsInRole(Roles.Clerk) && !user.IsInRole(Roles.Admin)) yield break;
        yield return new WorkItemCount("archive.ready", text["Work_Ready"], archive.ReadyCount(), "/archive/ready", MudBlazor.Icons.Material.Filled.Archive);
    }
}
