using System.Security.Claims;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Meetings;

/// <summary>Home page: meetings I am invited to and have not answered; meetings of this node's rooms waiting for a dispatcher.</summary>
public sealed class MeetingWorkSource(MeetingService meetings, TimeProvider time, IStringLocalizer<MeetingText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var actor = Actor.From(user, meetings.NodeId);
        var now = time.GetUtcNow();
        var mine = meetings.List(now, null, actor.Username, actor.Unit)
            .Where(m => m.Status is BookingStatus.Confirmed or BookingStatus.Tentative && m.RequestedBy != actor.Username && m.Host != actor.Username)
            .ToList();
        var open = mine.Count(m => meetings.Detail(m.Id)?.Attendance.All(a => a.Username != actor.Username) ?? false);
        yield return new WorkItemCount("meetings.attend", text["Work_ToAttend"], open, "/meetings?view=mine", MudBlazor.Icons.Material.Filled.Groups);
        if (IsDispatcher(user))
        {
            yield return new WorkItemCount("meetings.confirm", text["Work_ToConfirm"], meetings.AwaitingApproval().Count, "/meetings?view=pending",
                MudBlazor.Icons.Material.Filled.EventAvailable);
        }
    }

    internal static bool IsDispatcher(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Clerk) || user.IsInRole(Roles.Leader) || user.IsInRole(Roles.Admin);
}
