using EGovEdge.Office.Documents;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Notices;

/// <summary>
/// The replicated <c>notices</c> table. <c>units</c> is "*" (whole county) or "|a|b|"; <c>users</c> "|name|name|";
/// <c>user_units</c> the units of the named users, resolved at send time so the row reaches their nodes.
/// <c>due_utc</c> holds back a scheduled reminder: it replicates at once and shows (and its SMS go out) when due.
/// </summary>
public static class NoticesTable
{
    public const string Name = "notices";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("kind", Required: true),
            new SyncColumn("title", Required: true),
            new SyncColumn("body"),
            new SyncColumn("priority", SyncColumnType.Integer),
            new SyncColumn("units"),
            new SyncColumn("users"),
            new SyncColumn("user_units"),
            new SyncColumn("link"),
            new SyncColumn("source_id"),
            new SyncColumn("sender", Required: true),
            new SyncColumn("sent_utc", Required: true),
            new SyncColumn("due_utc"),
            new SyncColumn("expires_utc"),
            new SyncColumn("sms", SyncColumnType.Integer),
        ],
        Scope,
        ["ix_notices_sent(sent_utc)", "ix_notices_origin(origin, deleted)", "ix_notices_source(source_id)"]);

    public static string Scope(SyncRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Text("units") == Recipients.County) return Scopes.Everyone;
        return Scopes.Of(Recipients.Decode(row.Text("units")).Concat(Recipients.Decode(row.Text("user_units"))).Append(row.Origin));
    }
}

/// <summary>
/// Append-only read receipts (<c>notice_reads</c>): one row per reader and notice, written at the reader's node;
/// visible to the notice's origin (the sender sees who read) and the reader's node.
/// </summary>
public static class NoticeReadsTable
{
    public const string Name = "notice_reads";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("notice_id", Required: true),
            new SyncColumn("notice_origin", Required: true),
            new SyncColumn("username", Required: true),
            new SyncColumn("node", Required: true),
            new SyncColumn("read_utc", Required: true),
        ],
        row => Scopes.Of([row.Text("notice_origin") ?? row.Origin, row.Origin]),
        ["ix_notice_reads_notice(notice_id, username)"]);
}

/// <summary>
/// The SMS outbox (<c>sms_outbox</c>): one row per recipient and message. Replicated to the hub only (scope: its
/// origin), so the county sees the counts; each node's dispatcher sends only its own rows.
/// </summary>
public static class SmsOutboxTable
{
    public const string Name = "sms_outbox";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("phone", Required: true),
            new SyncColumn("text", Required: true),
            new SyncColumn("purpose", Required: true),
            new SyncColumn("ref_id"),
            new SyncColumn("username"),
            new SyncColumn("status", Required: true),
            new SyncColumn("attempts", SyncColumnType.Integer),
            new SyncColumn("next_attempt_utc"),
            new SyncColumn("last_error"),
            new SyncColumn("provider_id"),
            new SyncColumn("created_utc", Required: true),
            new SyncColumn("sent_utc"),
            new SyncColumn("delivered_utc"),
            new SyncColumn("priority", SyncColumnType.Integer),
        ],
        row => Scopes.Of([row.Origin]),
        ["ix_sms_outbox_due(status, next_attempt_utc)", "ix_sms_outbox_created(created_utc)"]);
}

/// <summary>Outbox states. <c>logged</c>: written to the log file by the default gateway, never handed to a carrier.</summary>
public static class SmsStatus
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Logged = "logged";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Queued, Sending, Logged, Sent, Delivered, Failed];

    /// <summary>States after which the message is never handed to the gateway again.</summary>
    public static bool IsFinal(string? status) => status is Logged or Sent or Delivered or Failed;
}
