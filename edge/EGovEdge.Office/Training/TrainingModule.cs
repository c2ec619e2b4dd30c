using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Training;

/// <summary>The Training module.</summary>
public sealed class TrainingModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
