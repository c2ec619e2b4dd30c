using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EGovEdge.FaultTests.Support;

namespace EGovEdge.FaultTests;

/// <summary>
/// The county under chaos: a hub and three edges (guangshun, malu, baisuo), each edge behind its own proxy. A writer
/// loop on every node creates, edits and deletes documents (addressed to townships, to the whole county, to nobody)
/// while a chaos loop cuts and heals links, loses answers (the hub did the work, the edge never hears), resets
/// connections, and kill -9s then restarts the hub or an edge. Then everything heals and sync settles, and the county
/// must be whole: every edge's <c>sync verify</c> exits 0, every acknowledged write is at the hub in its final state (or
/// superseded by a later write whose outcome the writer could not know, or recorded as a conflict), nothing exists twice,
/// the audit chains verify, no node died on its own.
/// Seeded: the seed is printed; EGOV_SOAK_SEED replays it. EGOV_SOAK_MINUTES=N runs N minutes of chaos instead of ~40 s.
/// </summary>
public sealed partial class SoakTests(ITestOutputHelper output)
{
    private static readonly string[] Urgencies = ["普通", "加急", "特急"];
    private static readonly Township[] Townships = [County.Guangshun, County.Malu, County.Baisuo];
    private const string BodyText = "各乡镇人民政府县直各单位现将有关事项通知如下请结合实际认真贯彻执行确保各项工作落到实处";

    [Fact]
    public async Task Soak_CutsLostAnswersAndKills_ThenHeal_CountyWholeNothingLostNothingDoubled()
    {
        var settings = SoakSettings.FromEnvironment();
        var log = TestLog.To(output);
        log(settings.Describe());
        Apps.WarnIfStale(log);
        await using var ws = new TestWorkspace("soak", log);
        try
        {
            await ws.RunAsync(() => RunAsync(ws, settings, log));
        }
        catch
        {
            log("FAILED with " + settings.Describe());
            throw;
        }
    }

