using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Traceability;

/// <summary>The Traceability module.</summary>
public sealed class TraceabilityModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
