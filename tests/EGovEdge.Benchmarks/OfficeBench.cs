using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Printing;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Benchmarks;

/// <summary>
/// 印制 and 用印 of one official document at a township, against printing alone in the same process:
/// seal_overhead = (render + seal + verify) / render, with the GB/T 9704 renderer and the SM2/SM3 seal service on a real
/// SQLite edge whose seal was requested there and issued at the hub (the real flow, synced in-process).
/// </summary>
internal sealed class OfficeBench(BenchSettings s, Report report)
{
    private const string Node = "guangshun";

    public void Run()
    {
        var dir = Path.Combine(s.WorkDir, "office");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var text = services.GetRequiredService<IStringLocalizer<SealText>>();
        var schema = OfficeSchema.Create();
        var time = TimeProvider.System;
        var hub = new HubStore(new SqliteHubDatabase(Path.Combine(dir, "hub.db")), schema, time, new OfficeWriteRules());
        var edge = new EdgeStore(Path.Combine(dir, "edge.db"), Node, schema, time);
        var hubEnv = new NodeEnvironment(NodeIds.Hub, Path.Combine(dir, "hub"));
        var edgeEnv = new NodeEnvironment(Node, Path.Combine(dir, Node));
        void Sync()
        {
            while (edge.ReadPending(500, schema.Version) is { } batch) edge.AckPush(batch, hub.ApplyPush(Node, batch));
            while (true)
            {
                var page = hub.Pull(Node, new PullRequest { NodeId = Node, SchemaVersion = schema.Version, Cursor = edge.PullCursor, Limit = 500 });
                edge.ApplyPulled(page);
                if (!page.HasMore) break;
            }
        }
        hub.Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = "clerk", ["display_name"] = "王芳", ["unit"] = Node, ["roles"] = UsersTable.EncodeRoles([Roles.Clerk, Roles.SealAdmin]),
            ["password_hash"] = "x", ["security_stamp"] = "s",
        });
        Sync();
        var maker = new SoftwareSealMakerKey(hubEnv);
        var seal = SealSetup.IssueForUnit(
            new SealRegistry(edge, new SoftwareSealKeyStore(edgeEnv), maker, time, new TownshipDirectory(edge), text),
            new SealRegistry(hub, new SoftwareSealKeyStore(hubEnv), maker, time, new TownshipDirectory(hub), text),
            Sync, new SealRequest { Name = "广顺镇人民政府公章", UnitName = "广顺镇人民政府", Signer = "clerk" }, "clerk");
        var seals = new SealService(edge, new SoftwareSealKeyStore(edgeEnv), time, text);
        var renderer = new GbDocumentRenderer();

        var documents = s.Quick ? 20 : 100;
        var attachment = new SealedAttachment("附件1.xlsx", Encoding.UTF8.GetBytes(new string('数', 40_000)));
        double RenderOnly(int round)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < documents; i++) renderer.RenderPdf(Sample(round, i));
            return Measure.Seconds(sw);
        }
        var applyTimes = new List<double>();
        var verifyTimes = new List<double>();
        double RenderSealVerify(int round)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < documents; i++)
            {
                var pdf = renderer.RenderPdf(Sample(round, i));
                var subject = new SealSubject(Guid.CreateVersion7().ToString(), Encoding.UTF8.GetBytes(Sample(round, i).Body), pdf, [attachment]);
                var t0 = Stopwatch.GetTimestamp();
                edge.Transact(w => seals.Apply(w, seal.Id, subject, "clerk"));
                var t1 = Stopwatch.GetTimestamp();
                if (!seals.Verify(subject).Valid) throw new InvalidOperationException("a freshly sealed document does not verify");
                if (round >= 0)
                {
                    applyTimes.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    verifyTimes.Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
                }
            }
            return Measure.Seconds(sw);
        }

        RenderOnly(-1); // warm-up: fonts, JIT
        RenderSealVerify(-1);
        var plain = new List<double>();
        var sealed_ = new List<double>();
        for (var r = 0; r < s.Runs; r++)
        {
            plain.Add(RenderOnly(r));
            sealed_.Add(RenderSealVerify(r));
        }
        var p = Measure.Median(plain);
        var q = Measure.Median(sealed_);
        report.Add(new Figure("seal_overhead", q / p, "ratio", "GB/T 9704 render alone",
            $"{p / documents * 1000:0.0} ms per document", "≤ 1.5", q / p <= 1.5,
            $"{documents} documents of ~1,500 characters, 40 kB attachment; median of {s.Runs} interleaved rounds after a warm-up"));
        report.Extra("print (GB/T 9704 PDF)", $"{documents / p:0} documents/s", $"{p / documents * 1000:0.0} ms each");
        report.Extra("print + seal + verify", $"{documents / q:0} documents/s", $"{q / documents * 1000:0.0} ms each (seal use written in a transaction)");
        report.Extra("seal (SM3 digest, SM2 signature, 用印登记 committed with synchronous=FULL)", $"{Measure.Median(applyTimes):0.0} ms",
            $"p95 {Measure.Percentile(applyTimes, 95):0.0} ms");
        report.Extra("verify offline (maker signature, seal, SM2 signature, digest)", $"{Measure.Median(verifyTimes):0.0} ms",
            $"p95 {Measure.Percentile(verifyTimes, 95):0.0} ms");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static PrintableDocument Sample(int round, int i) => new()
    {
        CopyNumber = (i + 1).ToString("000000", System.Globalization.CultureInfo.InvariantCulture),
        Urgency = "加急",
        OrganBanner = "长顺县广顺镇人民政府文件",
        DocNumber = $"广府发〔2026〕{i + 1}号",
        Title = $"长顺县广顺镇人民政府关于做好2026年冬春森林防火工作的通知（{round}-{i}）",
        MainRecipients = ["各村（社区）", "镇直各单位"],
        Body = string.Concat(Enumerable.Repeat("当前已进入冬春森林防火紧要期，天干物燥，火险等级持续偏高。各村（社区）要落实网格化管理，明确护林员巡山路线和责任区域，做到山有人管、林有人护、火有人防、责有人担。\n", 15)),
        AttachmentTitles = ["2026年冬春森林防火责任人名单"],
        SignatureOrgan = "长顺县广顺镇人民政府",
        DateWritten = new DateOnly(2026, 11, 27),
        CopyTo = ["县应急管理局", "县林业局"],
        PrintedBy = "长顺县广顺镇党政办公室",
        PrintedDate = new DateOnly(2026, 11, 27),
    };
}
