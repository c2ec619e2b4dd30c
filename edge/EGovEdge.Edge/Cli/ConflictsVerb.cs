using EGovEdge.Office.Conflicts;

namespace EGovEdge.Edge.Cli;

/// <summary>
/// <c>sync conflicts</c>: open conflicts (replicated <c>conflicts</c> records whose pair has no
/// <c>conflict_resolutions</c> row), read as the review page reads them. Exit 1 when there are any.
/// </summary>
public static class ConflictsVerb
{
    public static int Run(CliSession s, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(w);
        var open = s.OpenConflicts();
        var code = open.Count == 0 ? SyncCli.Ok : SyncCli.NotOk;
        if (s.Args.Json)
        {
            w.WriteLine(CliJsonContext.Write(new ConflictsJson(s.NodeId, open.Count, [.. open.Select(ToJson)])));
            return code;
        }
        w.WriteLine($"乡镇节点 edge {s.NodeId} · 未决冲突 open conflicts: {open.Count}");
        if (open.Count == 0) return code;
        var n = 0;
        foreach (var c in open)
        {
            w.WriteLine();
            w.WriteLine($"{++n}. {c.Table} {c.RowId}  「{TextOut.OneLine(c.Title, 60)}」");
            var pairs = new List<(string, string)>
            {
                ("胜出 winner", Version(c.WinnerBy, c.WinnerAt, c.Winner.Hlc, c.Winner.Deleted) + "  (the row holds this now)"),
                ("落败 loser", Version(c.LoserBy, c.LoserAt, c.Loser.Hlc, c.Loser.Deleted) + "  (kept in the conflict record)"),
                ("发现 detected", $"{TextOut.Time(c.DetectedUtc)} by {string.Join(", ", c.DetectedBy)}"),
            };
            foreach (var f in c.Fields.Where(f => f.Differs))
            {
                pairs.Add(("  " + f.Field, $"{Quote(f.Winner)}  ≠  {Quote(f.Loser)}"));
            }
            pairs.Add(("冲突编号 pair id", c.PairId + (c.CanResolve ? "" : "  (resolved by the row's owner or at the hub)")));
            TextOut.Pairs(w, pairs, "   ");
        }
        w.WriteLine();
        w.WriteLine("Resolve on the 冲突审核 page, or POST /api/sync/conflicts/{pairId}/resolve {\"keep\":\"winner|loser|merged\"}.");
        return code;
    }

    private static string Version(string by, DateTimeOffset? at, string hlc, bool deleted) =>
        $"{by} · {TextOut.Time(at)}{(deleted ? " · 已删除 deleted" : "")} · {hlc}";

    private static string Quote(string v) => v.Length == 0 ? "(empty)" : "\"" + TextOut.OneLine(v, 50) + "\"";

    private static ConflictJson ToJson(ConflictView c) => new()
    {
        PairId = c.PairId,
        Table = c.Table,
        RowId = c.RowId,
        Title = c.Title,
        Winner = new ConflictVersionJson(c.Winner.Hlc, c.WinnerBy, c.WinnerAt, c.Winner.Deleted),
        Loser = new ConflictVersionJson(c.Loser.Hlc, c.LoserBy, c.LoserAt, c.Loser.Deleted),
        DetectedUtc = c.DetectedUtc,
        DetectedBy = c.DetectedBy,
        Fields = [.. c.Fields.Select(f => new ConflictFieldJson(f.Field, f.Winner, f.Loser, f.Differs))],
        CanResolveHere = c.CanResolve,
    };
}
