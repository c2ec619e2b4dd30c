using System.Security.Claims;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Workflow;

/// <summary>Home page: documents waiting for this user (to review, to sign, to seal, to sign for, to handle).</summary>
public sealed class WorkflowWorkSource(WorkflowService workflow, IStringLocalizer<WorkflowText> text) : IWorkSource
{
    public IEnumerable<WorkItemCount> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var c = workflow.Counts(WorkflowActor.From(user));
        return
        [
            new("workflow.review", text["Wf_Work_Review"], c.ToReview, "/documents?state=InReview", MudBlazor.Icons.Material.Filled.FactCheck),
            new("workflow.signoff", text["Wf_Work_SignOff"], c.ToSign, "/documents?state=AwaitingSignOff", MudBlazor.Icons.Material.Filled.Draw),
            new("workflow.seal", text["Wf_Work_Seal"], c.ToSeal, "/documents?state=Printed", MudBlazor.Icons.Material.Filled.Approval),
            new("workflow.signfor", text["Wf_Work_SignFor"], c.ToSignFor, "/inbox", MudBlazor.Icons.Material.Filled.MoveToInbox),
            new("workflow.handle", text["Wf_Work_Handle"], c.ToHandle, "/inbox", MudBlazor.Icons.Material.Filled.AssignmentInd),
            new("workflow.deadline", text["Wf_Work_Deadline"], c.DeadlineNear, "/inbox", MudBlazor.Icons.Material.Filled.Alarm),
        ];
    }
}
