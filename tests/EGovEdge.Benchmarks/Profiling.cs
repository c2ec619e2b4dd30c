using System.Diagnostics;

namespace EGovEdge.Benchmarks;

/// <summary>
/// <c>profile=apply|plain|capture|capture-mem|capture-variants|bootstrap|upload|noop|wire-cjk|wire-live</c>: runs one path three times with nothing else in the process, printing Stopwatch
/// times, so that it can be recorded with <c>dotnet-trace collect -- EGovEdge.Benchmarks profile=apply</c>.
/// </summary>
internal static class Profiling
{
    public static async Task<int> RunAsync(string what, BenchSettings s)
    {
        Directory.CreateDirectory(s.WorkDir);
        try
        {
            var rows = new DocGen(1).Rows(s.Rows, "src", "*", DateTimeOffset.UtcNow.AddDays(-2));
            var db = Path.Combine(s.WorkDir, "profile.db");
            switch (what)
            {
                case "apply":
                    var pages = StoreBenchmarks.Pages(rows, s.ApplyPageSize);
                    for (var i = 0; i < 3; i++)
                    {
                        var store = RawSql.NewEdgeDb(db, "bench");
                        var sw = Stopwatch.StartNew();
                        foreach (var page in pages) store.ApplyPulled(page);
                        Console.WriteLine($"apply {rows.Count:N0} rows: {sw.Elapsed.TotalSeconds:0.000} s");
                    }
                    break;
                case "capture":
                case "capture-mem":
                case "plain":
                    for (var i = 0; i < 3; i++)
                    {
                        if (what == "plain") RawSql.NewPlainDb(db, "bench");
                        else RawSql.NewEdgeDb(db, "bench");
                        var sw = Stopwatch.StartNew();
                        RawSql.Insert(db, rows, what == "capture-mem" ? "PRAGMA temp_store = MEMORY" : null);
                        Console.WriteLine($"insert ({what}) {rows.Count:N0} rows: {sw.Elapsed.TotalSeconds:0.000} s");
                    }
                    break;
                case "bootstrap":
                    await using (var hub = await HubHost.StartAsync(Path.Combine(s.WorkDir, "hub"), SyncScenarios.Townships(s)).ConfigureAwait(false))
                    {
                        var seed = SyncScenarios.SeedRows(s);
                        SyncScenarios.PopulateHub(hub, seed);
                        for (var i = 0; i < 3; i++)
                        {
                            using var rig = new EdgeRig(hub.Url, Path.Combine(s.WorkDir, "boot" + i, "edge.db"), "boot" + i);
                            var sw = Stopwatch.StartNew();
                            var r = await rig.SyncAsync().ConfigureAwait(false);
                            Console.WriteLine($"bootstrap {r.Pulled:N0} rows: {sw.Elapsed.TotalSeconds:0.000} s");
                        }
                    }
                    break;
                case "upload":
                    await using (var hub = await HubHost.StartAsync(Path.Combine(s.WorkDir, "hub"), SyncScenarios.Townships(s)).ConfigureAwait(false))
                    {
                        using var rig = new EdgeRig(hub.Url, Path.Combine(s.WorkDir, "up", "edge.db"), "boot0");
                        await rig.SyncAsync().ConfigureAwait(false);
                        var gen = new DocGen(11);
                        var docs = gen.Rows(s.UploadRows, rig.Node, "|src|", DateTimeOffset.UtcNow.AddHours(-1));
                        RawSql.Insert(rig.Store.DatabasePath, docs);
                        await rig.SyncAsync().ConfigureAwait(false);
                        var clock = new EGovEdge.Sync.Clock.HlcClock(rig.Node, TimeProvider.System);
                        for (var i = 0; i < 5; i++)
                        {
                            RawSql.UpdateTitles(rig.Store.DatabasePath, docs, () => clock.Next().ToString(), gen);
                            var (hubBefore, waitedBefore) = (hub.Timing.Push + hub.Timing.Pull, rig.Timed.Push + rig.Timed.Pull);
                            var sw = Stopwatch.StartNew();
                            var r = await rig.SyncAsync().ConfigureAwait(false);
                            var t = sw.Elapsed.TotalSeconds;
                            var hubT = (hub.Timing.Push + hub.Timing.Pull - hubBefore).TotalSeconds;
                            var waited = (rig.Timed.Push + rig.Timed.Pull - waitedBefore).TotalSeconds;
                            Console.WriteLine($"upload {r.Pushed:N0} updated rows: {t:0.000} s (hub {hubT:0.000} s, client {waited - hubT:0.000} s, edge {t - waited:0.000} s)");
                        }
                    }
                    break;
                case "noop":
                    await using (var hub = await HubHost.StartAsync(Path.Combine(s.WorkDir, "hub"), SyncScenarios.Townships(s)).ConfigureAwait(false))
                    {
                        using var rig = new EdgeRig(hub.Url, Path.Combine(s.WorkDir, "noop", "edge.db"), "boot0");
                        await rig.SyncAsync().ConfigureAwait(false);
                        for (var i = 0; i < 3; i++)
                        {
                            var sw = Stopwatch.StartNew();
                            for (var k = 0; k < 100; k++) await rig.SyncAsync().ConfigureAwait(false);
                            Console.WriteLine($"no-op sync: {sw.Elapsed.TotalMilliseconds / 100:0.00} ms per cycle (mean of 100)");
                        }
                    }
                    break;
                case "wire-live":
                    await using (var hub = await HubHost.StartAsync(Path.Combine(s.WorkDir, "hub"), SyncScenarios.Townships(s)).ConfigureAwait(false))
                    {
                        SyncScenarios.PopulateHub(hub, SyncScenarios.SeedRows(s));
                        using var http = HubLoad.Client(hub.Url);
                        foreach (var (path, accept) in new[] { ("api/sync/pull", "br, gzip"), ("api/sync/pull", "gzip"), ("api/sync/pull", "identity"), ("bench/pull-buffered", "br, gzip"), ("bench/pull-buffered", "gzip") })
                        {
                            var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new EGovEdge.Sync.Protocol.PullRequest
                            {
                                NodeId = "boot0", SchemaVersion = EGovEdge.Office.OfficeSchema.Version, Cursor = 0, Limit = 2000, IncludeOwn = true,
                            }, EGovEdge.Sync.Protocol.SyncJsonContext.Default.PullRequest);
                            using var msg = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                            msg.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                            msg.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HubHost.Key);
                            msg.Headers.Add("X-EGov-Node", "boot0");
                            msg.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
                            using var res = await http.SendAsync(msg).ConfigureAwait(false);
                            var bytes = await res.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                            Console.WriteLine($"{path}, Accept-Encoding {accept}: {(int)res.StatusCode} Content-Encoding '{string.Join(",", res.Content.Headers.ContentEncoding)}', {bytes.Length} bytes for 2000 rows = {bytes.Length / 2000.0:0.0} B/row");
                        }
                    }
                    break;
                case "wire-cjk":
                    WireCjk(s);
                    break;
                case "capture-variants":
                    CaptureVariants(rows, db);
                    break;
                default:
                    Console.Error.WriteLine("profile=apply|plain|capture|capture-mem|capture-variants|bootstrap|upload|noop|wire-cjk|wire-live");
                    return 2;
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(s.WorkDir, recursive: true);
        }
    }

    /// <summary>
    /// Where the capture cost comes from: the same prepared inserts into the edge schema with one part of the capture
    /// machinery changed at a time, interleaved with the plain baseline (3 rounds, median per variant).
    /// </summary>
    private static void CaptureVariants(List<DocRow> rows, string db)
    {
        const string Ins = "CREATE TRIGGER trg_documents_capture_ins AFTER INSERT ON documents {0} BEGIN INSERT INTO _sync_log (tbl, row_id, hlc, prev) VALUES ('documents', NEW.id, NEW.hlc, NULL); END;";
        const string NoAutoinc = "DROP TABLE _sync_log; CREATE TABLE _sync_log (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, hlc TEXT NOT NULL, prev TEXT); CREATE INDEX ix_sync_log_row ON _sync_log (tbl, row_id, seq);";
        const string NoIndex = "DROP INDEX ix_sync_log_row;";
        const string Naive = "DROP TRIGGER trg_documents_capture_ins; DROP TRIGGER trg_documents_capture_upd; DROP TRIGGER trg_documents_no_delete; " +
            "CREATE TABLE changelog (seq INTEGER PRIMARY KEY, table_name TEXT, row_id TEXT); " +
            "CREATE TRIGGER trg_naive AFTER INSERT ON documents BEGIN INSERT INTO changelog (table_name, row_id) VALUES ('documents', NEW.id); END;";
        var variants = new (string Name, string? Sql, string? Pragma)[]
        {
            ("plain (triggers dropped)", null, null),
            ("edge schema as shipped", "", null),
            ("as shipped, PRAGMA temp_store = MEMORY", "", "PRAGMA temp_store = MEMORY"),
            ("as shipped, PRAGMA cache_size = -65536", "", "PRAGMA cache_size = -65536"),
            ("naive trigger (TOOLCHAIN §4: changelog(seq, table_name, row_id))", Naive, null),
            ("without the WHEN (SELECT applying ...) test", "DROP TRIGGER trg_documents_capture_ins; " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Ins, ""), null),
            ("_sync_log without AUTOINCREMENT", NoAutoinc, null),
            ("_sync_log without ix_sync_log_row", NoIndex, null),
            ("without AUTOINCREMENT and index", NoAutoinc + NoIndex, null),
            ("AFTER UPDATE / BEFORE DELETE triggers dropped", "DROP TRIGGER trg_documents_capture_upd; DROP TRIGGER trg_documents_no_delete;", null),
            ("plain, PRAGMA cache_size = -65536", null, "PRAGMA cache_size = -65536"),
        };
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (var round = -1; round < 3; round++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                if (variants[v].Sql is null) RawSql.NewPlainDb(db, "bench");
                else
                {
                    RawSql.NewEdgeDb(db, "bench");
                    if (variants[v].Sql!.Length > 0)
                    {
                        using var conn = EGovEdge.Sync.Storage.SqliteDdl.Open(EGovEdge.Sync.Storage.SqliteDdl.ConnectionString(db));
                        EGovEdge.Sync.Storage.Db.Exec(conn, variants[v].Sql!);
                    }
                }
                var sw = Stopwatch.StartNew();
                RawSql.Insert(db, rows, variants[v].Pragma);
                if (round >= 0) times[v].Add(sw.Elapsed.TotalSeconds);
            }
        }
        var plain = Measure.Median(times[0]);
        for (var v = 0; v < variants.Length; v++)
        {
            var m = Measure.Median(times[v]);
            Console.WriteLine($"| {variants[v].Name} | {m:0.000} s | {rows.Count / m:0} rows/s | {m / plain:0.00} |");
        }
    }

    /// <summary>
    /// Pull pages as the hub encodes them (source-generated SyncJsonContext, Brotli at Fastest) for the generated rows and
    /// for the same rows with Chinese title and body (as real documents are), and the same with UTF-8 left unescaped.
    /// </summary>
    private static void WireCjk(BenchSettings s)
    {
        var gen = new DocGen(3);
        var ascii = gen.Rows(s.Rows, "src", "*", DateTimeOffset.UtcNow.AddDays(-1));
        const string Han = "县乡镇人民政府关于做好年度工作的通知各村委会单位部门根据上级文件精神结合本地实际现将有关事项通知如下一要提高认识加强领导二要明确责任抓好落实三要及时总结上报情况请认真贯彻执行特此通知会议安排预算审计卫生教育交通水利农业";
        var rng = new Random(5);
        string Chinese(int n)
        {
            var c = new char[n];
            for (var i = 0; i < n; i++) c[i] = Han[rng.Next(Han.Length)];
            return new string(c);
        }
        var cjk = ascii.Select(r =>
        {
            var d = (System.Text.Json.Nodes.JsonObject)r.Data.DeepClone();
            d["title"] = Chinese(20);
            d["body"] = Chinese(100);
            return new DocRow { Id = r.Id, Hlc = r.Hlc, Origin = r.Origin, Data = d };
        }).ToList();
        var relaxed = new EGovEdge.Sync.Protocol.SyncJsonContext(new System.Text.Json.JsonSerializerOptions(EGovEdge.Sync.Protocol.SyncJsonContext.Default.Options)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        foreach (var (name, rows) in new[] { ("ascii title/body (the benchmark's rows)", ascii), ("Chinese title 20 + body 100 characters", cjk) })
        {
            var pages = StoreBenchmarks.Pages(rows, 2000);
            foreach (var (enc, info) in new[] { ("as shipped (\\uXXXX escapes)", EGovEdge.Sync.Protocol.SyncJsonContext.Default.PullResponse), ("UTF-8 unescaped", relaxed.PullResponse) })
            {
                long json = 0, br = 0, gz = 0;
                foreach (var page in pages)
                {
                    var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(page, info);
                    json += bytes.Length;
                    using var ms = new MemoryStream();
                    using (var b = new System.IO.Compression.BrotliStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) b.Write(bytes);
                    br += ms.Length;
                    using var ms2 = new MemoryStream();
                    using (var g = new System.IO.Compression.GZipStream(ms2, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) g.Write(bytes);
                    gz += ms2.Length;
                }
                var plain = rows.Average(DocGen.PlainJsonBytes);
                Console.WriteLine($"| {name} | {enc} | {json / (double)rows.Count:0.0} B | {br / (double)rows.Count:0.0} B | {plain:0.0} B | {br / (double)rows.Count / plain:0.000} | gzip-1 {gz / (double)rows.Count:0.0} B |");
            }
        }
    }
}
