namespace EGovEdge.Sync.Schema;

/// <summary>Scope strings: "*" for every node, or "|a|b|" listing the nodes that may see a row.</summary>
public static class Scopes
{
    public const string Everyone = "*";

    public static string Of(IEnumerable<string> nodes)
    {
        var set = nodes.Where(NodeIds.IsValid).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return set.Count == 0 ? "||" : "|" + string.Join('|', set) + "|";
    }

    public static bool Includes(string scope, string node) =>
        scope == Everyone || scope.Contains("|" + node + "|", StringComparison.Ordinal);
}
