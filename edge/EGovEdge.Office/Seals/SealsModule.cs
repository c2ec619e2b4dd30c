using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Seals;

/// <summary>The Seals module.</summary>
public sealed class SealsModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
