using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Notices;

/// <summary>Kinds of notice: 通知, 提醒 (reminders such as 催办 and meeting notices), 预警 (early warnings).</summary>
public static class NoticeKinds
{
    public const string Notice = "notice";
    public const string Reminder = "reminder";
    public const string Warning = "warning";
}

/// <summary>A notice to send: to whole units (township codes, "hub", or "*" for the county) and/or named staff (usernames).</summary>
/// <param name="Priority">0 normal, 1 high, 2 urgent (major warnings).</param>
/// <param name="Link">Optional page in the app the notice is about (e.g. "/meetings/{id}").</param>
/// <param name="SourceId">Optional id of the record it is about (a meeting, a document).</param>
/// <param name="Sms">Also send an SMS to each addressed staff member with a phone number (through the SMS outbox).</param>
/// <param name="DueUtc">Reminders only: show the notice (and send its SMS) at this time instead of now.</param>
/// <param name="ExpiresUtc">After this time a warning no longer counts as active nor shows on the home page.</param>
public sealed record NoticeMessage(
    string Kind,
    string Title,
    string Body,
    IReadOnlyList<string> Units,
    IReadOnlyList<string> Users,
    int Priority = 0,
    string? Link = null,
    string? SourceId = null,
    bool Sms = false,
    DateTimeOffset? DueUtc = null,
    DateTimeOffset? ExpiresUtc = null);

/// <summary>Sends notices (replicated to the addressed nodes; shown on the addressees' home pages as alerts).</summary>
public interface INoticeSender
{
    /// <summary>Writes the notice inside the caller's transaction and returns its id.</summary>
    string Send(ILocalWrite write, NoticeMessage message, string sender);
}
