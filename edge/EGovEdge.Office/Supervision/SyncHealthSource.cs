using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Supervision;

/// <summary>Each township's sync progress as this node knows it (null: not available here).</summary>
public interface ISyncHealthSource
{
    IReadOnlyList<SyncHealthRow>? Townships(IReadOnlyDictionary<string, string> names);
}

/// <summary>
/// The default source: the hub store's own per-township record (<c>hub_nodes</c>, <c>hub_rejected</c>, the same as the
/// 乡镇同步 page); a township node does not know the others and reports "not available".
/// </summary>
public sealed class StoreSyncHealthSource(ILocalStore store) : ISyncHealthSource
{
    public IReadOnlyList<SyncHealthRow>? Townships(IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (store is not HubStore hub) return null;
        var nodes = hub.Nodes().ToDictionary(n => n.Node, StringComparer.Ordinal);
        return names.Keys.Union(nodes.Keys).Order(StringComparer.Ordinal).Select(code =>
        {
            var i = nodes.GetValueOrDefault(code);
            return new SyncHealthRow(code, names.GetValueOrDefault(code, code), i?.LastSyncUtc, i is null ? 0 : Math.Max(0, i.HubSequence - i.PullCursor),
                i?.Rejected ?? 0, i?.ChangesReceived ?? 0, i?.ChangesSent ?? 0);
        }).ToList();
    }
}
