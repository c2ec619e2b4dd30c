using EGovEdge.Edge.Sync;
using EGovEdge.Office;
using EGovEdge.Sync.Transport;
using EGovEdge.Sync.Verify;

namespace EGovEdge.Edge.Cli;

/// <summary>
/// <c>sync verify</c>: per-table counts and checksums of this edge against the hub's for this township's scope; for
/// tables that differ, the 256 bucket checksums; for buckets that differ, the rows, each named with how it differs.
/// Exit 0 when nothing differs (pending and incoming rows are listed but are not differences), 1 otherwise.
/// </summary>
public static class VerifyVerb
{
    public const int DefaultLimit = 100;

    public static async Task<int> RunAsync(CliSession s, TextWriter w, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(w);
        var hub = s.Hub;
        var credentials = hub.GetRequiredService<EdgeCredentials>();
        await credentials.EnsureEnrolledAsync(ct);
        var verifier = new EdgeVerifier(s.Store, hub.GetRequiredService<IVerifyTransport>(), OfficeSchema.Version);
        VerifyReport report;
        try
        {
            report = await verifier.RunAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Failure(ex) is { } outcome)
        {
            var message = outcome == "unreachable" ? "hub unreachable: " + ex.Message : ex.Message;
            if (s.Args.Json)
            {
                w.WriteLine(CliJsonContext.Write(new VerifyJson { NodeId = s.NodeId, HubUrl = s.HubUrl, Outcome = outcome, Error = message }));
            }
            else
            {
                w.WriteLine($"核对失败 verify {outcome}: {message}");
            }
            return SyncCli.NotOk;
        }

        var limit = s.Args.Limit ?? DefaultLimit;
        var code = report.Identical ? SyncCli.Ok : SyncCli.NotOk;
        if (s.Args.Json)
        {
            w.WriteLine(CliJsonContext.Write(new VerifyJson
            {
                NodeId = s.NodeId,
                HubUrl = s.HubUrl,
                Outcome = "ok",
                Identical = report.Identical,
                Differences = report.Differences,
                Pending = report.Pending,
                Incoming = report.Incoming,
                HubSequence = report.HubSequence,
                PullCursor = report.PullCursor,
                PushCursor = report.PushCursor,
                Tables = [.. report.Tables.Select(t => new VerifyTableJson(t.Table, t.HereCount, t.HubCount, t.HereChecksum, t.HubChecksum, t.Same,
                    t.BucketsDiffering, t.Differences, t.Pending, t.Incoming))],
                Rows = [.. report.Rows.Take(limit).Select(r => new VerifyRowJson(r.Table, r.Id, r.Kind, r.IsDifference,
                    r.Here is null ? null : new VerifyVersionJson(r.Here.Hlc, r.Here.Deleted, null),
                    r.Hub is null ? null : new VerifyVersionJson(r.Hub.Hlc, r.Hub.Deleted, r.Hub.Seq)))],
                RowsTotal = report.Rows.Count,
                Requests = report.Requests,
                BytesUp = report.BytesUp,
                BytesDown = report.BytesDown,
                DurationMs = report.DurationMs,
            }));
            return code;
        }

        w.WriteLine($"核对 verify {s.NodeId} ⇄ {s.HubUrl}");
        w.WriteLine();
        TextOut.Table(w,
            ["表 table", "本地 here", "中心 hub", "结果 result"],
            report.Tables.Select(t => (IReadOnlyList<string>)
            [
                t.Table, TextOut.Number(t.HereCount), TextOut.Number(t.HubCount),
                t.Same ? "相同 same" : Summary(t),
            ]),
            rightAligned: new HashSet<int> { 1, 2 });
        if (report.Rows.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"行 rows not the same ({TextOut.Number(report.Rows.Count)}{(report.Rows.Count > limit ? $", first {limit} shown; --limit N for more" : "")}):");
            TextOut.Table(w,
                ["表 table", "id", "情况 kind", "本地 here", "中心 hub"],
                report.Rows.Take(limit).Select(r => (IReadOnlyList<string>)
                [
                    r.Table, r.Id, Label(r.Kind), Version(r.Here), Version(r.Hub),
                ]));
        }
        w.WriteLine();
        w.WriteLine($"  流量 wire: {report.Requests} requests, {TextOut.Bytes(report.BytesUp)} up, {TextOut.Bytes(report.BytesDown)} down, {TextOut.Duration(report.DurationMs)}");
        var notes = new List<string>();
        if (report.Pending > 0) notes.Add($"{TextOut.Number(report.Pending)} 待上传 pending");
        if (report.Incoming > 0) notes.Add($"{TextOut.Number(report.Incoming)} 在途 incoming");
        var tail = notes.Count > 0 ? $" ({string.Join(", ", notes)}: not differences; sync run settles them)" : "";
        w.WriteLine(report.Identical
            ? "结论 verdict: 一致 identical" + tail
            : $"结论 verdict: 不一致 {TextOut.Number(report.Differences)} {(report.Differences == 1 ? "row differs" : "rows differ")}" + tail);
        return code;
    }

    /// <summary>The outcome name for a failure talking to the hub, or null when it is not one.</summary>
    private static string? Failure(Exception ex) => ex switch
    {
        SyncRefusedException => "refused",
        HttpRequestException or TimeoutException or TaskCanceledException or IOException => "unreachable",
        _ when ex.GetType().FullName?.StartsWith("Polly.", StringComparison.Ordinal) == true => "unreachable",
        InvalidDataException or System.Text.Json.JsonException => "failed",
        _ => null,
    };

    private static string Summary(VerifyTableReport t)
    {
        var parts = new List<string>();
        if (t.Differences > 0) parts.Add($"{TextOut.Number(t.Differences)} 不一致 differ");
        if (t.Pending > 0) parts.Add($"{TextOut.Number(t.Pending)} 待上传 pending");
        if (t.Incoming > 0) parts.Add($"{TextOut.Number(t.Incoming)} 在途 incoming");
        return parts.Count == 0 ? "checksums differ" : string.Join(", ", parts);
    }

    public static string Label(string kind) => kind switch
    {
        VerifyKinds.MissingHere => "本地缺失 missing here",
        VerifyKinds.MissingAtHub => "中心缺失 missing at hub",
        VerifyKinds.VersionDiffers => "版本不同 other version",
        VerifyKinds.ContentDiffers => "内容不同 same version, other content",
        VerifyKinds.Rejected => "被拒绝 rejected by hub",
        VerifyKinds.Pending => "待上传 pending",
        VerifyKinds.Incoming => "在途 incoming",
        _ => kind,
    };

    private static string Version(VerifyRowVersion? v) =>
        v is null ? "—" : v.Hlc + (v.Deleted ? " 已删除 deleted" : "") + (v.Seq is { } seq ? $" #{seq}" : "");
}
