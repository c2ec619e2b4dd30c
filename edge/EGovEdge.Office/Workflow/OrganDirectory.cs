using System.Text.Json.Nodes;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Workflow;

/// <summary>An issuing organ (发文机关): full name, short name, 机关代字, banner and its upward/downward recipients.</summary>
public sealed record Organ(string Code, string Name, string ShortName, string DocPrefix, string Banner,
    IReadOnlyList<string> Upward, IReadOnlyList<string> Downward);

/// <summary>The organ directory as this node knows it (the hub publishes it to every node).</summary>
public sealed class OrganDirectory(ILocalStore store)
{
    public IReadOnlyDictionary<string, Organ> All()
    {
        var map = new SortedDictionary<string, Organ>(StringComparer.Ordinal);
        var t = OrgansTable.Definition;
        using var conn = store.OpenConnection();
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM organs WHERE deleted = 0");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = RowIo.ReadRow(t, r);
            var organ = FromRow(row);
            map[organ.Code] = organ;
        }
        return map;
    }

    public Organ? Get(string code) => store.Get(OrgansTable.Name, OrgansTable.IdFor(code)) is { Deleted: false } row ? FromRow(row) : null;

    /// <summary>The display name of an organ code, falling back to the code.</summary>
    public string NameOf(string code, IReadOnlyDictionary<string, Organ>? known = null)
    {
        known ??= All();
        return known.TryGetValue(code, out var o) ? o.Name : code;
    }

    /// <summary>Hub only: publishes one organ to every node (a no-op when unchanged).</summary>
    public void Publish(Organ organ)
    {
        ArgumentNullException.ThrowIfNull(organ);
        store.Put(OrgansTable.Name, OrgansTable.IdFor(organ.Code), new JsonObject
        {
            ["code"] = organ.Code,
            ["name"] = organ.Name,
            ["short_name"] = organ.ShortName,
            ["doc_prefix"] = organ.DocPrefix,
            ["banner"] = organ.Banner,
            ["upward"] = Encode(organ.Upward),
            ["downward"] = Encode(organ.Downward),
        });
    }

    /// <summary>
    /// Hub only: the county organ and one organ per township, with Chinese defaults derived from the names
    /// (广顺镇 → 广顺镇人民政府, 代字 广府发; the county office → 县府办发).
    /// </summary>
    public void PublishCounty(string? countyName, string? countyPrefix, IEnumerable<(string Code, string Name, string? Prefix)> townships)
    {
        ArgumentNullException.ThrowIfNull(townships);
        var towns = townships.ToList();
        var county = string.IsNullOrWhiteSpace(countyName) ? "县人民政府办公室" : countyName.Trim();
        Publish(new Organ(NodeIds.Hub, county, county, string.IsNullOrWhiteSpace(countyPrefix) ? DefaultPrefix(county) : countyPrefix.Trim(),
            county + "文件", [], [.. towns.Select(t => t.Code)]));
        foreach (var (code, name, prefix) in towns)
        {
            var full = FullTownshipName(name);
            Publish(new Organ(code, full, name.Trim(), string.IsNullOrWhiteSpace(prefix) ? DefaultPrefix(full) : prefix.Trim(),
                full + "文件", [NodeIds.Hub], []));
        }
    }

    /// <summary>广顺镇 → 广顺镇人民政府; a name that already names an organ is kept.</summary>
    public static string FullTownshipName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.Trim();
        return n.EndsWith('镇') || n.EndsWith('乡') || n.EndsWith("街道", StringComparison.Ordinal) ? n + "人民政府" : n;
    }

    /// <summary>A 机关代字 from a full name: 广顺镇人民政府 → 广府发, 长顺县人民政府办公室 → 长府办发.</summary>
    public static string DefaultPrefix(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        var n = fullName.Trim();
        var first = n.Length > 0 ? n[..1] : "府";
        if (n.Contains("办公室", StringComparison.Ordinal)) return first + "府办发";
        if (n.Contains("人民政府", StringComparison.Ordinal)) return first + "府发";
        return first + "发";
    }

    internal static Organ FromRow(SyncRow row)
    {
        var code = row.Text("code") ?? "";
        var name = row.Text("name") ?? code;
        return new Organ(code, name, row.Text("short_name") ?? name, row.Text("doc_prefix") ?? DefaultPrefix(name),
            row.Text("banner") ?? name + "文件", Decode(row.Text("upward")), Decode(row.Text("downward")));
    }

    private static string Encode(IReadOnlyList<string> codes) => codes.Count == 0 ? "" : "|" + string.Join('|', codes) + "|";

    private static string[] Decode(string? stored) => (stored ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);
}
