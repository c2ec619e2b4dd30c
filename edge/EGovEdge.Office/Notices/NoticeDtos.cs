namespace EGovEdge.Office.Notices;

/// <summary>A notice as shown to its reader or sender.</summary>
public sealed class NoticeDto
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public string Body { get; init; } = "";
    public int Priority { get; init; }
    public IReadOnlyList<string> Units { get; init; } = [];
    public IReadOnlyList<string> Users { get; init; } = [];
    public string? Link { get; init; }
    public string? SourceId { get; init; }
    public required string Sender { get; init; }
    public required string OriginNode { get; init; }
    public DateTimeOffset SentUtc { get; init; }

    /// <summary>When a scheduled reminder shows; null when it showed at once.</summary>
    public DateTimeOffset? DueUtc { get; init; }

    public DateTimeOffset? ExpiresUtc { get; init; }
    public bool Sms { get; init; }

    /// <summary>Whether the current user has read it (inbox only).</summary>
    public bool Read { get; init; }

    /// <summary>Readers so far (distinct usernames).</summary>
    public int ReadCount { get; init; }

    /// <summary>Show time: the due time of a scheduled reminder, else the send time.</summary>
    public DateTimeOffset ShownUtc => DueUtc ?? SentUtc;
}

/// <summary>POST /api/notices. Kind notice|reminder|warning; units are township codes, "hub" or "*"; users are usernames.</summary>
public sealed class NoticeInput
{
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? Body { get; set; }
    public int? Priority { get; set; }
    public List<string>? Units { get; set; }
    public List<string>? Users { get; set; }
    public string? Link { get; set; }
    public bool Sms { get; set; }

    /// <summary>Reminders: show (and send their SMS) at this time instead of now.</summary>
    public DateTimeOffset? DueUtc { get; set; }

    public DateTimeOffset? ExpiresUtc { get; set; }
}

public sealed class NoticePage
{
    public required IReadOnlyList<NoticeDto> Items { get; init; }
    public long Total { get; init; }
    public long Unread { get; init; }
}

/// <summary>One addressee of a notice and whether (when, where) they read it.</summary>
public sealed class ReadReceiptDto
{
    public required string Username { get; init; }
    public string? DisplayName { get; init; }
    public string? Unit { get; init; }
    public DateTimeOffset? ReadUtc { get; init; }
    public string? Node { get; init; }
}

public sealed class ReadReceiptsDto
{
    public required string NoticeId { get; init; }
    public required IReadOnlyList<ReadReceiptDto> Addressees { get; init; }
    public int Read { get; init; }
    public int Unread { get; init; }
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<StatsPeriod>))]
public enum StatsPeriod
{
    Day,
    Week,
    Month,
}

/// <summary>Counts for one day, week (from Monday) or month, in China time.</summary>
public sealed class NoticeStatsBucket
{
    public required string Period { get; init; }
    public DateOnly Start { get; init; }
    public int Notices { get; set; }
    public int Reminders { get; set; }
    public int Warnings { get; set; }
    public int SmsQueued { get; set; }
    public int SmsSent { get; set; }
    public int SmsDelivered { get; set; }
    public int SmsFailed { get; set; }
}

public sealed class NoticeStatsDto
{
    public DateTimeOffset FromUtc { get; init; }
    public DateTimeOffset ToUtc { get; init; }
    public StatsPeriod Period { get; init; }
    public required IReadOnlyList<NoticeStatsBucket> Buckets { get; init; }
    public required NoticeStatsBucket Total { get; init; }
}

public sealed class SmsDto
{
    public required string Id { get; init; }
    public required string Phone { get; init; }
    public required string Text { get; init; }
    public required string Purpose { get; init; }
    public string? RefId { get; init; }
    public string? Username { get; init; }
    public required string Status { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptUtc { get; init; }
    public string? LastError { get; init; }
    public string? ProviderId { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
    public DateTimeOffset? SentUtc { get; init; }
    public DateTimeOffset? DeliveredUtc { get; init; }
    public required string OriginNode { get; init; }
}

public sealed class SmsOutboxDto
{
    public required IReadOnlyDictionary<string, long> Counts { get; init; }
    public required IReadOnlyList<SmsDto> Items { get; init; }
}

/// <summary>A delivery receipt from the carrier (CMPP DELIVRD, UNDELIV, EXPIRED ...).</summary>
public sealed class SmsDeliveryReport
{
    public bool Delivered { get; set; }
    public string? Code { get; set; }
}

/// <summary>GET /api/home: what waits for the signed-in user.</summary>
public sealed class HomeWorkDto
{
    public required IReadOnlyList<HomeWorkItem> Items { get; init; }
}

public sealed class HomeWorkItem
{
    public required string Key { get; init; }
    public required string Label { get; init; }
    public int Count { get; init; }
    public required string Href { get; init; }
}