    private static async Task RunAsync(TestWorkspace ws, SoakSettings settings, Action<string> log)
    {
        var hub = ws.AddHub(Townships, binary: Apps.Hub);
        await hub.StartAsync();
        var proxies = new List<TcpProxy>();
        var edges = new List<EdgeNode>();
        foreach (var t in Townships)
        {
            var proxy = ws.AddProxy(hub.Port);
            proxy.Log = null; // the chaos loop says what it does; per-connection lines would drown it
            proxies.Add(proxy);
            edges.Add(ws.AddEdge(t.Code, proxy.Url, t.Key, syncIntervalSeconds: 1, binary: Apps.Edge));
        }
        await TestWorkspace.StartAllAsync([.. edges]);
        await Quiet.WaitForCountyAsync(hub, edges, TimeSpan.FromSeconds(120), log);
        await hub.Api.ListDocumentsAsync(limit: 1); // signs the hub's client in (tokens outlive restarts: keys are in DataDir/keys)

        var nodes = new NodeProcess[] { hub }.Concat(edges).ToArray();
        var runId = settings.Seed.ToString("x8", CultureInfo.InvariantCulture)[..6];
        var ledger = new Ledger();
        var paused = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var stats = new ChaosStats();
        var rules = new ConcurrentBag<IDisposable>();
        var clock = Stopwatch.StartNew();
        var deadline = settings.Chaos;
        log($"chaos for {deadline.TotalSeconds:0} s: writers on {string.Join(", ", nodes.Select(n => n.Name))}");

        var writers = nodes.Select((n, i) => Task.Run(() => WriterAsync(n, n == hub ? "hub" : ((EdgeNode)n).NodeId, new Random(settings.Seed + 1 + i),
            ledger, clock, deadline, () => paused.GetValueOrDefault(n.Name), runId))).ToList();
        var chaos = Task.Run(() => ChaosAsync(new Random(settings.Seed), hub, edges, proxies, settings, clock, deadline, paused, stats, rules, log));
        await Task.WhenAll([.. writers, chaos]);
        log($"chaos over after {clock.Elapsed.TotalSeconds:0.0} s: {stats}");

        // Heal everything.
        foreach (var rule in rules) rule.Dispose();
        foreach (var proxy in proxies) proxy.Mode = ProxyMode.PassThrough;
        var problems = new List<string>();
        foreach (var n in nodes)
        {
            if (n.UnexpectedExit is { } why) problems.Add($"{n.Name} died on its own during the soak: {why}");
            if (!n.IsRunning)
            {
                log($"{n.Name} is down; starting it");
                await n.StartAsync(TimeSpan.FromSeconds(120));
            }
        }
        var records = ledger.All;
        log(Summary(records));
        await Quiet.WaitForCountyAsync(hub, edges, TimeSpan.FromSeconds(150), log);

        // 1. Every edge holds exactly its scope as the hub has it.
        var verifies = await Task.WhenAll(edges.Select((e, i) => EdgeCli.VerifyAsync(log, e, hub.BaseUrl, Townships[i].Key)));
        foreach (var (edge, v) in edges.Zip(verifies))
        {
            var identical = v.TryJson() is { } j && j.TryGetProperty("identical", out var id) && id.ValueKind == JsonValueKind.True;
            if (v.ExitCode != 0 || !identical) problems.Add($"sync verify on {edge.Name} did not find it identical to the hub: {v}");
        }

        // 2. Every acknowledged write is at the hub in its final state.
        var hubDocs = hub.Db.Rows("SELECT id, title, body, urgency, deleted, hlc, origin FROM documents")
            .ToDictionary(r => (string)r["id"]!, StringComparer.Ordinal);
        var conflicted = hub.Db.Strings("SELECT row_id FROM conflicts").ToHashSet(StringComparer.Ordinal);
        int checkedDocs = 0, viaUnknown = 0, viaConflict = 0;
        foreach (var doc in records.Where(r => r.DocId is not null).GroupBy(r => r.DocId!, StringComparer.Ordinal))
        {
            var history = doc.OrderBy(r => r.Order).ToList();
            var lastAck = history.FindLastIndex(r => r.Outcome == WriteOutcome.Acked);
            if (lastAck < 0) continue;
            checkedDocs++;
            // The last acknowledged write, or any later one whose outcome the writer never heard.
            var candidates = history.Skip(lastAck).Where((r, k) => k == 0 || r.Outcome == WriteOutcome.Unknown).ToList();
            if (!hubDocs.TryGetValue(doc.Key, out var row))
            {
                problems.Add($"document {doc.Key} is missing at the hub although its creation was acknowledged:\n  " + string.Join("\n  ", history));
                continue;
            }
            var match = candidates.FindIndex(c => Matches(c.State, row));
            if (match == 0) continue;
            if (match > 0)
            {
                viaUnknown++;
                continue;
            }
            if (conflicted.Contains(doc.Key))
            {
                viaConflict++;
                continue;
            }
            problems.Add($"document {doc.Key} at the hub is {Describe(row)}, not what the last acknowledged write left " +
                         $"(nor a later unanswered one), and no conflict is recorded:\n  " + string.Join("\n  ", history));
        }
        log($"ledger: {checkedDocs} documents with acknowledged writes checked at the hub; {viaUnknown} ended in the state of a later " +
            $"write whose answer was lost; {viaConflict} accounted for by a conflict record");

        // 3. Nothing twice: at the hub, one row per id and one hub_log entry per row; each writer's document at most once everywhere.
        var db = hub.Db;
        foreach (var table in db.Strings("SELECT DISTINCT tbl FROM hub_log ORDER BY tbl"))
        {
            if (!TableName().IsMatch(table)) continue;
            var rows = db.Long($"SELECT COUNT(*) FROM {table}");
            var ids = db.Long($"SELECT COUNT(DISTINCT id) FROM {table}");
            if (rows != ids) problems.Add($"hub table {table}: {rows} rows but {ids} distinct ids");
            var badLog = db.Long($"SELECT COUNT(*) FROM {table} t WHERE (SELECT COUNT(*) FROM hub_log l WHERE l.tbl = '{table}' AND l.row_id = t.id) <> 1");
            if (badLog != 0) problems.Add($"hub table {table}: {badLog} rows without exactly one hub_log entry");
        }
        var dupLog = db.Long("SELECT COUNT(*) FROM (SELECT tbl, row_id FROM hub_log GROUP BY tbl, row_id HAVING COUNT(*) > 1)");
        if (dupLog != 0) problems.Add($"hub_log holds {dupLog} rows more than once");
        foreach (var (name, probe) in new (string Name, DbProbe Db)[] { ("hub", hub.Db) }.Concat(edges.Select(e => (e.Name, (DbProbe)e.Db))))
        {
            var twice = probe.Rows("SELECT substr(title, 1, instr(title, ']')) AS token, COUNT(*) AS n FROM documents WHERE title LIKE '[%' GROUP BY token HAVING COUNT(*) > 1");
            foreach (var t in twice) problems.Add($"{name}: document {t["token"]} exists {t["n"]} times (a write applied twice)");
        }
        foreach (var create in records.Where(r => r.Op == "create" && r.Outcome == WriteOutcome.Acked))
        {
            var same = hubDocs.Values.Where(r => ((string?)r["title"])?.StartsWith(create.Token, StringComparison.Ordinal) == true).Select(r => (string)r["id"]!).ToList();
            if (same.Count > 1 || (same.Count == 1 && same[0] != create.DocId))
            {
                problems.Add($"{create.Token}: acknowledged as {create.DocId}, at the hub as {string.Join(", ", same)}");
            }
        }

        // 4. Audit chains and row digests verify everywhere; nothing was refused; conflicts (if any) are listed.
        foreach (var n in nodes)
        {
            var audit = await n.Api.SendAsync<object>(HttpMethod.Get, "api/audit/verify", null);
            var ok = audit.Status == 200 && JsonDocument.Parse(audit.Body).RootElement.GetProperty("ok").GetBoolean();
            if (!ok) problems.Add($"GET {n.Name}/api/audit/verify: {(audit.Body.Length > 2000 ? audit.Body[..2000] : audit.Body)}");
        }
        foreach (var r in db.Rows("SELECT node, tbl, row_id, reason FROM hub_rejected"))
        {
            problems.Add($"the hub refused a legitimate write from {r["node"]}: {r["tbl"]}/{r["row_id"]}: {r["reason"]}");
        }
        foreach (var e in edges)
        {
            var refused = e.Db.Long("SELECT COUNT(*) FROM _sync_rejected");
            if (refused != 0) problems.Add($"{e.Name} holds {refused} rows refused by the hub (_sync_rejected)");
        }
        foreach (var c in db.Rows("SELECT tbl, row_id, winner_hlc, loser_hlc FROM hub_conflicts"))
        {
            log($"conflict recorded at the hub: {c["tbl"]}/{c["row_id"]} winner {c["winner_hlc"]} loser {c["loser_hlc"]}");
        }

        // 5. The soak did what it says.
        foreach (var n in nodes)
        {
            var acked = records.Count(r => r.Node == n.Name && r.Outcome == WriteOutcome.Acked);
            if (acked < 10) problems.Add($"{n.Name}: only {acked} acknowledged writes; the soak did not exercise it");
        }
        if (stats.Kills == 0) problems.Add("no process was killed during the chaos phase");

        log($"checks done: {problems.Count} problem(s); {stats}");
        Assert.True(problems.Count == 0,
            $"{problems.Count} problem(s) after the soak ({settings.Describe()}):\n- " + string.Join("\n- ", problems.Take(40)));
    }

