using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Sync;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Broadcasts;

/// <summary>
/// Rural information broadcasts (农村信息广播): residents subscribe by phone to topics and their village; county or
/// township staff publish a broadcast, which is queued in the SMS outbox (one message per subscriber's phone) in the
/// same transaction. A township's broadcast reaches its own subscribers; the county's all of them, or one township's.
/// Self-service subscription on the hub's portal is confirmed by a 6-digit code sent by SMS; so is unsubscribing.
/// </summary>
public sealed class BroadcastService(ILocalStore store, SmsOutbox sms, TimeProvider time, IStringLocalizer<BroadcastText> text)
{
    public const int MaxTextLength = 300;
    public const int MaxVillageLength = 50;
    public const int MaxNameLength = 50;
    public const string SmsPurpose = "broadcast";
    public const string CodePurpose = "broadcast-code";
    public const int MaxCodeAttempts = 5;

    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan CodeResendWait = TimeSpan.FromSeconds(60);

    public const string ActionSubscribe = "subscribe";
    public const string ActionUnsubscribe = "unsubscribe";

    public string NodeId => store.NodeId;

    public bool IsHub => store.NodeId == NodeIds.Hub;

    // ---- publishing ----------------------------------------------------------------------------------------------

    /// <summary>Publishes a broadcast and queues one SMS per matching active subscriber (distinct phones), all in one transaction.</summary>
    public BroadcastDto Publish(BroadcastInput input, string publisher)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(publisher);
        var errors = new Dictionary<string, string[]>();
        var topic = input.Topic?.Trim() ?? "";
        if (!BroadcastTopics.All.Contains(topic)) errors["topic"] = [text["Val_Topic"]];
        var body = input.Text?.Trim() ?? "";
        if (body.Length == 0) errors["text"] = [text["Val_TextRequired"]];
        else if (body.Length > MaxTextLength) errors["text"] = [text["Val_TextTooLong", MaxTextLength]];
        var village = string.IsNullOrWhiteSpace(input.Village) ? null : input.Village.Trim();
        if (village is { Length: > MaxVillageLength }) errors["village"] = [text["Val_VillageTooLong", MaxVillageLength]];
        var township = string.IsNullOrWhiteSpace(input.Township) ? (IsHub ? BroadcastsTable.CountyWide : NodeId) : input.Township.Trim();
        if (IsHub)
        {
            if (township != BroadcastsTable.CountyWide && (!NodeIds.IsValid(township) || township == NodeIds.Hub)) errors["township"] = [text["Val_Township"]];
        }
        else if (township != NodeId)
        {
            errors["township"] = [text["Val_OwnTownshipOnly"]];
        }
        if (village is not null && township == BroadcastsTable.CountyWide) errors["village"] = [text["Val_VillageNeedsTownship"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);

        var smsText = $"【{text["Sms_Prefix"]}·{text["Topic_" + topic]}】{body}";
        var id = store.Transact(w =>
        {
            var phones = Recipients(w, topic, township, village);
            var row = w.Insert(BroadcastsTable.Name, new JsonObject
            {
                ["topic"] = topic,
                ["township"] = township,
                ["village"] = village,
                ["text"] = body,
                ["publisher"] = publisher.Trim(),
                ["published_utc"] = Iso(time.GetUtcNow()),
                ["recipients"] = (long)phones.Count,
            });
            var priority = topic == BroadcastTopics.Weather ? 1 : 0;
            foreach (var phone in phones) sms.Queue(w, phone, smsText, SmsPurpose, row.Id, null, priority);
            return row.Id;
        });
        return Get(id)!;
    }

    /// <summary>Distinct phones of the active subscribers of a topic in a township (or the whole county) and optionally one village.</summary>
    private static List<string> Recipients(ILocalWrite w, string topic, string township, string? village)
    {
        var sql = new StringBuilder("SELECT DISTINCT phone FROM broadcast_subscribers WHERE deleted = 0 AND status = @active AND topics LIKE @topic");
        var args = new List<(string, object?)> { ("@active", SubscriberStatus.Active), ("@topic", "%|" + topic + "|%") };
        if (township != BroadcastsTable.CountyWide)
        {
            sql.Append(" AND township = @tw");
            args.Add(("@tw", township));
        }
        if (village is not null)
        {
            sql.Append(" AND village = @v");
            args.Add(("@v", village));
        }
        sql.Append(" ORDER BY phone");
        using var cmd = w.Connection.Command(sql.ToString(), w.Transaction, args.ToArray());
        using var r = cmd.ExecuteReader();
        var phones = new List<string>();
        while (r.Read()) phones.Add(r.GetString(0));
        return phones.Where(SmsOutbox.IsMobile).ToList();
    }

