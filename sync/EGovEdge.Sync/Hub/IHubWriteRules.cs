using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Hub;

/// <summary>Decides, per pushed row, whether a township may write it. Returns null to accept or a reason to refuse.</summary>
public interface IHubWriteRules
{
    string? Check(string node, SyncTable table, SyncRow? existing, SyncRow incoming);
}

/// <summary>The base rule: a township creates rows only as itself and changes only rows it originated.</summary>
public sealed class OwnRowsOnlyRules : IHubWriteRules
{
    public string? Check(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (existing is null)
        {
            return incoming.Origin == node ? null : $"node '{node}' may not create a row on behalf of '{incoming.Origin}'";
        }
        if (existing.Origin != incoming.Origin) return "the origin of a row cannot change";
        return existing.Origin == node ? null : $"node '{node}' may not change a row owned by '{existing.Origin}'";
    }
}