    private static bool Matches(DocState expected, IReadOnlyDictionary<string, object?> row)
    {
        var deleted = Convert.ToInt64(row["deleted"], CultureInfo.InvariantCulture) != 0;
        if (expected.Deleted) return deleted;
        return !deleted && (string?)row["title"] == expected.Title && ((string?)row["body"] ?? "") == expected.Body && (string?)row["urgency"] == expected.Urgency;
    }

    private static string Describe(IReadOnlyDictionary<string, object?> row) =>
        Convert.ToInt64(row["deleted"], CultureInfo.InvariantCulture) != 0
            ? $"deleted (version {row["hlc"]})"
            : $"'{row["title"]}' ({row["urgency"]}, body {((string?)row["body"] ?? "").Length} chars, version {row["hlc"]})";

    // ---- writers -------------------------------------------------------------------------------

    private static async Task WriterAsync(NodeProcess node, string self, Random rng, Ledger ledger, Stopwatch clock, TimeSpan deadline,
        Func<bool> paused, string runId)
    {
        var live = new List<(string Id, string Token)>();
        var edits = new Dictionary<string, int>(StringComparer.Ordinal);
        var n = 0;
        while (clock.Elapsed < deadline)
        {
            await Task.Delay(rng.Next(50, 250));
            if (paused() || !node.IsRunning) continue;
            var roll = rng.NextDouble();
            if (live.Count == 0 || roll < 0.45)
            {
                var token = string.Create(CultureInfo.InvariantCulture, $"[{self}-{++n:D4}-{runId}]");
                var state = new DocState(string.Create(CultureInfo.InvariantCulture, $"{token} 关于第{n}项工作的通知"), Body(rng), Urgencies[rng.Next(Urgencies.Length)], false);
                var recipients = Recipients(rng, self);
                var (outcome, status, error, doc) = await SendAsync(ct => node.Api.TryCreateDocumentAsync(
                    new NewDocument(state.Title, "通知", state.Urgency, state.Body, recipients), ct), 201);
                if (outcome == WriteOutcome.Acked && doc is not null)
                {
                    live.Add((doc.Id, token));
                    state = new DocState(doc.Title, doc.Body, doc.Urgency, false);
                }
                ledger.Add(node.Name, "create", token, doc?.Id, state, outcome, status, error, clock.Elapsed);
            }
            else if (roll < 0.8)
            {
                var (id, token) = live[rng.Next(live.Count)];
                var k = edits[id] = edits.GetValueOrDefault(id) + 1;
                var state = new DocState(string.Create(CultureInfo.InvariantCulture, $"{token} 修订第{k}稿"), Body(rng), Urgencies[rng.Next(Urgencies.Length)], false);
                var (outcome, status, error, doc) = await SendAsync(ct => node.Api.TryUpdateDocumentAsync(id, new DocumentChange(state.Title, state.Body, state.Urgency), ct), 200);
                if (doc is not null) state = new DocState(doc.Title, doc.Body, doc.Urgency, false);
                ledger.Add(node.Name, "edit", token, id, state, outcome, status, error, clock.Elapsed);
                if (status == 404) live.RemoveAll(x => x.Id == id); // an unanswered delete did go through
            }
            else
            {
                var i = rng.Next(live.Count);
                var (id, token) = live[i];
                var (outcome, status, error, _) = await SendAsync(ct => node.Api.TryDeleteDocumentAsync(id, ct), 204);
                ledger.Add(node.Name, "delete", token, id, new DocState("", "", "", true), outcome, status, error, clock.Elapsed);
                if (outcome == WriteOutcome.Acked || status == 404) live.RemoveAt(i);
            }
        }
    }

