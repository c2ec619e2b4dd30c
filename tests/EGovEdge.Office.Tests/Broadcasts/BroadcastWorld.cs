using EGovEdge.Office.Broadcasts;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.Notices;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Tests.Broadcasts;

/// <summary>Hub and townships on real SQLite files with broadcast services and SMS outboxes (scripted gateways).</summary>
internal sealed class BroadcastWorld : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly Dictionary<string, ScriptedGateway> _gateways = new(StringComparer.Ordinal);

    public BroadcastWorld()
    {
        World = new OfficeWorld();
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        Text = _services.GetRequiredService<IStringLocalizer<BroadcastText>>();
    }

    public OfficeWorld World { get; }

    public IStringLocalizer<BroadcastText> Text { get; }

    public ScriptedGateway Gateway(ILocalStore store)
    {
        if (!_gateways.TryGetValue(store.NodeId, out var g)) _gateways[store.NodeId] = g = new ScriptedGateway();
        return g;
    }

    public SmsOutbox Outbox(ILocalStore store) => new(store, Gateway(store), World.Time, null, null, () => 0.5);

    public BroadcastService Broadcasts(ILocalStore store) => new(store, Outbox(store), World.Time, Text);

    /// <summary>The latest verification code sent to a phone (read from the outbox text).</summary>
    public string LastCode(ILocalStore store, string phone)
    {
        using var conn = store.OpenConnection();
        var sms = conn.ScalarString("SELECT text FROM sms_outbox WHERE phone = @p AND purpose = @c ORDER BY created_utc DESC, id DESC LIMIT 1", null,
            ("@p", phone), ("@c", BroadcastService.CodePurpose));
        Assert.NotNull(sms);
        return System.Text.RegularExpressions.Regex.Match(sms, "[0-9]{6}").Value;
    }

    public List<string> BroadcastPhones(ILocalStore store, string broadcastId)
    {
        using var conn = store.OpenConnection();
        using var cmd = conn.Command("SELECT phone FROM sms_outbox WHERE purpose = 'broadcast' AND ref_id = @r ORDER BY phone", null, ("@r", broadcastId));
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    public void Dispose()
    {
        _services.Dispose();
        World.Dispose();
    }
}
