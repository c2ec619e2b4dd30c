namespace EGovEdge.Sync;

/// <summary>Rules for node identifiers (township codes and the hub's own id).</summary>
public static class NodeIds
{
    /// <summary>The hub's node id: rows written at the county hub carry it as their origin.</summary>
    public const string Hub = "hub";

    /// <summary>Lower-case ASCII letters, digits, '-' and '_', 1 to 40 characters, starting with a letter.</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 40 || id[0] is < 'a' or > 'z') return false;
        foreach (var ch in id)
        {
            if (ch is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')) return false;
        }
        return true;
    }
}
