using EGovEdge.Office.Hosting;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Notices;

/// <summary>A gateway that answers from a script (then "sent") and records every hand-over.</summary>
internal sealed class ScriptedGateway : ISmsGateway
{
    private readonly Queue<Func<SmsMessage, SmsSendResult>> _script = new();

    public List<SmsMessage> Calls { get; } = [];

    public ScriptedGateway Then(Func<SmsMessage, SmsSendResult> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    public ScriptedGateway FailTimes(int n, string error = "carrier busy")
    {
        for (var i = 0; i < n; i++) Then(_ => SmsSendResult.Transient(error));
        return this;
    }

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        Calls.Add(message);
        return Task.FromResult(_script.TryDequeue(out var next) ? next(message) : SmsSendResult.Sent("p-" + Calls.Count));
    }
}

/// <summary>
/// The shared <see cref="OfficeWorld"/> (hub + townships on real SQLite, synced in-process) plus notices, SMS outboxes
/// and staff accounts created at the hub (with phones) for the Notices tests.
/// </summary>
internal sealed class NoticeWorld : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "egov-ntc-" + Guid.NewGuid().ToString("N"));

    public NoticeWorld()
    {
        World = new OfficeWorld();
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        Text = _services.GetRequiredService<IStringLocalizer<NoticeText>>();
        Users = new UserService(World.Hub, World.Time, World.Text, Text);
    }

    public OfficeWorld World { get; }

    public IStringLocalizer<NoticeText> Text { get; }

    public UserService Users { get; }

    public SmsOptions Options { get; } = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(10) };

    /// <summary>Jitter source; 0.5 gives the exact middle (no jitter).</summary>
    public double Jitter { get; set; } = 0.5;

    public StaffUser Staff(string username, string unit, string? phone = null, params string[] roles) =>
        Users.Create(username, username.ToUpperInvariant(), unit, roles.Length == 0 ? [Roles.Clerk] : roles, "Passw0rd!", phone);

    public SmsOutbox Outbox(ILocalStore store, ISmsGateway gateway) =>
        new(store, gateway, World.Time, Microsoft.Extensions.Options.Options.Create(Options), null, () => Jitter);

    public NoticeService Notices(ILocalStore store, ISmsGateway? gateway = null) =>
        new(store, Outbox(store, gateway ?? new ScriptedGateway()), World.Time, Text);

    public NodeEnvironment Env(string node) => new(node, Path.Combine(_dataDir, node));

    public void Dispose()
    {
        _services.Dispose();
        World.Dispose();
        try
        {
            if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