    private static async Task<(WriteOutcome Outcome, int Status, string? Error, T? Value)> SendAsync<T>(Func<CancellationToken, Task<ApiResult<T>>> send, int acked)
        where T : class
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            var r = await send(cts.Token);
            if (r.Status == acked) return (WriteOutcome.Acked, r.Status, null, r.Value);
            var body = r.Body.Length > 300 ? r.Body[..300] : r.Body;
            return (r.Status is >= 400 and < 500 ? WriteOutcome.Refused : WriteOutcome.Unknown, r.Status, body, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or JsonException)
        {
            return (WriteOutcome.Unknown, 0, ex.GetType().Name + ": " + ex.Message, null);
        }
    }

    private static string Body(Random rng)
    {
        var sb = new StringBuilder();
        var length = rng.Next(20, 1200);
        for (var i = 0; i < length; i++) sb.Append(BodyText[rng.Next(BodyText.Length)]);
        return sb.ToString();
    }

    /// <summary>The whole county, nobody else, or some of the other townships.</summary>
    private static List<string> Recipients(Random rng, string self)
    {
        var roll = rng.NextDouble();
        if (roll < 0.25) return ["*"];
        if (roll < 0.4) return [];
        var others = Townships.Select(t => t.Code).Where(c => c != self).ToList();
        var picked = others.Where(_ => rng.Next(2) == 0).ToList();
        return picked.Count > 0 ? picked : [others[rng.Next(others.Count)]];
    }

    private static string Summary(IReadOnlyList<WriteRecord> records) =>
        "writes: " + string.Join("; ", records.GroupBy(r => r.Node).Select(g =>
            $"{g.Key} {g.Count()} sent, " + string.Join(", ", g.GroupBy(r => (r.Op, r.Outcome)).OrderBy(x => x.Key.Op).ThenBy(x => x.Key.Outcome)
                .Select(x => $"{x.Key.Op} {x.Key.Outcome.ToString().ToLowerInvariant()} {x.Count()}")) +
            (g.Any(r => r.Outcome != WriteOutcome.Acked)
                ? " (answers: " + string.Join(", ", g.Where(r => r.Outcome != WriteOutcome.Acked).GroupBy(r => r.Status == 0 ? "none" : r.Status.ToString(CultureInfo.InvariantCulture))
                    .Select(x => $"{x.Key} ×{x.Count()}")) + ")"
                : "")));

    // ---- chaos ---------------------------------------------------------------------------------

    private sealed class ChaosStats
    {
        public int Cuts;
        public int LostAnswers;
        public int Resets;
        public int Kills;
        public ConcurrentQueue<string> Killed { get; } = new();

        public override string ToString() =>
            $"{Cuts} link cuts, {LostAnswers} lost answers armed, {Resets} connection resets, {Kills} kill -9s ({string.Join(", ", Killed)})";
    }

    private static async Task ChaosAsync(Random rng, HubNode hub, IReadOnlyList<EdgeNode> edges, IReadOnlyList<TcpProxy> proxies, SoakSettings settings,
        Stopwatch clock, TimeSpan deadline, ConcurrentDictionary<string, bool> paused, ChaosStats stats, ConcurrentBag<IDisposable> rules, Action<string> log)
    {
        var nodes = new NodeProcess[] { hub }.Concat(edges).ToArray();
        var start = clock.Elapsed;
        var span = (deadline - start).TotalMilliseconds;
        // Kill times spread over the chaos phase with jitter; the hub is among the targets at least once. An "armed" kill
        // waits for a push to go by (to the hub, or from the target edge) and strikes a few milliseconds later: the hub
        // mid-apply, the edge mid-upload.
        var plan = Enumerable.Range(0, settings.Kills)
            .Select(i => new PlannedKill(TimeSpan.FromMilliseconds(span * (i + 0.1 + 0.5 * rng.NextDouble()) / settings.Kills), nodes[rng.Next(nodes.Length)],
                Armed: rng.NextDouble() < 0.6, DelayMs: rng.Next(0, 40), DownMs: rng.Next(200, 2500)))
            .ToList();
        if (!plan.Any(p => p.Target == hub))
        {
            var k = rng.Next(plan.Count);
            plan[k] = plan[k] with { Target = hub };
        }
        log("chaos plan: " + string.Join(", ", plan.Select(p => $"kill -9 {p.Target.Name} at {p.At.TotalSeconds:0.0}s{(p.Armed ? " during a push" : "")}")));
        var cutUntil = new TimeSpan?[proxies.Count];
        var next = 0;
        Task killing = Task.CompletedTask;
        while (clock.Elapsed < deadline)
        {
            await Task.Delay(rng.Next(300, 1200)); // the pace of the chaos itself, not a wait for an outcome
            for (var i = 0; i < proxies.Count; i++)
            {
                if (cutUntil[i] is { } until && clock.Elapsed >= until)
                {
                    proxies[i].Mode = ProxyMode.PassThrough;
                    cutUntil[i] = null;
                    log($"chaos: link {edges[i].Name} healed");
                }
            }
            if (killing.IsCompleted && next < plan.Count && clock.Elapsed - start >= plan[next].At)
            {
                await killing; // surfaces a restart that failed
                var p = plan[next++];
                // In the background, so links keep failing while a node is down and starting again.
                var watched = p.Target == hub ? proxies : [proxies[edges.ToList().IndexOf((EdgeNode)p.Target)]];
                killing = Task.Run(() => KillAndRestartAsync(p, watched, paused, stats, log));
                continue;
            }
            var e = rng.Next(proxies.Count);
            var roll = rng.NextDouble();
            if (roll < 0.45)
            {
                if (cutUntil[e] is not null) continue;
                var ms = rng.Next(500, 5000);
                proxies[e].Mode = ProxyMode.Drop;
                cutUntil[e] = clock.Elapsed + TimeSpan.FromMilliseconds(ms);
                Interlocked.Increment(ref stats.Cuts);
                log($"chaos: link {edges[e].Name} cut for {ms} ms");
            }
            else if (roll < 0.85)
            {
                var marker = rng.Next(2) == 0 ? "POST /api/sync/push " : "POST /api/sync/pull ";
                var fired = 0;
                rules.Add(proxies[e].OnRequest(marker, _ =>
                    Interlocked.Exchange(ref fired, 1) == 0 ? ProxyVerdict.ForwardThenCutBeforeResponse : ProxyVerdict.Forward));
                Interlocked.Increment(ref stats.LostAnswers);
                log($"chaos: the answer to {edges[e].Name}'s next {marker.Trim()} will be lost");
            }
            else
            {
                proxies[e].ResetAll();
                Interlocked.Increment(ref stats.Resets);
                log($"chaos: connections of {edges[e].Name} reset");
            }
        }
        await killing;
        log($"chaos: {stats.Kills} of {plan.Count} planned kills done; connections cut by the proxies: " +
            string.Join(", ", proxies.Select((p, i) => $"{edges[i].Name} {p.Cuts}")));
    }

    private sealed record PlannedKill(TimeSpan At, NodeProcess Target, bool Armed, int DelayMs, int DownMs);

    private static async Task KillAndRestartAsync(PlannedKill p, IReadOnlyList<TcpProxy> watched, ConcurrentDictionary<string, bool> paused, ChaosStats stats,
        Action<string> log)
    {
        var target = p.Target;
        var during = "";
        if (p.Armed)
        {
            var push = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var handles = watched.Select(x => x.OnRequest("POST /api/sync/push ", _ =>
            {
                push.TrySetResult();
                return ProxyVerdict.Forward;
            })).ToList();
            var first = await Task.WhenAny(push.Task, Task.Delay(TimeSpan.FromSeconds(8)));
            foreach (var h in handles) h.Dispose();
            if (first == push.Task)
            {
                await Task.Delay(p.DelayMs);
                during = $" {p.DelayMs} ms after a push went by";
            }
            else
            {
                during = " (no push went by within 8 s)";
            }
        }
        log($"chaos: kill -9 {target.Name} (pid {target.Pid}){during}");
        target.Kill();
        stats.Killed.Enqueue(target.Name + (p.Armed && during.Contains("after", StringComparison.Ordinal) ? " mid-push" : ""));
        Interlocked.Increment(ref stats.Kills);
        await Task.Delay(p.DownMs); // stays down a while, like a real crash
        paused[target.Name] = true;
        try
        {
            await target.StartAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            paused[target.Name] = false;
        }
        log($"chaos: {target.Name} restarted after {p.DownMs} ms down (pid {target.Pid})");
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex TableName();
}
