using System.Security.Claims;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace EGovEdge.Office.Notices;

/// <summary>The notices' home-page counts: unread notices and active early warnings.</summary>
public sealed class NoticeWorkSource(NoticeService notices, IStringLocalizer<NoticeText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true) return [];
        var reader = NoticeReader.From(user);
        return
        [
            new WorkItemCount("notices.unread", text["Work_Unread"], (int)notices.UnreadCount(reader), "/notices?unread=true", MudBlazor.Icons.Material.Filled.MarkEmailUnread),
            new WorkItemCount("notices.warnings", text["Work_Warnings"], (int)notices.ActiveWarningCount(reader), "/notices?kind=warning", MudBlazor.Icons.Material.Filled.Warning),
        ];
    }
}

/// <summary>Every registered <see cref="IWorkSource"/>'s counts for one user; a failing source is logged and left out, not fatal.</summary>
public sealed partial class HomeWork(IEnumerable<IWorkSource> sources, ILogger<HomeWork> log)
{
    public IReadOnlyList<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var list = new List<WorkItemCount>();
        foreach (var source in sources)
        {
            try
            {
                list.AddRange(source.For(user));
            }
#pragma warning disable CA1031 // One module's broken count must not take the home page down.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSourceFailed(log, source.GetType().Name, ex);
            }
        }
        return list;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Home page work source {Source} failed")]
    private static partial void LogSourceFailed(ILogger logger, string source, Exception ex);
}
