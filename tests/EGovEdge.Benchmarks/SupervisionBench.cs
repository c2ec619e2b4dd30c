using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EGovEdge.Office;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Supervision;
using EGovEdge.Office.Townships;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Benchmarks;

/// <summary>
/// The supervisors' dashboard at county scale: a hub holding a year of the county's document traffic (the article's
/// ~82,000 documents handled a year: 20,000 issued, each to about three organs that sign for, register, handle and
/// answer it), notices and SMS, with the audit trail the store writes for every row. dashboard_year_vs_scan = computing
/// the year's report / one plain SQL pass reading every row of the same tables (the least any report must read).
/// </summary>
internal sealed class SupervisionBench(BenchSettings s, Report report)
{
    private static readonly string[] Units =
        [NodeIds.Hub, "guangshun", "malu", "baisi", "daihua", "dingyun", "zhongba", "guanghuai", "changzhai", "yingyang", "kaizuo", "weiyuan", "jiaoli"];

    private static readonly DateTimeOffset YearStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public void Run()
    {
        var dir = Path.Combine(s.WorkDir, "supervision");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var now = new DateTimeOffset(2026, 12, 28, 10, 0, 0, TimeSpan.FromHours(8));
        var time = new FixedTime(now);
        var schema = OfficeSchema.Create();
        var hub = new HubStore(new SqliteHubDatabase(Path.Combine(dir, "hub.db")), schema, time, new OfficeWriteRules());

        var documents = s.Quick ? 2_000 : 20_000;
        var seed = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(now.DateTime);
        var year = SupervisionPeriod.Year(today);
        var month = SupervisionPeriod.Month(today);
        var (rows, dispatched) = Seed(hub, documents, year.ToUtc);
        var seeded = seed.Elapsed;
        Console.WriteLine($"  .. seeded {rows:N0} rows ({documents:N0} documents with their steps, notices, SMS) in {seeded.TotalSeconds:0.0} s");

        var stats = new SupervisionStats(hub, time, Microsoft.Extensions.Options.Options.Create(new SupervisionOptions()), new NoTicketStatistics(),
            new StoreSyncHealthSource(hub));

        double Scan()
        {
            var sw = Stopwatch.StartNew();
            using var conn = hub.OpenConnection();
            long n = 0;
            foreach (var sql in new[]
                     {
                         "SELECT document_id, doc_origin, kind, recipient, node, at_utc, data FROM document_steps WHERE deleted = 0",
                         "SELECT origin, kind, due_utc, sent_utc FROM notices WHERE deleted = 0",
                         "SELECT origin, status, created_utc FROM sms_outbox WHERE deleted = 0",
                         $"SELECT node, actor, at_utc FROM {EGovEdge.Sync.Audit.AuditTable.Name} WHERE deleted = 0",
                     })
            {
                using var cmd = conn.Command(sql);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    for (var i = 0; i < r.FieldCount; i++) _ = r.IsDBNull(i) ? null : r.GetValue(i);
                    n++;
                }
            }
            if (n < rows) throw new InvalidOperationException($"scan read {n} rows, seeded {rows}");
            return Measure.Seconds(sw);
        }
        SupervisionReport? last = null;
        double Dashboard(SupervisionPeriod period)
        {
            var sw = Stopwatch.StartNew();
            last = stats.Compute(period);
            return Measure.Seconds(sw);
        }

