using System.Globalization;

namespace EGovEdge.Edge.Cli;

/// <summary><c>sync status</c>: read from the database only (no hub call).</summary>
public static class StatusVerb
{
    public static int Run(CliSession s, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(w);
        var store = s.Store;
        var recent = store.History(200);
        var last = recent.FirstOrDefault();
        var lastFailure = recent.FirstOrDefault(c => c.Result != "ok");
        var lastSuccess = DateTimeOffset.TryParse(store.GetState("last_success_utc"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
        var pending = store.PendingRowCount();
        var dbPath = store.DatabasePath;
        var status = new StatusJson
        {
            NodeId = s.NodeId,
            InSync = pending == 0 && last?.Result == "ok",
            PendingChanges = pending,
            LastSuccessUtc = lastSuccess,
            LastCycle = last is null ? null : CycleJson.From(last),
            LastError = last is not null && last.Result != "ok" ? last.Error ?? last.Result : null,
            LastFailure = lastFailure is null ? null : CycleJson.From(lastFailure),
            OpenConflicts = s.OpenConflicts().Count,
            Rejected = store.RejectedCount(),
            PushCursor = store.PushCursor,
            PullCursor = store.PullCursor,
            InitialPullDone = store.GetState("initial_pull_done") is not null,
            HubUrl = s.HubUrl,
            HubUrlSource = s.HubUrlSource,
            Credential = s.CredentialKind(),
            Database = new DatabaseJson(dbPath, FileSize(dbPath), FileSize(dbPath + "-wal")),
        };
        if (s.Args.Json)
        {
            w.WriteLine(CliJsonContext.Write(status));
            return status.InSync ? SyncCli.Ok : SyncCli.NotOk;
        }

        w.WriteLine($"乡镇节点 edge {s.NodeId} · 同步状态 sync status (北京时间 China time)");
        w.WriteLine();
        var lastCycle = last is null
            ? "从未同步 never synced"
            : $"{TextOut.Time(last.StartedUtc)} · {last.Result} · {TextOut.Duration(last.DurationMs)} · ↑{last.Pushed} ↓{last.Pulled}";
        var failure = lastFailure is null || lastFailure == last ? null
            : $"{TextOut.Time(lastFailure.StartedUtc)} · {lastFailure.Result}: {TextOut.OneLine(lastFailure.Error)}";
        var pairs = new List<(string, string)>
        {
            ("节点 node", s.NodeId),
            ("中心 hub", s.HubUrl is null ? "— (not stored yet; give --EGov:HubUrl)" : $"{s.HubUrl} ({(s.HubUrlSource == "stored" ? "stored by the web process" : "from the command line")})"),
            ("密钥 credential", s.CredentialKind() switch
            {
                "enrolled" => "enrolled (DataDir/hub-credential)",
                "key" => "EGov:HubKey",
                _ => "none",
            }),
            ("待上传 pending", $"{TextOut.Number(pending)} rows"),
            ("上次成功 last success", TextOut.Time(lastSuccess)),
            ("上次同步 last cycle", lastCycle),
            ("最近错误 last error", status.LastError is null ? "—" : TextOut.OneLine(status.LastError)),
        };
        if (failure is not null) pairs.Add(("上次失败 last failure", failure));
        pairs.AddRange(
        [
            ("未决冲突 open conflicts", TextOut.Number(status.OpenConflicts) + (status.OpenConflicts > 0 ? "  → sync conflicts" : "")),
            ("被拒绝 rejected rows", TextOut.Number(status.Rejected)),
            ("游标 cursors", $"push {TextOut.Number(status.PushCursor)} · pull {TextOut.Number(status.PullCursor)}{(status.InitialPullDone ? "" : " · first full pull not finished (sync bootstrap)")}"),
            ("数据库 database", $"{dbPath} · {TextOut.Bytes(status.Database.Bytes)}{(status.Database.WalBytes > 0 ? $" (+ WAL {TextOut.Bytes(status.Database.WalBytes)})" : "")}"),
        ]);
        TextOut.Pairs(w, pairs);
        w.WriteLine();
        if (status.InSync)
        {
            w.WriteLine("结论 verdict: 已同步 in sync");
        }
        else
        {
            var why = new List<string>();
            if (pending > 0) why.Add($"{TextOut.Number(pending)} 行待上传 rows pending");
            if (last is null) why.Add("从未同步 never synced");
            else if (last.Result != "ok") why.Add($"上次同步失败 last cycle {last.Result}");
            w.WriteLine("结论 verdict: 未同步 not in sync — " + string.Join("; ", why));
        }
        return status.InSync ? SyncCli.Ok : SyncCli.NotOk;
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
