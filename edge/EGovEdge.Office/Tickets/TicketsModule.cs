using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Tickets;

/// <summary>The Tickets module.</summary>
public sealed class TicketsModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
