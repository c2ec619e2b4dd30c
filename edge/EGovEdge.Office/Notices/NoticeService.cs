using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EGovEdge.Office.Notices;

/// <summary>Who is reading: a username and the unit (township code or "hub") the account belongs to.</summary>
public sealed record NoticeReader(string Username, string? Unit, bool Oversees = false)
{
    public static NoticeReader From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new NoticeReader(user.Identity?.Name ?? "", user.FindFirstValue(StaffClaims.Unit),
            user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Supervisor));
    }
}

public enum NoticeBox
{
    Inbox,
    Sent,
}

/// <summary>
/// Notices, reminders and early warnings at this node: sending (with SMS through the outbox, in the caller's
/// transaction), the inbox with unread marks, read receipts, alerts for the home page and counts per period.
/// </summary>
public sealed partial class NoticeService(
    ILocalStore store, SmsOutbox sms, TimeProvider time, IStringLocalizer<NoticeText> text, ILogger<NoticeService>? log = null)
    : INoticeSender
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 20_000;
    public const int MaxSmsLength = 300;

    private readonly ILogger _log = log ?? NullLogger<NoticeService>.Instance;

    public string NodeId => store.NodeId;

    public static readonly IReadOnlyList<string> Kinds = [NoticeKinds.Notice, NoticeKinds.Reminder, NoticeKinds.Warning];

    /// <summary>UI and API: validates everything (unknown usernames included), writes the notice and its SMS in one transaction.</summary>
    public NoticeDto Send(NoticeInput input, string sender)
    {
        ArgumentNullException.ThrowIfNull(input);
        var message = new NoticeMessage(input.Kind ?? NoticeKinds.Notice, input.Title ?? "", input.Body ?? "",
            input.Units ?? [], input.Users ?? [], input.Priority ?? 0, string.IsNullOrWhiteSpace(input.Link) ? null : input.Link.Trim(),
            null, input.Sms, input.DueUtc, input.ExpiresUtc);
        var id = store.Transact(w => Write(w, message, sender, strictUsers: true));
        return Get(id)!;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Throws <see cref="OfficeValidationException"/> (rolling back the caller's transaction) on an invalid message.
    /// Usernames this node does not know are kept on the notice but get no SMS (a township knows only its own staff
    /// and the county-wide accounts).
    /// </remarks>
    public string Send(ILocalWrite write, NoticeMessage message, string sender)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(message);
        return Write(write, message, sender, strictUsers: false);
    }

    private string Write(ILocalWrite write, NoticeMessage message, string sender, bool strictUsers)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var kind = message.Kind?.Trim().ToLowerInvariant() ?? "";
        if (!Kinds.Contains(kind)) errors["kind"] = [text["Val_Kind"]];
        var title = message.Title?.Trim() ?? "";
        if (title.Length == 0) errors["title"] = [text["Val_TitleRequired"]];
        else if (title.Length > MaxTitleLength) errors["title"] = [text["Val_TitleTooLong", MaxTitleLength]];
        var body = message.Body ?? "";
        if (body.Length > MaxBodyLength) errors["body"] = [text["Val_BodyTooLong", MaxBodyLength]];
        var priority = kind == NoticeKinds.Warning ? 2 : message.Priority;
        if (priority is < 0 or > 2) errors["priority"] = [text["Val_Priority"]];
        if (message.Link is { } link && (!link.StartsWith('/') || link.StartsWith("//", StringComparison.Ordinal) || link.Length > 300))
        {
            errors["link"] = [text["Val_Link"]];
        }
        var units = (message.Units ?? []).Select(u => u.Trim()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (Recipients.Validate(units) is not null) errors["units"] = [text["Val_Units"]];
        var usernames = (message.Users ?? []).Select(u => u.Trim().ToLowerInvariant()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (usernames.Any(u => u.Contains('|', StringComparison.Ordinal))) errors["users"] = [text["Val_UnknownUser", "|"]];
        if (units.Count == 0 && usernames.Count == 0) errors["units"] = [text["Val_NoAddressee"]];
        DateTimeOffset? due = message.DueUtc is { } d && d > now ? d : null;
        if (due is not null && kind != NoticeKinds.Reminder) errors["dueUtc"] = [text["Val_DueOnlyReminder"]];
        if (message.ExpiresUtc is { } exp && exp <= (due ?? now)) errors["expiresUtc"] = [text["Val_Expires"]];
        if (string.IsNullOrWhiteSpace(sender)) throw new ArgumentException("A notice needs a sender.", nameof(sender));

        var staff = StaffAt(write);
        var named = new List<StaffRow>();
        foreach (var name in usernames)
        {
            if (staff.FirstOrDefault(s => s.Username == name) is { } found) named.Add(found);
            else if (strictUsers) errors["users"] = [text["Val_UnknownUser", name]];
            else LogUnknownUser(_log, name);
        }
        if (errors.Count > 0) throw new OfficeValidationException(errors);

        var row = write.Insert(NoticesTable.Name, new JsonObject
        {
            ["kind"] = kind,
            ["title"] = title,
            ["body"] = body,
            ["priority"] = (long)priority,
            ["units"] = Recipients.Encode(units),
            ["users"] = usernames.Count == 0 ? "" : "|" + string.Join('|', usernames) + "|",
            ["user_units"] = Recipients.Encode(named.Select(s => s.Unit).Distinct(StringComparer.Ordinal)),
            ["link"] = message.Link,
            ["source_id"] = message.SourceId,
            ["sender"] = sender.Trim(),
            ["sent_utc"] = Iso(now),
            ["due_utc"] = due is null ? null : Iso(due.Value),
            ["expires_utc"] = message.ExpiresUtc is null ? null : Iso(message.ExpiresUtc.Value),
            ["sms"] = message.Sms || kind == NoticeKinds.Warning ? 1L : 0L,
        });

        if (message.Sms || kind == NoticeKinds.Warning)
        {
            var recipients = named.Concat(staff.Where(s => units.Contains(Recipients.County) || units.Contains(s.Unit)))
                .Where(s => !s.Disabled && SmsOutbox.IsMobile(s.Phone))
                .DistinctBy(s => s.Phone, StringComparer.Ordinal);
            var smsText = SmsText(kind, title, body);
            foreach (var r in recipients) sms.Queue(write, r.Phone!, smsText, kind, row.Id, r.Username, priority, due);
        }
        return row.Id;
    }

    private string SmsText(string kind, string title, string body)
    {
        var label = text["Kind_" + kind].Value;
        var s = $"【{label}】{title}" + (body.Length > 0 ? "：" + body : "");
        return s.Length <= MaxSmsLength ? s : s[..(MaxSmsLength - 1)] + "…";
    }

    public NoticeDto? Get(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        using var conn = store.OpenConnection();
        using var cmd = conn.Command(
            $"SELECT 0, {ReadCountSql}, {RowIo.SelectList(NoticesTable.Definition)} FROM notices n WHERE id = @id AND deleted = 0", null, ("@id", id));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ToDto(r) : null;
    }

    /// <summary>A notice this reader may open: addressed to them or their unit, sent by them, or they oversee (admin, supervisor).</summary>
    public NoticeDto? GetFor(string id, NoticeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var dto = Get(id);
        if (dto is null) return null;
        if (!IsAddressee(dto, reader) && dto.Sender != reader.Username && !reader.Oversees) return null;
        var read = IsAddressee(dto, reader) && HasRead(id, reader.Username);
        return Copy(dto, read);
    }

    public static bool IsAddressee(NoticeDto notice, NoticeReader reader)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(reader);
        return notice.Units.Contains(Recipients.County)
            || (reader.Unit is not null && notice.Units.Contains(reader.Unit))
            || notice.Users.Contains(reader.Username);
    }

    /// <summary>Inbox (released notices addressed to the reader, newest first) or the reader's sent notices.</summary>
    public NoticePage List(NoticeReader reader, NoticeBox box = NoticeBox.Inbox, bool unreadOnly = false, string? kind = null, int limit = 50, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        limit = Math.Clamp(limit, 1, 500);
        offset = Math.Max(0, offset);
        // Only parameters the SQL uses (PostgreSQL and SQLite alike).
        var args = new List<(string, object?)> { ("@user", reader.Username) };
        var where = new StringBuilder("n.deleted = 0");
        if (box == NoticeBox.Sent)
        {
            where.Append(" AND n.sender = @user AND n.origin = @me");
            args.Add(("@me", store.NodeId));
        }
        else
        {
            where.Append(" AND ").Append(AddresseeSql(reader, args)).Append(" AND ").Append(ReleasedSql);
            args.Add(("@now", Iso(time.GetUtcNow())));
        }
        if (unreadOnly && box == NoticeBox.Inbox) where.Append(" AND NOT ").Append(ReadByUserSql);
        if (!string.IsNullOrEmpty(kind))
        {
            where.Append(" AND n.kind = @kind");
            args.Add(("@kind", kind));
        }
        using var conn = store.OpenConnection();
        var total = conn.ScalarLong($"SELECT COUNT(*) FROM notices n WHERE {where}", null, [.. args]);
        var unread = box == NoticeBox.Inbox
            ? conn.ScalarLong($"SELECT COUNT(*) FROM notices n WHERE {where} AND NOT {ReadByUserSql}", null, [.. args])
            : 0;
        var items = new List<NoticeDto>();
        using (var cmd = conn.Command(
                   $"SELECT CASE WHEN {ReadByUserSql} THEN 1 ELSE 0 END, {ReadCountSql}, {RowIo.SelectList(NoticesTable.Definition)} " +
                   $"FROM notices n WHERE {where} ORDER BY COALESCE(n.due_utc, n.sent_utc) DESC, n.id DESC LIMIT @limit OFFSET @offset",
                   null, [.. args, ("@limit", (long)limit), ("@offset", (long)offset)]))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) items.Add(ToDto(r));
        }
        return new NoticePage { Items = items, Total = total, Unread = unread };
    }

    /// <summary>Unread, released, unexpired urgent notices (major warnings) for the top of the home page, most urgent first.</summary>
    public IReadOnlyList<NoticeDto> Alerts(NoticeReader reader, int limit = 5)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var args = new List<(string, object?)> { ("@user", reader.Username), ("@now", Iso(time.GetUtcNow())), ("@limit", (long)limit) };
        var where = $"n.deleted = 0 AND n.priority >= 2 AND {AddresseeSql(reader, args)} AND {ReleasedSql} AND NOT {ReadByUserSql} " +
                    "AND (n.expires_utc IS NULL OR n.expires_utc > @now)";
        using var conn = store.OpenConnection();
        using var cmd = conn.Command(
            $"SELECT 0, {ReadCountSql}, {RowIo.SelectList(NoticesTable.Definition)} FROM notices n WHERE {where} " +
            "ORDER BY n.priority DESC, COALESCE(n.due_utc, n.sent_utc) DESC, n.id DESC LIMIT @limit", null, [.. args]);
        using var r = cmd.ExecuteReader();
        var list = new List<NoticeDto>();
        while (r.Read()) list.Add(ToDto(r));
        return list;
    }

    /// <summary>Released, unexpired warnings addressed to the reader (read or not).</summary>
    public long ActiveWarningCount(NoticeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var args = new List<(string, object?)> { ("@now", Iso(time.GetUtcNow())), ("@kind", NoticeKinds.Warning) };
        using var conn = store.OpenConnection();
        return conn.ScalarLong(
            $"SELECT COUNT(*) FROM notices n WHERE n.deleted = 0 AND n.kind = @kind AND {AddresseeSql(reader, args)} AND {ReleasedSql} " +
            "AND (n.expires_utc IS NULL OR n.expires_utc > @now)", null, [.. args]);
    }

    public long UnreadCount(NoticeReader reader) => List(reader, NoticeBox.Inbox, unreadOnly: true, limit: 1).Total;

    /// <summary>
    /// Records that the reader read the notice (append-only, once per reader and node). Only addressees leave a
    /// receipt; false when the notice is unknown, not addressed to the reader, or already read.
    /// </summary>
    public bool MarkRead(string id, NoticeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var notice = Get(id);
        if (notice is null || string.IsNullOrEmpty(reader.Username)) return false;
        if (!IsAddressee(notice, reader)) throw new OfficeForbiddenException(text["Val_NotAddressee"]);
        return store.Transact(w =>
        {
            var exists = w.Connection.ScalarLong(
                "SELECT COUNT(*) FROM notice_reads WHERE notice_id = @id AND username = @u AND deleted = 0", w.Transaction,
                ("@id", id), ("@u", reader.Username)) > 0;
            if (exists) return false;
            w.Insert(NoticeReadsTable.Name, new JsonObject
            {
                ["notice_id"] = id,
                ["notice_origin"] = notice.OriginNode,
                ["username"] = reader.Username,
                ["node"] = w.NodeId,
                ["read_utc"] = Iso(time.GetUtcNow()),
            });
            return true;
        });
    }

    public bool HasRead(string id, string username)
    {
        using var conn = store.OpenConnection();
        return conn.ScalarLong("SELECT COUNT(*) FROM notice_reads WHERE notice_id = @id AND username = @u AND deleted = 0", null,
            ("@id", id), ("@u", username)) > 0;
    }

    /// <summary>
    /// Who the notice went to and who read it: the named staff plus the staff of the addressed units this node knows
    /// (the hub knows everyone; a township its own staff), and any other reader that left a receipt.
    /// </summary>
    public ReadReceiptsDto? Receipts(string id)
    {
        var notice = Get(id);
        if (notice is null) return null;
        using var conn = store.OpenConnection();
        var reads = new Dictionary<string, (DateTimeOffset At, string Node)>(StringComparer.Ordinal);
        using (var cmd = conn.Command("SELECT username, read_utc, node FROM notice_reads WHERE notice_id = @id AND deleted = 0 ORDER BY read_utc", null, ("@id", id)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) reads.TryAdd(r.GetString(0), (ParseUtc(r.GetString(1)) ?? DateTimeOffset.MinValue, r.GetString(2)));
        }
        var staff = Staff(conn);
        var addressees = staff
            .Where(s => notice.Users.Contains(s.Username) || notice.Units.Contains(Recipients.County) || notice.Units.Contains(s.Unit))
            .Where(s => !s.Disabled || reads.ContainsKey(s.Username))
            .ToList();
        var list = addressees.Select(s => Receipt(s.Username, s.DisplayName, s.Unit, reads)).ToList();
        foreach (var name in notice.Users.Where(u => addressees.All(s => s.Username != u))) list.Add(Receipt(name, null, null, reads));
        foreach (var (name, _) in reads.Where(kv => list.All(x => x.Username != kv.Key)))
        {
            var s = staff.FirstOrDefault(x => x.Username == name);
            list.Add(Receipt(name, s?.DisplayName, s?.Unit, reads));
        }
        var ordered = list.OrderBy(x => x.ReadUtc is null ? 0 : 1).ThenBy(x => x.Unit, StringComparer.Ordinal).ThenBy(x => x.Username, StringComparer.Ordinal).ToList();
        return new ReadReceiptsDto
        {
            NoticeId = id, Addressees = ordered, Read = ordered.Count(x => x.ReadUtc is not null), Unread = ordered.Count(x => x.ReadUtc is null),
        };
    }

    private static ReadReceiptDto Receipt(string username, string? display, string? unit, Dictionary<string, (DateTimeOffset At, string Node)> reads) =>
        new()
        {
            Username = username, DisplayName = display, Unit = unit,
            ReadUtc = reads.TryGetValue(username, out var r) ? r.At : null,
            Node = reads.TryGetValue(username, out var n) ? n.Node : null,
        };

    /// <summary>
    /// Notices, reminders and warnings shown, and SMS queued/sent/delivered/failed, per day, week (from Monday) or
    /// month in China time, for [from, to). A township counts what it sent; the hub counts the whole county.
    /// </summary>
    public NoticeStatsDto Stats(DateTimeOffset from, DateTimeOffset to, StatsPeriod period)
    {
        if (to <= from) throw new OfficeValidationException(new Dictionary<string, string[]> { ["to"] = [text["Val_Range"]] });
        if (to - from > TimeSpan.FromDays(3700)) throw new OfficeValidationException(new Dictionary<string, string[]> { ["from"] = [text["Val_Range"]] });
        var now = time.GetUtcNow();
        var buckets = new SortedDictionary<DateOnly, NoticeStatsBucket>();
        NoticeStatsBucket Bucket(DateTimeOffset utc)
        {
            var start = PeriodStart(utc, period);
            if (!buckets.TryGetValue(start, out var b)) buckets[start] = b = new NoticeStatsBucket { Period = Label(start, period), Start = start };
            return b;
        }
        var own = store.NodeId == NodeIds.Hub ? "" : " AND origin = @me";
        var range = new List<(string, object?)> { ("@from", Iso(from)), ("@to", Iso(to)) };
        if (own.Length > 0) range.Add(("@me", store.NodeId));
        (string, object?)[] args = [.. range, ("@now", Iso(now))];
        using var conn = store.OpenConnection();
        using (var cmd = conn.Command(
                   "SELECT kind, COALESCE(due_utc, sent_utc) FROM notices WHERE deleted = 0 " +
                   $"AND COALESCE(due_utc, sent_utc) >= @from AND COALESCE(due_utc, sent_utc) < @to AND COALESCE(due_utc, sent_utc) <= @now{own}", null, args))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                if (ParseUtc(r.GetString(1)) is not { } at) continue;
                var b = Bucket(at);
                switch (r.GetString(0))
                {
                    case NoticeKinds.Reminder: b.Reminders++; break;
                    case NoticeKinds.Warning: b.Warnings++; break;
                    default: b.Notices++; break;
                }
            }
        }
        using (var cmd = conn.Command(
                   $"SELECT status, created_utc FROM sms_outbox WHERE deleted = 0 AND created_utc >= @from AND created_utc < @to{own}", null, [.. range]))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                if (ParseUtc(r.GetString(1)) is not { } at) continue;
                var b = Bucket(at);
                b.SmsQueued++;
                switch (r.GetString(0))
                {
                    case SmsStatus.Logged or SmsStatus.Sent: b.SmsSent++; break;
                    case SmsStatus.Delivered: b.SmsSent++; b.SmsDelivered++; break;
                    case SmsStatus.Failed: b.SmsFailed++; break;
                }
            }
        }
        var list = buckets.Values.ToList();
        var total = new NoticeStatsBucket
        {
            Period = "total", Start = PeriodStart(from, period),
            Notices = list.Sum(b => b.Notices), Reminders = list.Sum(b => b.Reminders), Warnings = list.Sum(b => b.Warnings),
            SmsQueued = list.Sum(b => b.SmsQueued), SmsSent = list.Sum(b => b.SmsSent), SmsDelivered = list.Sum(b => b.SmsDelivered),
            SmsFailed = list.Sum(b => b.SmsFailed),
        };
        return new NoticeStatsDto { FromUtc = from, ToUtc = to, Period = period, Buckets = list, Total = total };
    }

    public static DateOnly PeriodStart(DateTimeOffset utc, StatsPeriod period)
    {
        var day = DateOnly.FromDateTime(ChinaTime.ToChina(utc).DateTime);
        return period switch
        {
            StatsPeriod.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            StatsPeriod.Month => new DateOnly(day.Year, day.Month, 1),
            _ => day,
        };
    }

    private static string Label(DateOnly start, StatsPeriod period) => period switch
    {
        StatsPeriod.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>The staff this node knows (for resolving names, units and phones).</summary>
    public IReadOnlyList<StaffRow> Staff()
    {
        using var conn = store.OpenConnection();
        return Staff(conn);
    }

    private static List<StaffRow> StaffAt(ILocalWrite write) => ReadStaff(write.Connection, write.Transaction);

    private static List<StaffRow> Staff(System.Data.Common.DbConnection conn) => ReadStaff(conn, null);

    private static List<StaffRow> ReadStaff(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx)
    {
        var list = new List<StaffRow>();
        using var cmd = conn.Command("SELECT username, display_name, unit, phone, disabled FROM users WHERE deleted = 0 ORDER BY unit, username", tx);
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new StaffRow(r.GetString(0), r.GetString(1), r.GetString(2), r.StringOrNull(3), r.LongOrZero(4) != 0));
        return list;
    }

    private const string ReleasedSql = "(n.due_utc IS NULL OR n.due_utc <= @now)";

    private const string ReadByUserSql = "EXISTS (SELECT 1 FROM notice_reads r WHERE r.notice_id = n.id AND r.username = @user AND r.deleted = 0)";

    private const string ReadCountSql = "(SELECT COUNT(DISTINCT r2.username) FROM notice_reads r2 WHERE r2.notice_id = n.id AND r2.deleted = 0)";

    private static string AddresseeSql(NoticeReader reader, List<(string, object?)> args)
    {
        args.Add(("@userPat", "%|" + Like(reader.Username) + "|%"));
        if (string.IsNullOrEmpty(reader.Unit)) return "(n.units = '*' OR n.users LIKE @userPat ESCAPE '\\')";
        args.Add(("@unitPat", "%|" + Like(reader.Unit) + "|%"));
        return "(n.units = '*' OR n.units LIKE @unitPat ESCAPE '\\' OR n.users LIKE @userPat ESCAPE '\\')";
    }

    private static string Like(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static NoticeDto ToDto(System.Data.Common.DbDataReader r)
    {
        var row = RowIo.ReadRow(NoticesTable.Definition, r, 2);
        return new NoticeDto
        {
            Id = row.Id,
            Kind = row.Text("kind") ?? NoticeKinds.Notice,
            Title = row.Text("title") ?? "",
            Body = row.Text("body") ?? "",
            Priority = (int)(row.Integer("priority") ?? 0),
            Units = Recipients.Decode(row.Text("units")),
            Users = (row.Text("users") ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries),
            Link = row.Text("link"),
            SourceId = row.Text("source_id"),
            Sender = row.Text("sender") ?? "",
            OriginNode = row.Origin,
            SentUtc = ParseUtc(row.Text("sent_utc")) ?? DateTimeOffset.MinValue,
            DueUtc = ParseUtc(row.Text("due_utc")),
            ExpiresUtc = ParseUtc(row.Text("expires_utc")),
            Sms = row.Integer("sms") == 1,
            Read = r.LongOrZero(0) != 0,
            ReadCount = (int)r.LongOrZero(1),
        };
    }

    private static NoticeDto Copy(NoticeDto d, bool read) => new()
    {
        Id = d.Id, Kind = d.Kind, Title = d.Title, Body = d.Body, Priority = d.Priority, Units = d.Units, Users = d.Users, Link = d.Link,
        SourceId = d.SourceId, Sender = d.Sender, OriginNode = d.OriginNode, SentUtc = d.SentUtc, DueUtc = d.DueUtc, ExpiresUtc = d.ExpiresUtc,
        Sms = d.Sms, Read = read, ReadCount = d.ReadCount,
    };

    internal static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset? ParseUtc(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice addressed to '{Username}', who is not known at this node: no SMS for them")]
    private static partial void LogUnknownUser(ILogger logger, string username);
}

/// <summary>A staff account as the notices see it.</summary>
public sealed record StaffRow(string Username, string DisplayName, string Unit, string? Phone, bool Disabled);
