using EGovEdge.Sync;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Booking;

/// <summary>Lists of node codes or usernames stored as "|a|b|" (empty list: "").</summary>
public static class Audience
{
    public static string Encode(IEnumerable<string> items)
    {
        var list = items.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "" : "|" + string.Join('|', list) + "|";
    }

    public static IReadOnlyList<string> Decode(string? stored) => (stored ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static bool Contains(string? stored, string item) =>
        !string.IsNullOrEmpty(stored) && stored.Contains("|" + item + "|", StringComparison.Ordinal);

    /// <summary>The scope of a booking row: its origin, the resource owner, the hub and the listed audience nodes.</summary>
    public static string Scope(SyncRow row, params string[] nodeColumns)
    {
        ArgumentNullException.ThrowIfNull(row);
        var nodes = new List<string> { row.Origin, NodeIds.Hub };
        foreach (var c in nodeColumns) nodes.AddRange(Decode(row.Text(c)));
        return Scopes.Of(nodes);
    }
}