    public BroadcastDto? Get(string id)
    {
        if (!Guid.TryParse(id, out _) || store.Get(BroadcastsTable.Name, id) is not { Deleted: false } row) return null;
        using var conn = store.OpenConnection();
        return ToDto(row, Counts(conn, [row.Id]).GetValueOrDefault(row.Id) ?? new BroadcastCounts());
    }

    /// <summary>The broadcasts this node sees (the hub: all; a township: its own and the county's), newest first, with delivery counts.</summary>
    public IReadOnlyList<BroadcastDto> List(int limit = 50)
    {
        limit = Math.Clamp(limit, 1, 500);
        var t = BroadcastsTable.Definition;
        using var conn = store.OpenConnection();
        var rows = new List<SyncRow>();
        using (var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM broadcasts WHERE deleted = 0 ORDER BY published_utc DESC, id DESC LIMIT @n", null,
                   ("@n", (long)limit)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) rows.Add(RowIo.ReadRow(t, r));
        }
        var counts = Counts(conn, rows.Select(r => r.Id).ToList());
        return rows.Select(r => ToDto(r, counts.GetValueOrDefault(r.Id) ?? new BroadcastCounts())).ToList();
    }

    private static Dictionary<string, BroadcastCounts> Counts(DbConnection conn, IReadOnlyList<string> ids)
    {
        var result = new Dictionary<string, BroadcastCounts>(StringComparer.Ordinal);
        if (ids.Count == 0) return result;
        var names = ids.Select((_, i) => "@r" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var args = new List<(string, object?)> { ("@p", SmsPurpose) };
        args.AddRange(ids.Select((id, i) => (names[i], (object?)id)));
        var raw = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        using (var cmd = conn.Command(
                   $"SELECT ref_id, status, COUNT(*) FROM sms_outbox WHERE deleted = 0 AND purpose = @p AND ref_id IN ({string.Join(", ", names)}) GROUP BY ref_id, status",
                   null, args.ToArray()))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var id = r.GetString(0);
                if (!raw.TryGetValue(id, out var m)) raw[id] = m = new Dictionary<string, int>(StringComparer.Ordinal);
                m[r.GetString(1)] = (int)r.LongOrZero(2);
            }
        }
        foreach (var (id, m) in raw)
        {
            result[id] = new BroadcastCounts
            {
                Queued = m.GetValueOrDefault(SmsStatus.Queued) + m.GetValueOrDefault(SmsStatus.Sending),
                Sent = m.GetValueOrDefault(SmsStatus.Sent) + m.GetValueOrDefault(SmsStatus.Logged),
                Delivered = m.GetValueOrDefault(SmsStatus.Delivered),
                Failed = m.GetValueOrDefault(SmsStatus.Failed),
            };
        }
        return result;
    }

    // ---- subscribers (staff) -------------------------------------------------------------------------------------

    /// <summary>The subscribers this node sees, optionally of one township, topic or status.</summary>
    public SubscriberPage Subscribers(string? township = null, string? topic = null, string? status = null, int limit = 500)
    {
        var t = BroadcastSubscribersTable.Definition;
        var sql = new StringBuilder($"SELECT {RowIo.SelectList(t)} FROM broadcast_subscribers WHERE deleted = 0");
        var args = new List<(string, object?)> { ("@n", (long)Math.Clamp(limit, 1, 5000)) };
        if (!string.IsNullOrEmpty(township))
        {
            sql.Append(" AND township = @tw");
            args.Add(("@tw", township));
        }
        if (!string.IsNullOrEmpty(topic))
        {
            sql.Append(" AND topics LIKE @topic");
            args.Add(("@topic", "%|" + topic + "|%"));
        }
        if (!string.IsNullOrEmpty(status))
        {
            sql.Append(" AND status = @st");
            args.Add(("@st", status));
        }
        sql.Append(" ORDER BY township, village, phone LIMIT @n");
        var items = new List<SubscriberDto>();
        using var conn = store.OpenConnection();
        using (var cmd = conn.Command(sql.ToString(), null, args.ToArray()))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) items.Add(ToSubscriber(RowIo.ReadRow(t, r)));
        }
        return new SubscriberPage { Items = items, Active = items.Count(s => s.Status == SubscriberStatus.Active) };
    }

    public SubscriberDto? GetSubscriber(string id) =>
        Guid.TryParse(id, out _) && store.Get(BroadcastSubscribersTable.Name, id) is { Deleted: false } row ? ToSubscriber(row) : null;

    /// <summary>A clerk registers (or updates) a resident met in person: active at once. At a township: its own residents only.</summary>
    public SubscriberDto Register(SubscriberInput input, string username)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (phone, name, township, village, topics) = Validate(input.Phone, input.Name, string.IsNullOrWhiteSpace(input.Township) && !IsHub ? NodeId : input.Township,
            input.Village, input.Topics);
        if (!IsHub && township != NodeId) throw new OfficeValidationException(new Dictionary<string, string[]> { ["township"] = [text["Val_OwnTownshipOnly"]] });
        var now = Iso(time.GetUtcNow());
        var id = store.Transact(w =>
        {
            var existing = FindByPhone(w, phone).FirstOrDefault(r => r.Text("township") == township);
            var data = new JsonObject
            {
                ["name"] = name, ["village"] = village, ["topics"] = topics, ["status"] = SubscriberStatus.Active, ["confirmed"] = 1L,
                ["registered_by"] = username, ["updated_utc"] = now,
            };
            if (existing is not null) return w.Update(BroadcastSubscribersTable.Name, existing.Id, data)!.Id;
            data["phone"] = phone;
            data["township"] = township;
            data["channel"] = "staff";
            data["created_utc"] = now;
            return w.Insert(BroadcastSubscribersTable.Name, data).Id;
        });
        return GetSubscriber(id)!;
    }

    /// <summary>Stops broadcasts to one subscriber (kept as cancelled). At a township: its own residents only.</summary>
    public bool Cancel(string id, string username)
    {
        if (GetSubscriber(id) is not { } s) return false;
        if (!IsHub && s.Township != NodeId) throw new OfficeForbiddenException(text["Val_OwnTownshipOnly"]);
        return store.Update(BroadcastSubscribersTable.Name, id, new JsonObject
        {
            ["status"] = SubscriberStatus.Cancelled, ["registered_by"] = username, ["updated_utc"] = Iso(time.GetUtcNow()),
        }) is not null;
    }

    // ---- self-service on the portal (hub) ------------------------------------------------------------------------

    /// <summary>
    /// Portal: asks to subscribe (or change the subscription of) a phone; sends a code by SMS. Nothing changes until the
    /// code is entered with <see cref="Confirm"/>.
    /// </summary>
    public void RequestSubscribe(SubscriberInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireHub();
        var (phone, name, township, village, topics) = Validate(input.Phone, input.Name, input.Township, input.Village, input.Topics);
        using var actor = AuditActor.Use("portal");
        store.Transact(w =>
        {
            var now = time.GetUtcNow();
            var row = FindByPhone(w, phone).FirstOrDefault();
            if (row is not null) CheckResendWait(row, now);
            row ??= w.Insert(BroadcastSubscribersTable.Name, new JsonObject
            {
                ["phone"] = phone, ["name"] = name, ["township"] = township, ["village"] = village, ["topics"] = topics,
                ["status"] = SubscriberStatus.Pending, ["confirmed"] = 0L, ["channel"] = "portal", ["created_utc"] = Iso(now),
            });
            var code = NewCode();
            w.Update(BroadcastSubscribersTable.Name, row.Id, new JsonObject
            {
                ["code_hash"] = Hash(row.Id, code), ["code_action"] = ActionSubscribe, ["code_expires_utc"] = Iso(now + CodeLifetime),
                ["code_sent_utc"] = Iso(now), ["code_attempts"] = 0L,
                ["req_name"] = name, ["req_township"] = township, ["req_village"] = village, ["req_topics"] = topics,
            });
            sms.Queue(w, phone, text["Sms_Code", code, (int)CodeLifetime.TotalMinutes].Value, CodePurpose, row.Id, null, 2);
            return true;
        });
    }

    /// <summary>
    /// Portal: asks to stop broadcasts to a phone; sends a code when the phone has a subscription. The answer is the
    /// same either way, so the form does not reveal who subscribed.
    /// </summary>
    public void RequestUnsubscribe(string? phone)
    {
        RequireHub();
        phone = phone?.Trim() ?? "";
        if (!SmsOutbox.IsMobile(phone)) throw new OfficeValidationException(new Dictionary<string, string[]> { ["phone"] = [text["Val_Phone"]] });
        using var actor = AuditActor.Use("portal");
        store.Transact(w =>
        {
            var now = time.GetUtcNow();
            var row = FindByPhone(w, phone).FirstOrDefault(r => r.Text("status") == SubscriberStatus.Active);
            if (row is null) return false;
            CheckResendWait(row, now);
            var code = NewCode();
            w.Update(BroadcastSubscribersTable.Name, row.Id, new JsonObject
            {
                ["code_hash"] = Hash(row.Id, code), ["code_action"] = ActionUnsubscribe, ["code_expires_utc"] = Iso(now + CodeLifetime),
                ["code_sent_utc"] = Iso(now), ["code_attempts"] = 0L,
            });
            sms.Queue(w, phone, text["Sms_Code", code, (int)CodeLifetime.TotalMinutes].Value, CodePurpose, row.Id, null, 2);
            return true;
        });
    }

    /// <summary>
    /// Portal: applies the pending request of a phone when the code is right and fresh; returns
    /// <see cref="ActionSubscribe"/> or <see cref="ActionUnsubscribe"/>. A wrong code counts; after
    /// <see cref="MaxCodeAttempts"/> the code is void.
    /// </summary>
    public string Confirm(string? phone, string? code)
    {
        RequireHub();
        phone = phone?.Trim() ?? "";
        code = code?.Trim() ?? "";
        using var actor = AuditActor.Use("portal");
        var (action, error) = store.Transact<(string? Action, string? Error)>(w =>
        {
            var now = time.GetUtcNow();
            var row = FindByPhone(w, phone).FirstOrDefault(r => r.Text("code_hash") is not null);
            if (row is null) return (null, "Val_CodeWrong");
            var attempts = row.Integer("code_attempts") ?? 0;
            if (attempts >= MaxCodeAttempts || ParseUtc(row.Text("code_expires_utc")) is not { } exp || exp < now) return (null, "Val_CodeExpired");
            var expected = Encoding.ASCII.GetBytes(row.Text("code_hash")!);
            var given = Encoding.ASCII.GetBytes(Hash(row.Id, code));
            if (!CryptographicOperations.FixedTimeEquals(expected, given))
            {
                w.Update(BroadcastSubscribersTable.Name, row.Id, new JsonObject { ["code_attempts"] = attempts + 1 });
                return (null, "Val_CodeWrong");
            }
            var clear = new JsonObject
            {
                ["code_hash"] = null, ["code_action"] = null, ["code_expires_utc"] = null, ["code_attempts"] = 0L,
                ["req_name"] = null, ["req_township"] = null, ["req_village"] = null, ["req_topics"] = null, ["updated_utc"] = Iso(now),
            };
            if (row.Text("code_action") == ActionUnsubscribe)
            {
                foreach (var other in FindByPhone(w, phone).Where(r => r.Id != row.Id && r.Text("status") != SubscriberStatus.Cancelled))
                {
                    w.Update(BroadcastSubscribersTable.Name, other.Id, new JsonObject { ["status"] = SubscriberStatus.Cancelled, ["updated_utc"] = Iso(now) });
                }
                clear["status"] = SubscriberStatus.Cancelled;
                w.Update(BroadcastSubscribersTable.Name, row.Id, clear);
                return (ActionUnsubscribe, null);
            }
            clear["status"] = SubscriberStatus.Active;
            clear["confirmed"] = 1L;
            clear["name"] = row.Text("req_name");
            clear["township"] = row.Text("req_township") ?? row.Text("township");
            clear["village"] = row.Text("req_village");
            clear["topics"] = row.Text("req_topics") ?? row.Text("topics");
            w.Update(BroadcastSubscribersTable.Name, row.Id, clear);
            return (ActionSubscribe, null);
        });
        // Failed tries are recorded (committed above) before the error is raised.
        return error is not null ? throw new OfficeValidationException(new Dictionary<string, string[]> { ["code"] = [text[error]] }) : action!;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void CheckResendWait(SyncRow row, DateTimeOffset now)
    {
        if (ParseUtc(row.Text("code_sent_utc")) is { } sent && now - sent < CodeResendWait)
        {
            throw new OfficeValidationException(new Dictionary<string, string[]> { ["phone"] = [text["Val_CodeWait", (int)CodeResendWait.TotalSeconds]] });
        }
    }

    private (string Phone, string? Name, string Township, string? Village, string Topics) Validate(string? phone, string? name, string? township,
        string? village, IEnumerable<string>? topics)
    {
        var errors = new Dictionary<string, string[]>();
        var p = phone?.Trim() ?? "";
        if (!SmsOutbox.IsMobile(p)) errors["phone"] = [text["Val_Phone"]];
        var n = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (n is { Length: > MaxNameLength }) errors["name"] = [text["Val_NameTooLong", MaxNameLength]];
        var tw = township?.Trim() ?? "";
        if (!NodeIds.IsValid(tw) || tw == NodeIds.Hub) errors["township"] = [text["Val_Township"]];
        var v = string.IsNullOrWhiteSpace(village) ? null : village.Trim();
        if (v is { Length: > MaxVillageLength }) errors["village"] = [text["Val_VillageTooLong", MaxVillageLength]];
        var list = (topics ?? []).Select(t => t.Trim()).ToList();
        var encoded = BroadcastTopics.Encode(list);
        if (encoded.Length == 0 || list.Any(t => !BroadcastTopics.All.Contains(t))) errors["topics"] = [text["Val_Topics"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        return (p, n, tw, v, encoded);
    }

    /// <summary>Live rows of a phone this node sees: the hub's own (portal) rows first, then by age.</summary>
    private static List<SyncRow> FindByPhone(ILocalWrite w, string phone)
    {
        var t = BroadcastSubscribersTable.Definition;
        using var cmd = w.Connection.Command(
            $"SELECT {RowIo.SelectList(t)} FROM broadcast_subscribers WHERE deleted = 0 AND phone = @p ORDER BY CASE WHEN origin = @hub THEN 0 ELSE 1 END, created_utc, id",
            w.Transaction, ("@p", phone), ("@hub", NodeIds.Hub));
        using var r = cmd.ExecuteReader();
        var rows = new List<SyncRow>();
        while (r.Read()) rows.Add(RowIo.ReadRow(t, r));
        return rows;
    }

    private void RequireHub()
    {
        if (!IsHub) throw new OfficeForbiddenException(text["Val_PortalAtHub"]);
    }

    private static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private static string Hash(string rowId, string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(rowId + ":" + code)));

    private static BroadcastDto ToDto(SyncRow r, BroadcastCounts counts) => new()
    {
        Id = r.Id, Topic = r.Text("topic") ?? "", Township = r.Text("township") ?? "", Village = r.Text("village"), Text = r.Text("text") ?? "",
        Publisher = r.Text("publisher") ?? "", OriginNode = r.Origin, PublishedUtc = ParseUtc(r.Text("published_utc")) ?? default,
        Recipients = (int)(r.Integer("recipients") ?? 0), Counts = counts,
    };

    private static SubscriberDto ToSubscriber(SyncRow r) => new()
    {
        Id = r.Id, Phone = r.Text("phone") ?? "", Name = r.Text("name"), Township = r.Text("township") ?? "", Village = r.Text("village"),
        Topics = BroadcastTopics.Decode(r.Text("topics")), Status = r.Text("status") ?? SubscriberStatus.Pending, Confirmed = r.Integer("confirmed") == 1,
        Channel = r.Text("channel"), RegisteredBy = r.Text("registered_by"), OriginNode = r.Origin,
        CreatedUtc = ParseUtc(r.Text("created_utc")) ?? default,
    };

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseUtc(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
