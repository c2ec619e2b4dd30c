using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Supervision;

/// <summary>The Supervision module.</summary>
public sealed class SupervisionModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
