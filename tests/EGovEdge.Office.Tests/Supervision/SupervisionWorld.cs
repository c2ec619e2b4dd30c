using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Supervision;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Townships;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Storage;
using PdfSharp.Pdf;

namespace EGovEdge.Office.Tests.Supervision;

/// <summary>
/// The shared <see cref="OfficeWorld"/> (hub + 广顺镇 + 马路乡 on real SQLite, synced in-process) seeded with known
/// documents, steps, notices, SMS, audit entries, conflicts and inspections for November 2026 (China time). The
/// expected figures are worked out by hand in <see cref="SupervisionStatsTests"/>.
/// </summary>
internal sealed class SupervisionWorld : IDisposable
{
    public const string Gs = "guangshun";
    public const string Ml = "malu";
    public const string Hub = EGovEdge.Sync.NodeIds.Hub;

    public SupervisionWorld() => World = new OfficeWorld();

    public OfficeWorld World { get; }

    public static SupervisionPeriod November => new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));

    public SupervisionStats Stats(ILocalStore store, ITicketStatistics? tickets = null) =>
        new(store, World.Time, Microsoft.Extensions.Options.Options.Create(new SupervisionOptions()), tickets ?? new NoTicketStatistics(),
            new StoreSyncHealthSource(store));

    public InspectionService Inspections(ILocalStore store) => new(store, World.Time);

    public void Seed()
    {
        var hub = World.Hub;
        var gs = World.Edge(Gs);
        var ml = World.Edge(Ml);
        var dir = new TownshipDirectory(hub);
        dir.Publish(Gs, "广顺镇");
        dir.Publish(Ml, "马路乡");
        User(Gs, "zhang", "张三");
        User(Gs, "li", "李四");
        User(Ml, "wang", "王五");
        User(Ml, "zhao", "赵六", disabled: true);
        User(Hub, "chen", "陈七");
        World.SyncAll();

        // ---- documents issued at the hub and at 广顺镇
        var d1 = Doc(hub, "关于做好冬季防火工作的通知", "|guangshun|malu|", "2026-11-02T00:00:00Z");
        Step(hub, d1, Hub, StepKinds.SignOff, null, "2026-11-02T10:00:00Z");        // 10 h
        Step(hub, d1, Hub, StepKinds.Dispatch, null, "2026-11-03T02:00:00Z");
        Pdf(hub, d1, pages: 3);
        var d2 = Doc(hub, "关于报送年度总结的通知", "|guangshun|", "2026-11-04T00:00:00Z");
        Step(hub, d2, Hub, StepKinds.SignOff, null, "2026-11-05T06:00:00Z");        // 30 h
        Step(hub, d2, Hub, StepKinds.Dispatch, null, "2026-11-05T08:00:00Z");
        var d3 = Doc(hub, "关于秋收工作的通知", "|malu|", "2026-10-20T00:00:00Z");
        Step(hub, d3, Hub, StepKinds.SignOff, null, "2026-10-30T00:00:00Z");        // October: not counted
        Step(hub, d3, Hub, StepKinds.Dispatch, null, "2026-10-31T17:00:00Z");       // 11月1日 01:00 China time: November
        var d4 = Doc(hub, "关于召开工作会议的通知", "|guangshun|", "2026-11-06T00:00:00Z");
        Step(hub, d4, Hub, StepKinds.SignOff, null, "2026-11-06T04:00:00Z");        // 4 h, not dispatched
        var d5 = Doc(hub, "十月份的发文", "|malu|", "2026-10-01T00:00:00Z");
        Step(hub, d5, Hub, StepKinds.Dispatch, null, "2026-10-31T15:59:59Z");       // 10月31日 23:59:59 China: October
        var g1 = Doc(gs, "广顺镇关于道路维修的请示", "|hub|", "2026-11-10T00:00:00Z");
        Step(gs, g1, Gs, StepKinds.SignOff, null, "2026-11-10T05:00:00Z");          // 5 h
        Step(gs, g1, Gs, StepKinds.Dispatch, null, "2026-11-11T00:00:00Z");
        var g2 = Doc(gs, "广顺镇工作简报", "|hub|", "2026-11-12T00:00:00Z");
        Step(gs, g2, Gs, StepKinds.SignOff, null, "2026-11-13T12:00:00Z");          // 36 h, not dispatched

        // ---- receipts (签收), readings, 承办 with deadlines, replies, 催办
        Step(gs, d1, Hub, StepKinds.SignFor, Gs, "2026-11-03T03:00:00Z");
        Step(gs, d1, Hub, StepKinds.Assign, Gs, "2026-11-03T04:00:00Z", """{"handler":"zhang","deadline":"2026-11-20"}"""); // overdue
        Step(gs, d1, Hub, StepKinds.Read, Gs, "2026-11-03T05:00:00Z");
        Step(gs, d2, Hub, StepKinds.SignFor, Gs, "2026-11-05T09:00:00Z");
        Step(gs, d2, Hub, StepKinds.Assign, Gs, "2026-11-05T10:00:00Z", """{"handler":"li","deadline":"2026-11-25"}""");
        Step(gs, d2, Hub, StepKinds.Reply, Gs, "2026-11-24T00:00:00Z");                                                       // replied in time
        Step(ml, d1, Hub, StepKinds.SignFor, Ml, "2026-11-04T00:00:00Z");
        Step(ml, d1, Hub, StepKinds.Assign, Ml, "2026-11-04T01:00:00Z", """{"handler":"wang","deadline":"2026-11-27"}""");   // due today: not yet
        Step(ml, d3, Hub, StepKinds.SignFor, Ml, "2026-11-01T00:00:00Z");
        Step(ml, d3, Hub, StepKinds.Assign, Ml, "2026-11-01T01:00:00Z", """{"handler":"wang","deadline":"2026-11-10"}""");
        Step(ml, d3, Hub, StepKinds.Assign, Ml, "2026-11-02T01:00:00Z", """{"handler":"wang","deadline":"2026-11-30"}""");   // extended: not overdue
        Step(ml, d5, Hub, StepKinds.SignFor, Ml, "2026-10-31T15:00:00Z");                                                     // October
        Step(hub, g1, Gs, StepKinds.SignFor, Hub, "2026-11-11T01:00:00Z");
        Step(hub, g1, Gs, StepKinds.Assign, Hub, "2026-11-11T02:00:00Z", """{"handler":"chen","deadline":"2026-11-15"}""");  // overdue
        Step(hub, d1, Hub, StepKinds.Remind, Ml, "2026-11-21T00:00:00Z");

        // ---- notices, reminders, warnings
        Notice(hub, NoticeKinds.Reminder, "2026-11-05T00:00:00Z");
        Notice(hub, NoticeKinds.Warning, "2026-11-06T00:00:00Z");
        Notice(hub, NoticeKinds.Warning, "2026-11-20T00:00:00Z");
        Notice(hub, NoticeKinds.Notice, "2026-11-07T00:00:00Z");
        Notice(hub, NoticeKinds.Reminder, "2026-10-30T00:00:00Z");                          // October
        Notice(hub, NoticeKinds.Warning, "2026-11-26T00:00:00Z", due: "2026-11-29T00:00:00Z"); // scheduled, not shown yet
        Notice(gs, NoticeKinds.Reminder, "2026-11-08T00:00:00Z");

        // ---- SMS
        Sms(hub, SmsStatus.Sent, "2026-11-05T00:00:00Z");
        Sms(hub, SmsStatus.Delivered, "2026-11-06T00:00:00Z");
        Sms(hub, SmsStatus.Failed, "2026-11-06T00:00:00Z");
        Sms(hub, SmsStatus.Queued, "2026-11-26T00:00:00Z");
        Sms(hub, SmsStatus.Sent, "2026-10-29T00:00:00Z");                                  // October
        Sms(gs, SmsStatus.Logged, "2026-11-08T00:00:00Z");

        // ---- conflicts (the hub's replicated record)
        Conflict("p1", Gs, Hub, "2026-11-15T00:00:00Z", resolved: true);
        Conflict("p2", Ml, Hub, "2026-11-16T00:00:00Z", resolved: false);
        Conflict("p3", Gs, Ml, "2026-10-15T00:00:00Z", resolved: false);                   // October

        // ---- inspections
        var insp = Inspections(hub);
        insp.Add(new InspectionInput { Team = "第一督查组", Unit = Gs, InspectedOn = "2026-11-18", Findings = "收文登记不及时", Rating = InspectionRatings.Pass }, "chen");
        insp.Add(new InspectionInput { Team = "第二督查组", Unit = Ml, InspectedOn = "2026-10-28", Findings = "运行良好", Rating = InspectionRatings.Good }, "chen");

        // ---- staff usage: these writes are the only ones made by named staff (all others are "system")
        Usage(gs, "zhang", 4);
        Usage(gs, "li", 1);
        Usage(ml, "wang", 2);
        Usage(hub, "chen", 3);

        World.SyncAll();
    }

    public void User(string unit, string username, string name, bool disabled = false) =>
        World.Hub.Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = username, ["display_name"] = name, ["unit"] = unit, ["roles"] = UsersTable.EncodeRoles([Roles.Clerk]),
            ["password_hash"] = "x", ["security_stamp"] = "s", ["disabled"] = disabled ? 1 : 0,
        });

    public static string Doc(ILocalStore store, string title, string recipients, string created) =>
        store.Insert(DocumentsTable.Name, new JsonObject
        {
            ["title"] = title, ["doc_type"] = "通知", ["urgency"] = Urgency.Normal, ["body"] = "正文", ["recipients"] = recipients,
            ["created_utc"] = created, ["updated_utc"] = created,
        }).Id;

    public static void Step(ILocalStore store, string doc, string docOrigin, string kind, string? recipient, string at, string? data = null) =>
        store.Insert(StepsTable.Name, new JsonObject
        {
            ["document_id"] = doc, ["doc_origin"] = docOrigin,
            ["audience"] = recipient is null ? "*" : EGovEdge.Sync.Schema.Scopes.Of([docOrigin, recipient]),
            ["kind"] = kind, ["recipient"] = recipient, ["node"] = store.NodeId, ["actor"] = "clerk", ["at_utc"] = at, ["data"] = data,
        });

    public static void Pdf(ILocalStore store, string doc, int pages)
    {
        using var pdf = new PdfDocument();
        for (var i = 0; i < pages; i++) pdf.AddPage();
        using var ms = new MemoryStream();
        pdf.Save(ms);
        var bytes = ms.ToArray();
        store.Insert(FilesTable.Name, new JsonObject
        {
            ["document_id"] = doc, ["audience"] = "*", ["kind"] = FilesTable.KindPdf, ["ordinal"] = 0, ["name"] = "doc.pdf",
            ["content_type"] = "application/pdf", ["size"] = bytes.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ["data"] = Convert.ToBase64String(bytes),
        });
    }

    public static void Notice(ILocalStore store, string kind, string sent, string? due = null) =>
        store.Insert(NoticesTable.Name, new JsonObject
        {
            ["kind"] = kind, ["title"] = kind, ["units"] = "*", ["sender"] = "clerk", ["sent_utc"] = sent, ["due_utc"] = due,
        });

    public static void Sms(ILocalStore store, string status, string created) =>
        store.Insert(SmsOutboxTable.Name, new JsonObject
        {
            ["phone"] = "13800000000", ["text"] = "提醒", ["purpose"] = "notice", ["status"] = status, ["created_utc"] = created,
        });

    private void Conflict(string pair, string winner, string loser, string detected, bool resolved)
    {
        World.Hub.Insert(ConflictTables.Conflicts, new JsonObject
        {
            ["pair_id"] = pair, ["tbl"] = DocumentsTable.Name, ["row_id"] = pair, ["winner_hlc"] = new Hlc(1_790_000_000_000, 0, winner).ToString(),
            ["loser_hlc"] = new Hlc(1_790_000_000_000, 1, loser).ToString(), ["winner_json"] = "{}", ["loser_json"] = "{}", ["detected_utc"] = detected,
            ["detected_node"] = Hub, ["scope"] = EGovEdge.Sync.Schema.Scopes.Of([winner, loser]),
        });
        if (resolved)
        {
            World.Hub.Insert(ConflictTables.Resolutions, new JsonObject
            {
                ["pair_id"] = pair, ["keep"] = "winner", ["resolved_by"] = "chen", ["resolved_utc"] = detected,
                ["scope"] = EGovEdge.Sync.Schema.Scopes.Of([winner, loser]),
            });
        }
    }

    private static void Usage(ILocalStore store, string username, int writes)
    {
        using var _ = AuditActor.Use(username);
        for (var i = 0; i < writes; i++) Doc(store, "草稿" + i, "|hub|", "2026-11-26T00:00:00Z");
    }

    public void Dispose() => World.Dispose();
}
