using EGovEdge.Edge.Sync;
using EGovEdge.Sync.Agent;

namespace EGovEdge.Edge.Cli;

/// <summary>
/// <c>sync run</c>: one push + pull cycle (EdgeSyncAgent, as the web process runs it).
/// <c>sync bootstrap</c>: the same cycle with a progress bar, meant for a new or empty edge: until its first full pull
/// completes the edge asks for its whole scope, its own rows included; each page is applied with its cursor, so an
/// interrupted bootstrap continues from the last page applied.
/// </summary>
public static class RunVerb
{
    public static async Task<int> RunAsync(CliSession s, TextWriter w, TextWriter err, bool bootstrap, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(err);
        var hub = s.Hub;
        var store = s.Store;
        var verb = bootstrap ? "bootstrap" : "run";
        var wasDone = store.GetState("initial_pull_done") is not null;
        var startCursor = store.PullCursor;
        var resumed = bootstrap && !wasDone && startCursor > 0;

        // Progress: a bar on a terminal; plain lines when redirected; on stderr with --json (stdout is the document).
        var progressOut = s.Args.Json ? err : w;
        var interactive = !s.Args.Json && !Console.IsOutputRedirected;
        var bar = new ProgressBar(progressOut, interactive);
        if (!s.Args.Json)
        {
            if (bootstrap)
            {
                w.WriteLine($"初始同步 bootstrap {s.NodeId} ← {s.HubUrl}");
                w.WriteLine(wasDone
                    ? "  this edge has completed a full pull before: fetching only what changed since (cursor " + TextOut.Number(startCursor) + ")"
                    : resumed
                        ? "  继续 resuming an interrupted bootstrap after hub sequence " + TextOut.Number(startCursor)
                        : "  pulling the whole scope of " + s.NodeId);
            }
            else
            {
                w.WriteLine($"同步 sync {s.NodeId} ⇄ {s.HubUrl}");
            }
        }

        var credentials = hub.GetRequiredService<EdgeCredentials>();
        await credentials.EnsureEnrolledAsync(ct);
        if (credentials.EnrollmentError is { } enrollError)
        {
            await err.WriteLineAsync("error: " + enrollError);
        }
        var agent = hub.GetRequiredService<EdgeSyncAgent>();
        EventHandler<SyncProgress> onProgress = (_, p) => bar.Report(p);
        if (bootstrap) agent.Progress += onProgress;
        SyncCycleResult r;
        try
        {
            r = await agent.RunOnceAsync(ct);
        }
        finally
        {
            agent.Progress -= onProgress;
            bar.Finish();
        }

        var done = store.GetState("initial_pull_done") is not null;
        var result = new RunJson
        {
            NodeId = s.NodeId,
            Verb = verb,
            HubUrl = s.HubUrl,
            Outcome = r.Outcome.ToString().ToLowerInvariant(),
            Pushed = r.Pushed,
            Pulled = r.Pulled,
            Received = bar.Received,
            Pages = bar.Pages,
            Conflicts = r.Conflicts,
            Rejected = r.Rejected,
            DurationMs = r.DurationMs,
            BytesUp = r.BytesUp,
            BytesDown = r.BytesDown,
            Error = r.Error,
            CorrelationId = r.CorrelationId,
            PullCursor = store.PullCursor,
            PendingChanges = store.PendingRowCount(),
            InitialPullDone = done,
            Resumed = resumed,
        };
        if (r.Succeeded && bootstrap && store.GetState("hub_url") is null && s.HubUrl is not null)
        {
            store.SetState("hub_url", s.HubUrl); // a database created by bootstrap remembers its hub
        }
        var code = r.Succeeded ? SyncCli.Ok : SyncCli.NotOk;
        if (s.Args.Json)
        {
            w.WriteLine(CliJsonContext.Write(result));
            return code;
        }

        w.WriteLine();
        if (!r.Succeeded)
        {
            w.WriteLine($"同步失败 sync {result.Outcome}: {TextOut.OneLine(r.Error, 400)}");
            if (r.Outcome == SyncOutcome.Refused && s.CredentialKind() == "none") w.WriteLine("  no township key: give --EGov:HubKey=KEY or --EGov:EnrollmentCode=CODE");
            if (bootstrap && result.PullCursor > startCursor)
            {
                w.WriteLine($"  {TextOut.Number(bar.Received)} rows were received and are kept (cursor {TextOut.Number(result.PullCursor)}); run sync bootstrap again to continue.");
            }
        }
        var seconds = Math.Max(r.DurationMs, 1) / 1000.0;
        var pairs = new List<(string, string)>
        {
            ("结果 outcome", result.Outcome + " in " + TextOut.Duration(r.DurationMs)),
            ("上传 pushed", TextOut.Number(r.Pushed)),
            ("下载 pulled", TextOut.Number(r.Pulled) + (bootstrap ? $" applied of {TextOut.Number(bar.Received)} received in {bar.Pages} pages" + (bar.Received > 0 ? $" ({TextOut.Number((long)(bar.Received / seconds))} rows/s)" : "") : "")),
            ("冲突 conflicts", TextOut.Number(r.Conflicts)),
            ("拒绝 rejected", TextOut.Number(r.Rejected)),
            ("流量 bytes", $"{TextOut.Bytes(r.BytesUp)} up · {TextOut.Bytes(r.BytesDown)} down"),
            ("待上传 pending", TextOut.Number(result.PendingChanges)),
        };
        if (bootstrap) pairs.Add(("完整 full pull", done ? "完成 complete" : "not yet complete"));
        pairs.Add(("correlation id", r.CorrelationId));
        TextOut.Pairs(w, pairs);
        return code;
    }
}
