using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Tests.Seals;

/// <summary>An <see cref="OfficeWorld"/> (hub and townships on real SQLite files) with seal services and key folders per node.</summary>
internal sealed class SealWorld : IDisposable
{
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "egov-seal-keys-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;
    private readonly Dictionary<string, NodeEnvironment> _envs = new(StringComparer.Ordinal);

    public SealWorld(EGovEdge.Sync.Hub.IHubWriteRules? rules = null)
    {
        World = new OfficeWorld(rules);
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        Text = _services.GetRequiredService<IStringLocalizer<SealText>>();
    }

    public OfficeWorld World { get; }

    public IStringLocalizer<SealText> Text { get; }

    public ILocalStore Store(string node) => node == NodeIds.Hub ? World.Hub : World.Edge(node);

    public NodeEnvironment Env(string node)
    {
        if (!_envs.TryGetValue(node, out var env))
        {
            env = new NodeEnvironment(node, Path.Combine(_keys, node));
            _envs.Add(node, env);
        }
        return env;
    }

    public ISealKeyStore Keys(string node) => new SoftwareSealKeyStore(Env(node));

    public SealRegistry Registry(string node, SealOptions? options = null) =>
        new(Store(node), Keys(node), new SoftwareSealMakerKey(Env(NodeIds.Hub)), World.Time, new TownshipDirectory(Store(node)), Text,
            options is null ? null : Microsoft.Extensions.Options.Options.Create(options));

    public SealService Seals(string node) => new(Store(node), Keys(node), World.Time, Text);

    /// <summary>A staff account created at the hub (and synced to its township).</summary>
    public void AddUser(string username, string unit, params string[] roles)
    {
        World.Hub.Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = username,
            ["display_name"] = username,
            ["unit"] = unit,
            ["roles"] = UsersTable.EncodeRoles(roles.Length == 0 ? [Roles.Clerk] : roles),
            ["password_hash"] = "x",
            ["security_stamp"] = Guid.NewGuid().ToString(),
        });
        if (unit != NodeIds.Hub) World.Sync(unit);
    }

    /// <summary>A seal requested at <paramref name="unit"/>, issued at the hub, synced back: the real flow.</summary>
    public SealDto IssuedSeal(string unit, string signer, string name = "广顺镇人民政府公章", DateOnly? from = null, DateOnly? to = null) =>
        SealSetup.IssueForUnit(Registry(unit), Registry(NodeIds.Hub), () => World.Sync(unit),
            new SealRequest { Name = name, UnitName = "广顺镇人民政府", Signer = signer, ValidFrom = from ?? new DateOnly(2026, 1, 1), ValidTo = to ?? new DateOnly(2030, 12, 31) },
            "sealadmin");

    public static SealSubject Subject(string documentId, string content = "关于做好冬春森林防火工作的通知|正文", string pdf = "%PDF-1.7 fake",
        params (string Name, string Data)[] attachments) =>
        new(documentId, Encoding.UTF8.GetBytes(content), Encoding.UTF8.GetBytes(pdf),
            attachments.Length == 0 ? [new SealedAttachment("附件1.pdf", Encoding.UTF8.GetBytes("attachment one"))]
                : attachments.Select(a => new SealedAttachment(a.Name, Encoding.UTF8.GetBytes(a.Data))).ToList());

    public SealUseRecord Apply(string node, string sealId, SealSubject subject, string user) =>
        Store(node).Transact(w => Seals(node).Apply(w, sealId, subject, user));

    public void Dispose()
    {
        _services.Dispose();
        World.Dispose();
        try
        {
            Directory.Delete(_keys, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
