using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Printing;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Townships;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Tests.Workflow;

/// <summary>A hub and two townships (广顺镇, 马路乡) on real SQLite files, with the organ directory published by the hub.</summary>
internal sealed class WorkflowWorld : IDisposable
{
    private readonly ServiceProvider _services;

    public WorkflowWorld()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        World = new OfficeWorld();
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        Text = _services.GetRequiredService<IStringLocalizer<WorkflowText>>();
        var townships = new TownshipDirectory(World.Hub);
        townships.Publish("guangshun", "广顺镇");
        townships.Publish("malu", "马路乡");
        new OrganDirectory(World.Hub).PublishCounty("长顺县人民政府办公室", null, [("guangshun", "广顺镇", null), ("malu", "马路乡", null)]);
        AddUser("wang", "王明", "malu", Roles.Clerk);
        AddUser("li", "李华", "malu", Roles.Reporter);
        World.Edge("guangshun");
        World.Edge("malu");
        World.SyncAll();
    }

    public OfficeWorld World { get; }

    public IStringLocalizer<WorkflowText> Text { get; }

    public FakeRenderer Renderer { get; } = new();

    public FakeSeals Seals { get; } = new();

    public ILocalStore Store(string node) => node == "hub" ? World.Hub : World.Edge(node);

    public WorkflowService Workflow(string node) => new(Store(node), World.Time, Text, new OrganDirectory(Store(node)), Renderer, Seals);

    public DocumentService Documents(string node) => new(Store(node), World.Time, World.Text, Text);

    public static WorkflowActor Clerk => new("clerk", "张敏", [Roles.Clerk]);

    public static WorkflowActor Leader => new("leader", "陈刚", [Roles.Leader]);

    public static WorkflowActor SealAdmin => new("sealer", "赵丽", [Roles.SealAdmin]);

    public void Sync() => World.SyncAll();

    public DocumentDto Draft(string node, string title = "关于做好冬春森林防火工作的通知", List<string>? recipients = null, List<string>? coIssuers = null, string docType = "通知") =>
        Documents(node).Create(new DocumentInput
        {
            Title = title, DocType = docType, Urgency = "加急", Body = "各村（社区）：\n一、落实责任。", Recipients = recipients ?? ["malu"],
            CoIssuers = coIssuers, CopyTo = [],
        });

    /// <summary>Runs 送核稿 → 核稿 → 签发 → 复核 at <paramref name="node"/> (no co-issuers).</summary>
    public void ToReChecked(string node, string id)
    {
        var wf = Workflow(node);
        wf.Submit(id, Clerk);
        wf.Approve(id, Clerk);
        wf.SignOff(id, Leader, "同意印发");
        wf.ReCheck(id, Clerk);
    }

    /// <summary>All the way to 核发.</summary>
    public void ToDispatched(string node, string id)
    {
        ToReChecked(node, id);
        var wf = Workflow(node);
        wf.Register(id, Clerk);
        wf.Print(id, Clerk);
        wf.Seal(id, SealAdmin, FakeSeals.SealId);
        wf.Dispatch(id, Clerk);
    }

    private void AddUser(string username, string name, string unit, string role) =>
        World.Hub.Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = username, ["display_name"] = name, ["unit"] = unit, ["roles"] = UsersTable.EncodeRoles([role]),
            ["password_hash"] = "x", ["security_stamp"] = "s",
        });

    public void Dispose()
    {
        _services.Dispose();
        World.Dispose();
    }
}

/// <summary>A deterministic stand-in for the GB/T 9704 renderer (the real one is the Printing module's).</summary>
internal sealed class FakeRenderer : IDocumentRenderer
{
    public PrintableDocument? Last { get; private set; }

    public byte[] RenderPdf(PrintableDocument document)
    {
        Last = document;
        return System.Text.Encoding.UTF8.GetBytes($"%PDF-1.7\n{document.OrganBanner}\n{document.DocNumber}\n{document.Title}\n{document.Body}\n{document.DateWritten:yyyy-MM-dd}");
    }
}

/// <summary>
/// A stand-in for the Seals module: records the SHA-256 of the subject at Apply and compares at Verify. One instance
/// is shared by every node of the world, as the real seal registry is replicated.
/// </summary>
internal sealed class FakeSeals : ISealService
{
    public const string SealId = "seal-1";
    private readonly Dictionary<string, SealUseRecord> _uses = new(StringComparer.Ordinal);

    public IReadOnlyList<UsableSeal> UsableBy(string username) => [new UsableSeal(SealId, "广顺镇人民政府公章", "guangshun", "5201")];

    public SealUseRecord Apply(ILocalWrite write, string sealId, SealSubject subject, string username)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (sealId != SealId) throw new OfficeValidationException(new Dictionary<string, string[]> { ["sealId"] = ["unknown seal"] });
        var use = new SealUseRecord(Guid.NewGuid().ToString(), subject.DocumentId, sealId, "广顺镇人民政府公章", username, write.NodeId, DateTimeOffset.UtcNow, Digest(subject));
        _uses[subject.DocumentId] = use;
        return use;
    }

    public SealCheck Verify(SealSubject subject)
    {
        if (!_uses.TryGetValue(subject.DocumentId, out var use)) return new SealCheck(false, false, null, null);
        return Digest(subject) == use.DigestHex ? new SealCheck(true, true, null, use) : new SealCheck(true, false, "内容已被篡改", use);
    }

    private static string Digest(SealSubject s)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(s.Content);
        sha.AppendData(s.Pdf);
        foreach (var a in s.Attachments)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(a.Name));
            sha.AppendData(a.Data);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
