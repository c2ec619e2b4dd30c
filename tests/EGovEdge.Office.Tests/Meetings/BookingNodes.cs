using System.Security.Claims;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Meetings;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Tests.TestSupport;
using EGovEdge.Office.Vehicles;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Tests.Meetings;

/// <summary>Records the notices the booking modules send (the interface is ours; the rows themselves are not faked).</summary>
internal sealed class RecordingNoticeSender : INoticeSender
{
    public List<NoticeMessage> Sent { get; } = [];

    public string Send(ILocalWrite write, NoticeMessage message, string sender)
    {
        lock (Sent) Sent.Add(message);
        return Guid.CreateVersion7().ToString();
    }
}

/// <summary>Meeting and vehicle services for the hub and edges of an <see cref="OfficeWorld"/> (real SQLite files).</summary>
internal sealed class BookingNodes : IDisposable
{
    private readonly Dictionary<string, ServiceProvider> _nodes = new(StringComparer.Ordinal);

    public BookingNodes(OfficeWorld? world = null) => World = world ?? new OfficeWorld();

    public OfficeWorld World { get; }

    public RecordingNoticeSender Notices { get; } = new();

    public ILocalStore Store(string node) => node == "hub" ? World.Hub : World.Edge(node);

    public IServiceProvider Services(string node)
    {
        if (!_nodes.TryGetValue(node, out var sp))
        {
            var store = Store(node);
            sp = new ServiceCollection()
                .AddLogging()
                .AddLocalization()
                .AddSingleton(store)
                .AddSingleton<TimeProvider>(World.Time)
                .AddSingleton<INoticeSender>(Notices)
                .AddSingleton<DocumentService>()
                .AddSingleton<MeetingService>()
                .AddSingleton<VehicleService>()
                .BuildServiceProvider();
            _nodes.Add(node, sp);
        }
        return sp;
    }

    public MeetingService Meetings(string node) => Services(node).GetRequiredService<MeetingService>();

    public VehicleService Vehicles(string node) => Services(node).GetRequiredService<VehicleService>();

    public static Actor Staff(string username, string unit) => new(username, username + "同志", unit);

    public static ClaimsPrincipal Principal(string username, string unit, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, username), new(StaffClaims.Unit, unit), new(StaffClaims.DisplayName, username) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>China-time wall clock on the test day (2026-11-28) as UTC.</summary>
    public static DateTimeOffset At(int hour, int minute = 0) => BookingTime.FromChina(new DateTime(2026, 11, 28, hour, minute, 0));

    public void Dispose()
    {
        foreach (var sp in _nodes.Values) sp.Dispose();
        World.Dispose();
    }
}
