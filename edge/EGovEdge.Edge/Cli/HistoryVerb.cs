namespace EGovEdge.Edge.Cli;

/// <summary><c>sync history [--limit N]</c>: recent cycles from _sync_history, newest first.</summary>
public static class HistoryVerb
{
    public const int DefaultLimit = 20;

    public static int Run(CliSession s, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(w);
        var cycles = s.Store.History(s.Args.Limit ?? DefaultLimit);
        if (s.Args.Json)
        {
            w.WriteLine(CliJsonContext.Write(new HistoryJson(s.NodeId, cycles.Count, [.. cycles.Select(CycleJson.From)])));
            return SyncCli.Ok;
        }
        w.WriteLine($"乡镇节点 edge {s.NodeId} · 同步记录 sync history, newest first (北京时间 China time)");
        w.WriteLine();
        if (cycles.Count == 0)
        {
            w.WriteLine("  从未同步 no sync cycle recorded yet.");
            return SyncCli.Ok;
        }
        TextOut.Table(w,
            ["时间 time", "结果 result", "耗时 duration", "上传 pushed", "下载 pulled", "冲突 conflicts", "拒绝 rejected", "流量 bytes ↑/↓", "错误 error"],
            cycles.Select(c => (IReadOnlyList<string>)
            [
                TextOut.Time(c.StartedUtc), c.Result, TextOut.Duration(c.DurationMs), TextOut.Number(c.Pushed), TextOut.Number(c.Pulled),
                TextOut.Number(c.Conflicts), TextOut.Number(c.Rejected), $"{TextOut.Bytes(c.BytesUp)} / {TextOut.Bytes(c.BytesDown)}",
                c.Error is null ? "" : TextOut.OneLine(c.Error, 100),
            ]),
            rightAligned: new HashSet<int> { 2, 3, 4, 5, 6 });
        var failed = cycles.Count(c => c.Result != "ok");
        w.WriteLine();
        w.WriteLine($"  {cycles.Count} cycles shown, {failed} failed.");
        return SyncCli.Ok;
    }
}
