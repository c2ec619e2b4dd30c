using System.Globalization;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Sync;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Conflicts;

/// <summary>
/// Open conflicts (a pair of concurrent versions with no resolution yet) and their resolution: keep the winner,
/// keep the loser, or save a merged version. The row change and the resolution record sync like any other write,
/// so the conflict closes on every node.
/// </summary>
public sealed class ConflictService(ILocalStore store, TimeProvider time, IStringLocalizer<Text> text)
{
    public const string KeepWinner = "winner";
    public const string KeepLoser = "loser";
    public const string KeepMerged = "merged";

    public IReadOnlyList<ConflictView> Open()
    {
        var t = store.Schema[ConflictTables.Conflicts];
        using var conn = store.OpenConnection();
        using var cmd = conn.Command($"""
            SELECT {RowIo.SelectList(t)} FROM conflicts c
            WHERE c.deleted = 0 AND NOT EXISTS (SELECT 1 FROM conflict_resolutions r WHERE r.pair_id = c.pair_id AND r.deleted = 0)
            ORDER BY c.detected_utc
            """);
        using var r = cmd.ExecuteReader();
        var rows = new List<SyncRow>();
        while (r.Read()) rows.Add(RowIo.ReadRow(t, r));
        return rows.GroupBy(x => x.Text("pair_id")!).Select(g => View(g.ToList())).ToList();
    }

    public ConflictView? Find(string pairId) => Open().FirstOrDefault(c => c.PairId == pairId);

    /// <summary>Resolves an open conflict; throws OfficeValidationException / OfficeForbiddenException on bad input.</summary>
    public ConflictView Resolve(string pairId, string? keep, JsonObject? merged, string actor)
    {
        var conflict = Find(pairId) ?? throw new KeyNotFoundException(pairId);
        if (!conflict.CanResolve) throw new OfficeForbiddenException(text["Conflict_NotHere"]);
        var table = store.Schema[conflict.Table];
        SyncRow? result;
        switch (keep)
        {
            case KeepWinner:
                result = Apply(table, conflict.RowId, conflict.Winner);
                break;
            case KeepLoser:
                result = Apply(table, conflict.RowId, conflict.Loser);
                break;
            case KeepMerged:
                var data = table.Sanitize(MergeInto(conflict.Winner.Data, merged), out var error);
                if (error is not null) throw new OfficeValidationException(new Dictionary<string, string[]> { ["data"] = [error] });
                result = store.Put(table.Name, conflict.RowId, data);
                break;
            default:
                throw new OfficeValidationException(new Dictionary<string, string[]> { ["keep"] = [text["Conflict_KeepValues"]] });
        }
        store.Put(ConflictTables.Resolutions, ConflictTables.StableId(pairId + "/resolution"), new JsonObject
        {
            ["pair_id"] = pairId,
            ["keep"] = keep,
            ["resolved_by"] = actor,
            ["resolved_utc"] = time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["result_hlc"] = result?.Hlc,
            ["scope"] = conflict.Scope,
        });
        return conflict;
    }

    /// <summary>Makes the row hold the chosen version's content (a new version, so it syncs and wins over both).</summary>
    private SyncRow? Apply(SyncTable table, string rowId, SyncRow chosen)
    {
        var current = store.Get(table.Name, rowId);
        if (current is not null && current.Deleted == chosen.Deleted && JsonNode.DeepEquals(current.Data, chosen.Data)) return current;
        if (chosen.Deleted)
        {
            store.Delete(table.Name, rowId);
            return store.Get(table.Name, rowId);
        }
        return store.Put(table.Name, rowId, chosen.Data);
    }

    private static JsonObject MergeInto(JsonObject baseData, JsonObject? merged)
    {
        var result = (JsonObject)baseData.DeepClone();
        if (merged is null) return result;
        foreach (var (key, value) in merged) result[key] = value?.DeepClone();
        return result;
    }

    private ConflictView View(List<SyncRow> records)
    {
        var first = records[0];
        var winner = RowIo.FromJson(first.Text("winner_json")!);
        var loser = RowIo.FromJson(first.Text("loser_json")!);
        var current = store.Get(winner.Table, winner.Id);
        var diffs = winner.Data.Select(p => p.Key).Union(loser.Data.Select(p => p.Key))
            .Select(k => new FieldDiff(k, Show(winner.Data[k]), Show(loser.Data[k])))
            .ToList();
        if (winner.Deleted != loser.Deleted) diffs.Insert(0, new FieldDiff("deleted", winner.Deleted ? "✓" : "", loser.Deleted ? "✓" : ""));
        return new ConflictView
        {
            PairId = first.Text("pair_id")!,
            Table = winner.Table,
            RowId = winner.Id,
            Winner = winner,
            Loser = loser,
            WinnerBy = Writer(winner),
            LoserBy = Writer(loser),
            WinnerAt = WrittenAt(winner),
            LoserAt = WrittenAt(loser),
            DetectedBy = records.Select(r => r.Text("detected_node")!).Distinct().ToList(),
            DetectedUtc = DateTimeOffset.Parse(first.Text("detected_utc")!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Fields = diffs,
            Scope = first.Text("scope") ?? Scopes.Everyone,
            CanResolve = store.NodeId == NodeIds.Hub || (current?.Origin ?? winner.Origin) == store.NodeId,
            Title = winner.Text("title") ?? loser.Text("title") ?? winner.Text("username") ?? winner.Id,
        };
    }

    private static string Show(JsonNode? v) => v is null ? "" : v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();

    private static string Writer(SyncRow row) => Hlc.TryParse(row.Hlc, out var h) ? h.Node : row.Origin;

    private static DateTimeOffset? WrittenAt(SyncRow row) => Hlc.TryParse(row.Hlc, out var h) ? DateTimeOffset.FromUnixTimeMilliseconds(h.WallMs) : null;
}

public sealed record FieldDiff(string Field, string Winner, string Loser)
{
    public bool Differs => Winner != Loser;
}

public sealed class ConflictView
{
    public required string PairId { get; init; }
    public required string Table { get; init; }
    public required string RowId { get; init; }
    public required string Title { get; init; }
    public required SyncRow Winner { get; init; }
    public required SyncRow Loser { get; init; }
    public required string WinnerBy { get; init; }
    public required string LoserBy { get; init; }
    public DateTimeOffset? WinnerAt { get; init; }
    public DateTimeOffset? LoserAt { get; init; }
    public required IReadOnlyList<string> DetectedBy { get; init; }
    public DateTimeOffset DetectedUtc { get; init; }
    public required IReadOnlyList<FieldDiff> Fields { get; init; }
    public required string Scope { get; init; }
    public bool CanResolve { get; init; }
}
