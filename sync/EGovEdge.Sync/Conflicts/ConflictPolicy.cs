using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Conflicts;

/// <summary>
/// Decides what to do with an incoming row version. Deterministic on every node:
/// a delete beats a concurrent edit (a deleted row never comes back by itself), otherwise the later HLC wins
/// (the node id breaks ties). The loser of a real conflict is always kept by the caller.
/// </summary>
public static class ConflictPolicy
{
    /// <param name="local">The row as stored here, or null.</param>
    /// <param name="incoming">The arriving version.</param>
    /// <param name="incomingChain">Versions the sender made before <paramref name="incoming"/> since its <c>Prev</c>.</param>
    /// <param name="localUnshared">
    /// True when the local version may be unknown to the sender: at the hub always, at an edge when the row has
    /// local changes not yet acknowledged by the hub.
    /// </param>
    /// <param name="localChain">Local versions made since the last shared one (edge only).</param>
    public static ApplyDecision Decide(
        SyncRow? local,
        SyncRow incoming,
        IReadOnlyCollection<string>? incomingChain,
        bool localUnshared,
        IReadOnlyCollection<string>? localChain = null)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (local is null) return ApplyDecision.Insert;
        if (local.Hlc == incoming.Hlc) return ApplyDecision.Skip;
        if (localChain is not null && localChain.Contains(incoming.Hlc)) return ApplyDecision.Skip;

        var descends = incoming.PrevHlc == local.Hlc || (incomingChain?.Contains(local.Hlc) ?? false);
        if (descends) return ApplyDecision.FastForward;

        if (!localUnshared)
        {
            // Nothing local is unknown to the sender, so the newer version simply supersedes.
            return Compare(incoming, local) > 0 ? ApplyDecision.FastForward : ApplyDecision.Skip;
        }

        return Compare(incoming, local) > 0 ? ApplyDecision.IncomingWins : ApplyDecision.LocalWins;
    }

    /// <summary>Total order of concurrent versions: deleted first, then HLC (text order equals stamp order).</summary>
    public static int Compare(SyncRow a, SyncRow b)
    {
        if (a.Deleted != b.Deleted) return a.Deleted ? 1 : -1;
        return string.CompareOrdinal(a.Hlc, b.Hlc);
    }
}
