using EGovEdge.Sync;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Documents;

/// <summary>Stored form of a recipient list: "*" for the whole county, else "|a|b|".</summary>
public static class Recipients
{
    public const string County = "*";

    public static string Encode(IEnumerable<string> codes)
    {
        var list = codes.ToList();
        return list.Contains(County) ? County : list.Count == 0 ? "" : Scopes.Of(list);
    }

    public static IReadOnlyList<string> Decode(string? stored) =>
        stored == County ? [County] : (stored ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static string Scope(string origin, string? stored) =>
        stored == County ? Scopes.Everyone : Scopes.Of(Decode(stored).Append(origin));

    /// <summary>Null when valid, else the reason.</summary>
    public static string? Validate(IReadOnlyList<string>? codes)
    {
        if (codes is null) return null;
        if (codes.Contains(County) && codes.Count > 1) return "\"*\" (the whole county) cannot be combined with other recipients";
        var bad = codes.FirstOrDefault(c => c != County && !NodeIds.IsValid(c));
        return bad is null ? null : $"'{bad}' is not a township code";
    }
}
