using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Workflow;

/// <summary>The Workflow module.</summary>
public sealed class WorkflowModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
