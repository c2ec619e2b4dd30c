using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Notices;

/// <summary>The Notices module.</summary>
public sealed class NoticesModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
