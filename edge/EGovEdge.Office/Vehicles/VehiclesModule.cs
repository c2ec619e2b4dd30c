using EGovEdge.Office.Modules;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Vehicles;

/// <summary>The Vehicles module.</summary>
public sealed class VehiclesModule : OfficeModule
{
    public override IReadOnlyList<SyncTable> Tables => [];
}
