using System.Text.Json.Nodes;
using EGovEdge.Sync;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Townships;

/// <summary>Township codes and names as this node knows them (the hub publishes them to every edge).</summary>
public sealed class TownshipDirectory(ILocalStore store)
{
    public IReadOnlyDictionary<string, string> All()
    {
        using var conn = store.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT code, name FROM townships WHERE deleted = 0 ORDER BY code";
        using var r = cmd.ExecuteReader();
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (r.Read()) map[r.GetString(0)] = r.GetString(1);
        return map;
    }

    /// <summary>The display name of a node: a township's name, the county hub, or the code itself.</summary>
    public string NameOf(string code, IReadOnlyDictionary<string, string>? known = null, string? hubName = null)
    {
        if (code == NodeIds.Hub) return hubName ?? "县级平台";
        known ??= All();
        return known.TryGetValue(code, out var name) ? name : code;
    }

    /// <summary>Hub only: publishes one township to every node.</summary>
    public void Publish(string code, string name) =>
        store.Put(TownshipsTable.Name, TownshipsTable.IdFor(code), new JsonObject { ["code"] = code, ["name"] = name });
}