        Scan();
        Dashboard(year); // warm-up: statements, page cache
        var scans = new List<double>();
        var years = new List<double>();
        var months = new List<double>();
        for (var r = 0; r < s.Runs; r++)
        {
            scans.Add(Scan());
            years.Add(Dashboard(year));
            months.Add(Dashboard(month));
            Console.WriteLine($"  .. round {r + 1}: scan {scans[^1]:0.000} s, year {years[^1]:0.000} s, month {months[^1]:0.000} s");
        }
        var yearReport = stats.Compute(year);
        var issued = yearReport.Units.Sum(u => u.Issued);
        if (issued != dispatched) throw new InvalidOperationException($"the year's report counts {issued} issued documents, {dispatched} were dispatched by now");
        var scan = Measure.Median(scans);
        var y = Measure.Median(years);
        report.Add(new Figure("dashboard_year_vs_scan", y / scan, "ratio", "one plain SQL pass over every row of the same tables",
            $"{scan:0.000} s for {rows:N0} rows", "≤ 3", y / scan <= 3,
            $"{documents:N0} documents issued by {Units.Length} units in a year; median of {s.Runs} interleaved rounds after a warm-up"));
        report.Extra("supervision report, whole year", $"{y * 1000:0} ms", $"{issued:N0} issued, {yearReport.Units.Sum(u => u.Circulated):N0} received");
        report.Extra("supervision report, this month", $"{Measure.Median(months) * 1000:0} ms", "the dashboard's default period");
        report.Extra("seed (HubStore writes with capture and audit)", $"{rows / seeded.TotalSeconds:0} rows/s", $"{seeded.TotalSeconds:0.0} s for {rows:N0} rows");
        GC.KeepAlive(last);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Writes the year's traffic through the store (as the hub holds it after sync) and returns the rows written.</summary>
    private static (long Rows, int Dispatched) Seed(HubStore hub, int documents, DateTimeOffset periodEnd)
    {
        long rows = 0;
        var dispatched = 0;
        hub.Transact(w =>
        {
            foreach (var u in Units.Skip(1)) w.Insert(TownshipsTable.Name, new JsonObject { ["code"] = u, ["name"] = u + "镇" });
            foreach (var u in Units)
            {
                for (var i = 0; i < 8; i++)
                {
                    w.Insert(UsersTable.Name, new JsonObject
                    {
                        ["username"] = $"{u}_{i}", ["display_name"] = $"{u}{i}", ["unit"] = u,
                        ["roles"] = UsersTable.EncodeRoles([i == 0 ? Roles.Leader : Roles.Clerk]), ["password_hash"] = "x", ["security_stamp"] = "s",
                    });
                }
            }
            return 0;
        });
        var rng = new Random(20261127);
        var span = (DateTimeOffset.UtcNow > YearStart ? TimeSpan.FromDays(360) : TimeSpan.FromDays(300)).TotalMinutes;
        const int PerTransaction = 500;
        for (var start = 0; start < documents; start += PerTransaction)
        {
            rows += hub.Transact(w =>
            {
                long n = 0;
                for (var d = start; d < Math.Min(documents, start + PerTransaction); d++)
                {
                    var id = Guid.CreateVersion7().ToString();
                    var origin = Units[rng.Next(Units.Length)];
                    var t0 = YearStart.AddMinutes(rng.NextDouble() * span);
                    var recipients = Units.Where(u => u != origin).OrderBy(_ => rng.Next()).Take(1 + rng.Next(5)).ToList();
                    var audience = string.Join('|', recipients);
                    void Step(string kind, string node, string? recipient, DateTimeOffset at, string? data = null)
                    {
                        w.Insert(StepsTable.Name, new JsonObject
                        {
                            ["document_id"] = id, ["doc_origin"] = origin, ["audience"] = audience, ["kind"] = kind, ["recipient"] = recipient,
                            ["node"] = node, ["actor"] = node + "_1", ["actor_name"] = "王芳", ["at_utc"] = Iso(at),
                            ["opinion"] = kind == StepKinds.SignOff ? "同意。" : null, ["data"] = data,
                        });
                        n++;
                    }
                    var at = t0;
                    foreach (var kind in new[] { StepKinds.Submit, StepKinds.Approve, StepKinds.SignOff, StepKinds.ReCheck, StepKinds.Register, StepKinds.Print, StepKinds.Dispatch })
                    {
                        at = at.AddMinutes(30 + rng.Next(600));
                        Step(kind, origin, null, at);
                    }
                    if (at < periodEnd) dispatched++;
                    foreach (var r in recipients)
                    {
                        var a = at.AddMinutes(10 + rng.Next(300));
                        Step(StepKinds.SignFor, r, r, a);
                        Step(StepKinds.InRegister, r, r, a = a.AddMinutes(5));
                        var deadline = DateOnly.FromDateTime(a.AddDays(5).ToOffset(TimeSpan.FromHours(8)).DateTime);
                        Step(StepKinds.Assign, r, r, a = a.AddMinutes(60),
                            new JsonObject { ["handler"] = r + "_2", ["deadline"] = deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }.ToJsonString());
                        if (rng.Next(10) < 9) Step(StepKinds.Reply, r, r, a.AddDays(rng.Next(7)));
                    }
                    if (d % 4 == 0)
                    {
                        w.Insert(NoticesTable.Name, new JsonObject
                        {
                            ["kind"] = d % 40 == 0 ? NoticeKinds.Warning : d % 8 == 0 ? NoticeKinds.Reminder : NoticeKinds.Notice,
                            ["title"] = "关于做好冬季森林防火工作的通知", ["body"] = "请各单位落实责任。", ["priority"] = 0L, ["units"] = audience,
                            ["sender"] = origin + "_1", ["sent_utc"] = Iso(t0), ["sms"] = 1L,
                        });
                        w.Insert(SmsOutboxTable.Name, new JsonObject
                        {
                            ["phone"] = "138" + (10_000_000 + d).ToString(CultureInfo.InvariantCulture), ["text"] = "【长顺县】请及时查看通知。",
                            ["purpose"] = "notice", ["status"] = "delivered", ["attempts"] = 1L, ["created_utc"] = Iso(t0),
                        });
                        n += 2;
                    }
                }
                return n;
            });
        }
        return (rows, dispatched);
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
