using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Meetings;

/// <summary>The Meetings module.</summary>
public sealed class MeetingsModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
