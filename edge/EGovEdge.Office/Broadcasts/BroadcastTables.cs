using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Broadcasts;

/// <summary>
/// Residents subscribed to rural information broadcasts (<c>broadcast_subscribers</c>): phone, township code, village,
/// topics "|pension|weather|", status pending|active|cancelled. Rows come from the hub's portal (confirmed by an SMS
/// code) or from a township clerk (registered in person). Visible to the subscriber's township and the hub. The
/// <c>code_*</c> and <c>req_*</c> columns hold a pending portal request until its code is entered.
/// </summary>
public static class BroadcastSubscribersTable
{
    public const string Name = "broadcast_subscribers";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("phone", Required: true),
            new SyncColumn("name"),
            new SyncColumn("township", Required: true),
            new SyncColumn("village"),
            new SyncColumn("topics", Required: true),
            new SyncColumn("status", Required: true),
            new SyncColumn("confirmed", SyncColumnType.Integer),
            new SyncColumn("channel"),
            new SyncColumn("registered_by"),
            new SyncColumn("created_utc", Required: true),
            new SyncColumn("updated_utc"),
            new SyncColumn("code_hash"),
            new SyncColumn("code_action"),
            new SyncColumn("code_expires_utc"),
            new SyncColumn("code_sent_utc"),
            new SyncColumn("code_attempts", SyncColumnType.Integer),
            new SyncColumn("req_name"),
            new SyncColumn("req_township"),
            new SyncColumn("req_village"),
            new SyncColumn("req_topics"),
        ],
        row => Scopes.Of([row.Text("township") ?? row.Origin, row.Origin]),
        ["ix_broadcast_subscribers_phone(phone)", "ix_broadcast_subscribers_tw(township, status)"]);
}

/// <summary>
/// Broadcasts (<c>broadcasts</c>): topic, township ("*" county-wide or a code), optional village, text, publisher and
/// the number of recipients at publishing time. Delivery is tracked per recipient in <c>sms_outbox</c> (purpose
/// "broadcast", ref_id = broadcast id).
/// </summary>
public static class BroadcastsTable
{
    public const string Name = "broadcasts";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("topic", Required: true),
            new SyncColumn("township", Required: true),
            new SyncColumn("village"),
            new SyncColumn("text", Required: true),
            new SyncColumn("publisher", Required: true),
            new SyncColumn("published_utc", Required: true),
            new SyncColumn("recipients", SyncColumnType.Integer),
        ],
        row => row.Text("township") == CountyWide ? Scopes.Everyone : Scopes.Of([row.Text("township") ?? row.Origin, row.Origin]),
        ["ix_broadcasts_pub(published_utc)"]);

    public const string CountyWide = "*";
}

/// <summary>Broadcast topics (labels: BroadcastText "Topic_" + code).</summary>
public static class BroadcastTopics
{
    /// <summary>新农保 / 城乡居民养老保险.</summary>
    public const string Pension = "pension";

    /// <summary>气象与自然灾害预警.</summary>
    public const string Weather = "weather";

    /// <summary>种植养殖技术与市场信息.</summary>
    public const string Farming = "farming";

    public static readonly IReadOnlyList<string> All = [Pension, Weather, Farming];

    public static string Encode(IEnumerable<string> topics)
    {
        var list = topics.Where(All.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "" : "|" + string.Join('|', list) + "|";
    }

    public static IReadOnlyList<string> Decode(string? topics) =>
        (topics ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries).Where(All.Contains).ToList();
}

public static class SubscriberStatus
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Cancelled = "cancelled";
}
