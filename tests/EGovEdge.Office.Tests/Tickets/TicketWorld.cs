using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.Notices;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Tickets;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Tests.Tickets;

/// <summary>The shared hub + township world with a <see cref="TicketService"/> (real notices and SMS outbox) per node.</summary>
internal sealed class TicketWorld : IDisposable
{
    private readonly ServiceProvider _services;

    public TicketWorld()
    {
        World = new OfficeWorld();
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        Text = _services.GetRequiredService<IStringLocalizer<TicketText>>();
        NoticeText = _services.GetRequiredService<IStringLocalizer<NoticeText>>();
    }

    public OfficeWorld World { get; }

    public IStringLocalizer<TicketText> Text { get; }

    public IStringLocalizer<NoticeText> NoticeText { get; }

    public TicketService Service(ILocalStore store)
    {
        var outbox = new SmsOutbox(store, new ScriptedGateway(), World.Time);
        return new TicketService(store, World.Time, Text, new NoticeService(store, outbox, World.Time, NoticeText), outbox);
    }

    public TicketService Hub => Service(World.Hub);

    public TicketService Edge(string node) => Service(World.Edge(node));

    public static TicketActor Clerk(string unit) => new("clerk-" + unit, "Clerk " + unit, unit, [Roles.Clerk]);

    public static TicketActor Leader(string unit) => new("leader-" + unit, "Leader " + unit, unit, [Roles.Leader]);

    public static TicketActor Supervisor { get; } = new("sup", "Supervisor", "hub", [Roles.Supervisor]);

    public static TicketInput Complaint(string township = "guangshun", string urgency = TicketUrgency.Normal) => new()
    {
        Kind = TicketKinds.Complaint,
        Category = "urban",
        Urgency = urgency,
        Township = township,
        Description = "村口路灯坏了三个月，晚上看不见路。联系我13800138000，身份证520123199001011234",
        Address = "广顺镇石板村3组12号",
        Name = "张三丰",
        Phone = "13800138000",
    };

    public static TicketActionInput Do(string action) => new() { Action = action };

    public void Dispose()
    {
        _services.Dispose();
        World.Dispose();
    }
}
