using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>
/// <see cref="OwnRowsOnlyRules"/>, plus one table that only the county writes: a township's insert there is
/// refused as forbidden although the township is the row's origin (the hub then has no version to send back).
/// </summary>
internal sealed class CountyOnlyTableRules(string countyTable) : IHubWriteRules
{
    private readonly OwnRowsOnlyRules _base = new();

    public string? Check(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Name == countyTable ? $"only the county writes '{countyTable}'" : _base.Check(node, table, existing, incoming);
    }
}
