using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Broadcasts;

/// <summary>The Broadcasts module.</summary>
public sealed class BroadcastsModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
