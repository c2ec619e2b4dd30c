using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Printing;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tickets;

/// <summary>
/// Complaints, suggestions, enquiries and petitions: intake (portal, counter, Open311, API) with gap-free numbers per
/// node and year and a hashed query code; transitions as append-only events checked by the fold of
/// <see cref="TicketRules"/>; lists with the two clocks; tracking by residents; published outcomes with personal data
/// removed; reminders and escalations (限时督办).
/// </summary>
public sealed partial class TicketService
{
    public const int MaxText = 4000;
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private readonly ILocalStore _store;
    private readonly TimeProvider _time;
    private readonly IStringLocalizer<TicketText> _text;
    private readonly INoticeSender? _notices;
    private readonly SmsOutbox? _sms;
    private readonly TicketOptions _options;
    private readonly PetitionLetterRenderer _letters;

    public TicketService(ILocalStore store, TimeProvider time, IStringLocalizer<TicketText> text, INoticeSender? notices = null,
        SmsOutbox? sms = null, IOptions<TicketOptions>? options = null, PetitionLetterRenderer? letters = null)
    {
        _letters = letters ?? new PetitionLetterRenderer();
        _store = store;
        _time = time;
        _text = text;
        _notices = notices;
        _sms = sms;
        _options = options?.Value ?? new TicketOptions();
    }

    public string NodeId => _store.NodeId;

    public bool IsHub => _store.NodeId == NodeIds.Hub;

    public TicketOptions Options => _options;

    public DateTimeOffset Now => _time.GetUtcNow();

    // ---------------------------------------------------------------- calendar

    /// <summary>The built-in 2026 calendar overridden by the hub's <c>holiday_calendar</c> rows.</summary>
    public WorkingCalendar Calendar()
    {
        var days = WorkingCalendar.Builtin2026.Select(h => new KeyValuePair<DateOnly, bool>(h.Date, h.Working)).ToList();
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command("SELECT day, working FROM holiday_calendar WHERE deleted = 0 ORDER BY day");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (WorkingCalendar.ParseDay(r.GetString(0)) is { } d) days.Add(new(d, r.LongOrZero(1) == 1));
        }
        return new WorkingCalendar(days);
    }

    public TicketRules Rules() => new(Calendar(), _options);

    /// <summary>Hub only: marks a day as a holiday (working = false) or a make-up working day (调休).</summary>
    public void SetCalendarDay(DateOnly day, bool working, string? name)
    {
        if (!IsHub) throw new OfficeForbiddenException(_text["Err_HubOnly"]);
        var id = DeterministicId("holiday:" + WorkingCalendar.Iso(day));
        _store.Put(HolidayCalendarTable.Name, id, new JsonObject
        {
            ["day"] = WorkingCalendar.Iso(day),
            ["working"] = working ? 1L : 0L,
            ["name"] = Trim(name, 40),
        });
    }

    /// <summary>The calendar's explicit days (built-in and hub rows) in a year.</summary>
    public IReadOnlyList<(DateOnly Day, bool Working, string? Name)> CalendarDays(int year)
    {
        var map = WorkingCalendar.Builtin2026.Where(h => h.Date.Year == year).ToDictionary(h => h.Date, h => (h.Working, (string?)h.Name));
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command("SELECT day, working, name FROM holiday_calendar WHERE deleted = 0 AND day LIKE @y", null,
            ("@y", year.ToString(CultureInfo.InvariantCulture) + "-%"));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (WorkingCalendar.ParseDay(r.GetString(0)) is { } d) map[d] = (r.LongOrZero(1) == 1, r.StringOrNull(2));
        }
        return map.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value.Item1, kv.Value.Item2)).ToList();
    }

    // ---------------------------------------------------------------- intake

    public TicketCreated Create(TicketInput input, TicketActor actor, TicketPhoto? photo = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var resident = actor == TicketActor.Resident;
        if (!resident && !actor.IsStaff) throw new OfficeForbiddenException(_text["Err_NotAllowed"]);
        var errors = new Dictionary<string, string[]>();
        void Bad(string field, string key) => errors.TryAdd(field, [_text[key]]);
        var kind = input.Kind?.Trim() ?? "";
        if (!TicketKinds.All.Contains(kind)) Bad("kind", "Val_Kind");
        var category = string.IsNullOrWhiteSpace(input.Category) ? "other" : input.Category.Trim();
        if (!TicketCategories.All.Contains(category)) Bad("category", "Val_Category");
        var urgency = string.IsNullOrWhiteSpace(input.Urgency) ? TicketUrgency.Normal : input.Urgency.Trim();
        if (!TicketUrgency.All.Contains(urgency)) Bad("urgency", "Val_Urgency");
        var channel = string.IsNullOrWhiteSpace(input.Channel) ? (resident ? TicketChannels.Portal : TicketChannels.Counter) : input.Channel.Trim();
        if (!TicketChannels.All.Contains(channel)) Bad("channel", "Val_Channel");
        var description = input.Description?.Trim() ?? "";
        if (description.Length < 5) Bad("description", "Val_Description");
        else if (description.Length > MaxText) Bad("description", "Val_TooLong");
        var township = string.IsNullOrWhiteSpace(input.Township) ? null : input.Township.Trim();
        if (township is not null && (!NodeIds.IsValid(township) || township == NodeIds.Hub)) Bad("township", "Val_Township");
        if (!IsHub) township = _store.NodeId; // a township files cases for itself
        var name = Trim(input.Name, 40);
        var phone = Trim(input.Phone, 20);
        var idNumber = Trim(input.IdNumber, 18)?.ToUpperInvariant();
        var email = Trim(input.Email, 100);
        if (phone is not null && !PhonePattern().IsMatch(phone)) Bad("phone", "Val_Phone");
        if (email is not null && !email.Contains('@', StringComparison.Ordinal)) Bad("email", "Val_Email");
        if (kind == TicketKinds.Petition)
        {
            // 信访: the petitioner's identity is verified (and never published).
            if (name is null) Bad("name", "Val_PetitionIdentity");
            if (phone is null) Bad("phone", "Val_PetitionIdentity");
            if (idNumber is null || !IdPattern().IsMatch(idNumber)) Bad("idNumber", "Val_IdNumber");
        }
        else if (idNumber is not null && !IdPattern().IsMatch(idNumber)) Bad("idNumber", "Val_IdNumber");
        var lat = Trim(input.Lat, 20);
        var lng = Trim(input.Long, 20);
        if ((lat is not null || lng is not null) && !(IsCoordinate(lat, 90) && IsCoordinate(lng, 180))) Bad("lat", "Val_LatLong");
        var mediaUrl = Trim(input.MediaUrl, 500);
        if (mediaUrl is not null && !(Uri.TryCreate(mediaUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https")) Bad("media_url", "Val_MediaUrl");
        if (photo is not null && PhotoError(photo) is { } photoError) Bad("photo", photoError);
        string? sameMatter = null;
        if (Trim(input.SameMatterOf, 60) is { } link)
        {
            // "Same matter": only a petition known here; after 复核 the matter is final and is not accepted again.
            var earlier = Guid.TryParse(link, out _) ? Record(link) : ByNumber(link);
            if (kind != TicketKinds.Petition || earlier is not { IsPetition: true }) Bad("sameMatterOf", "Val_SameMatter");
            else if (Rules().Fold(earlier, Events(earlier.Id)).IsFinal) errors.TryAdd("sameMatterOf", [_text["Val_SameMatterFinal", earlier.Number]]);
            else sameMatter = earlier.Id;
        }
        if (errors.Count > 0) throw new OfficeValidationException(errors);

        var code = NewQueryCode();
        var now = _time.GetUtcNow();
        var year = WorkingCalendar.ChinaDate(now).Year;
        var stub = new TicketRecord
        {
            Id = "", Origin = _store.NodeId, Number = "", Kind = kind, Category = category, Urgency = urgency, Channel = channel,
            Unit = _store.NodeId, Description = description, QueryHash = "", AcceptedUtc = now,
        };
        var rules = Rules();
        var due = stub.IsPetition ? WorkingCalendar.AddNaturalDays(now, _options.PetitionAcceptDays) : rules.SlaDue(stub, now);
        return _store.Transact(w =>
        {
            var seq = w.Connection.ScalarLong("SELECT MAX(seq) FROM tickets WHERE origin = @me AND year = @y", w.Transaction,
                ("@me", _store.NodeId), ("@y", (long)year)) + 1;
            var number = IsHub
                ? string.Create(CultureInfo.InvariantCulture, $"{_options.NumberPrefix}-{year}-{seq:D6}")
                : string.Create(CultureInfo.InvariantCulture, $"{_options.NumberPrefix}-{_store.NodeId}-{year}-{seq:D6}");
            var row = w.Insert(TicketsTable.Name, new JsonObject
            {
                ["number"] = number,
                ["year"] = (long)year,
                ["seq"] = seq,
                ["kind"] = kind,
                ["category"] = category,
                ["urgency"] = urgency,
                ["channel"] = channel,
                ["unit"] = _store.NodeId,
                ["township"] = township,
                ["description"] = description,
                ["address"] = Trim(input.Address, 200),
                ["lat"] = lat,
                ["lng"] = lng,
                ["resident_name"] = name,
                ["resident_phone"] = phone,
                ["resident_id_number"] = idNumber,
                ["resident_email"] = email,
                ["is_public"] = input.IsPublic == false ? 0L : 1L,
                ["query_hash"] = "pending",
                ["accepted_utc"] = TicketRules.Iso(now),
                ["filed_by"] = resident ? null : actor.Username,
                ["service_code"] = Trim(input.ServiceCode, 40),
                ["media_url"] = mediaUrl,
                ["has_photo"] = photo is null ? 0L : 1L,
                ["same_matter_of"] = sameMatter,
            });
            // The hash binds the code to this ticket's id; written in the same transaction (one audited insert + update).
            w.Update(TicketsTable.Name, row.Id, new JsonObject { ["query_hash"] = HashCode(row.Id, code) });
            if (photo is not null)
            {
                w.Insert(TicketMediaTable.Name, new JsonObject
                {
                    ["ticket_id"] = row.Id,
                    ["unit"] = _store.NodeId,
                    ["content_type"] = photo.ContentType,
                    ["data"] = Convert.ToBase64String(photo.Data.Span),
                    ["created_utc"] = TicketRules.Iso(now),
                });
            }
            if (phone is not null && SmsOutbox.IsMobile(phone) && _sms is not null)
            {
                _sms.Queue(w, phone, _text["Sms_Accepted", number, code], "ticket", row.Id, null);
            }
            _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_New", number], Trim(description, 200) ?? "",
                [_store.NodeId], [], urgency == TicketUrgency.Emergency ? 2 : 0, "/tickets/" + row.Id, row.Id), SenderOf(actor));
            return new TicketCreated { Id = row.Id, Number = number, QueryCode = code, AcceptedUtc = now, DueUtc = due };
        });
    }

    /// <summary>Null when the photo is acceptable, else the resource key of the reason.</summary>
    public string? PhotoError(TicketPhoto photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        if (photo.Data.Length == 0) return "Val_PhotoEmpty";
        if (photo.Data.Length > _options.MaxPhotoBytes) return "Val_PhotoTooLarge";
        var s = photo.Data.Span;
        var image = photo.ContentType switch
        {
            "image/jpeg" => s.Length > 3 && s[0] == 0xFF && s[1] == 0xD8,
            "image/png" => s.Length > 8 && s[0] == 0x89 && s[1] == (byte)'P' && s[2] == (byte)'N' && s[3] == (byte)'G',
            "image/gif" => s.Length > 6 && s[0] == (byte)'G' && s[1] == (byte)'I' && s[2] == (byte)'F',
            "image/webp" => s.Length > 12 && s[8] == (byte)'W' && s[9] == (byte)'E' && s[10] == (byte)'B' && s[11] == (byte)'P',
            _ => false,
        };
        return image ? null : "Val_PhotoType";
    }

    public (string ContentType, byte[] Data)? Photo(string ticketId)
    {
        if (!Guid.TryParse(ticketId, out _)) return null;
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command("SELECT content_type, data FROM ticket_media WHERE ticket_id = @t AND deleted = 0 ORDER BY created_utc LIMIT 1", null, ("@t", ticketId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), Convert.FromBase64String(r.GetString(1))) : null;
    }

    // ---------------------------------------------------------------- reads

    public TicketRecord? Record(string id) =>
        Guid.TryParse(id, out _) && _store.Get(TicketsTable.Name, id) is { Deleted: false } row ? TicketRecord.From(row) : null;

    public TicketRecord? ByNumber(string number)
    {
        using var conn = _store.OpenConnection();
        var id = conn.ScalarString("SELECT id FROM tickets WHERE number = @n AND deleted = 0", null, ("@n", number.Trim()));
        return id is null ? null : Record(id);
    }

    public List<TicketEvent> Events(string ticketId) => LoadEvents([ticketId]).GetValueOrDefault(ticketId) ?? [];

    /// <summary>The events as the write transaction sees them (check-then-write under the store's write lock).</summary>
    private static List<TicketEvent> Events(ILocalWrite w, string ticketId)
    {
        var t = TicketEventsTable.Definition;
        var list = new List<TicketEvent>();
        using var cmd = w.Connection.Command($"SELECT {RowIo.SelectList(t)} FROM ticket_events WHERE deleted = 0 AND ticket_id = @t", w.Transaction, ("@t", ticketId));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(TicketEvent.From(RowIo.ReadRow(t, r)));
        return list;
    }

    public (TicketRecord Ticket, TicketStatus Status, List<TicketEvent> Events)? Load(string id)
    {
        if (Record(id) is not { } t) return null;
        var events = Events(id);
        return (t, Rules().Fold(t, events), events);
    }

    public TicketDetail? Get(string id, TicketActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Load(id) is not { } loaded) return null;
        var (t, s, events) = loaded;
        var rules = Rules();
        var now = _time.GetUtcNow();
        var full = actor.IsStaff && (_store.NodeId == t.Origin || _store.NodeId == (s.Unit ?? t.Origin) || actor.Has(Roles.Supervisor, Roles.Admin));
        var summary = Summarize(t, s, rules, now);
        var reply = s.LastReply;
        return new TicketDetail
        {
            Id = summary.Id, Number = summary.Number, Kind = summary.Kind, Category = summary.Category, Urgency = summary.Urgency,
            Channel = summary.Channel, Township = summary.Township, OriginNode = summary.OriginNode, Handler = summary.Handler,
            State = s.State, ResidentName = full ? t.ResidentName ?? "" : summary.ResidentName,
            Phone = full ? t.ResidentPhone ?? "" : summary.Phone, Preview = summary.Preview, AcceptedUtc = t.AcceptedUtc,
            OverallDue = s.OverallDue, StageStart = s.StageStart, StageDue = s.StageDue, SupervisionDue = s.SupervisionDue,
            ClosedUtc = s.ClosedUtc, Overdue = summary.Overdue, StageOverdue = summary.StageOverdue, EscalationLevel = s.EscalationLevel,
            ExtensionPending = s.PendingExtension is not null, WorkingDaysUsed = summary.WorkingDaysUsed, ElapsedHours = summary.ElapsedHours,
            StageHours = summary.StageHours,
            Description = t.Description,
            Address = t.Address,
            Lat = t.Lat,
            Lng = t.Lng,
            IdNumber = full && !t.IsPetition ? t.ResidentIdNumber : t.ResidentIdNumber is null ? null : Redactor.Hidden,
            Email = full ? t.ResidentEmail : null,
            IsPublic = t.IsPublic,
            HasPhoto = t.HasPhoto,
            MediaUrl = t.MediaUrl,
            FiledBy = t.FiledBy,
            Reply = reply?.Reply,
            ReasonCode = reply?.ReasonCode,
            ResponsibleBody = reply?.ResponsibleBody,
            Satisfaction = s.LastCallback?.Satisfaction,
            Adoption = reply?.Adoption,
            ExtensionDays = s.ExtensionDays,
            Reopens = s.Reopens,
            Stage = t.IsPetition ? s.Stage : PetitionStage.None,
            StageDeadline = t.IsPetition ? s.PetitionDeadline : null,
            SameMatterOf = t.SameMatterOf,
            SameMatterNumber = t.SameMatterOf is { } same ? Record(same)?.Number : null,
            Events = events.OrderBy(e => e.Hlc, StringComparer.Ordinal).Select(ToDto).ToList(),
            Actions = AllowedActions(t, s, actor),
        };
    }

    /// <summary>The actions this actor may take at this node now (the UI's buttons).</summary>
    public IReadOnlyList<string> AllowedActions(TicketRecord t, TicketStatus s, TicketActor actor)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(actor);
        var list = new List<string>();
        foreach (var action in TicketActions.Manual)
        {
            if (Permission(t, s, action, actor) is not null) continue;
            var probe = new TicketEvent
            {
                Id = "probe", Hlc = "\uffff", Origin = _store.NodeId, TicketId = t.Id, Action = action, Node = _store.NodeId, Actor = actor.Username,
                AtUtc = _time.GetUtcNow(), ToUnit = "x", LegalBasis = "x", Satisfaction = Satisfaction.Satisfied, Days = 1,
                DeadlineUtc = _time.GetUtcNow(), Approved = true,
            };
            if (FitsState(t, s, probe)) list.Add(action);
        }
        return list;
    }

    public IReadOnlyList<TicketSummary> List(TicketBox box = TicketBox.All, string? kind = null, string? q = null, int limit = 200)
    {
        limit = Math.Clamp(limit, 1, 500);
        var where = new StringBuilder("deleted = 0");
        var args = new List<(string, object?)>();
        if (!string.IsNullOrEmpty(kind))
        {
            where.Append(" AND kind = @kind");
            args.Add(("@kind", kind));
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            where.Append(" AND (number LIKE @q OR description LIKE @q)");
            args.Add(("@q", "%" + q.Trim() + "%"));
        }
        var tickets = new List<TicketRecord>();
        var t = TicketsTable.Definition;
        using (var conn = _store.OpenConnection())
        using (var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM tickets WHERE {where} ORDER BY accepted_utc DESC, id DESC LIMIT 2000", null, [.. args]))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) tickets.Add(TicketRecord.From(RowIo.ReadRow(t, r)));
        }
        var events = LoadEvents(tickets.Select(x => x.Id).ToList());
        var rules = Rules();
        var now = _time.GetUtcNow();
        var me = _store.NodeId;
        var result = new List<TicketSummary>();
        foreach (var ticket in tickets)
        {
            var s = rules.Fold(ticket, events.GetValueOrDefault(ticket.Id) ?? []);
            var responsible = s.Unit ?? ticket.Origin;
            var keep = box switch
            {
                TicketBox.ToSign => s.Unit == me && (s.State == TicketState.Dispatched || (s.State == TicketState.Registered && s.SignedUtc is null)),
                TicketBox.ToHandle => responsible == me && s.State is TicketState.Accepted or TicketState.Handling or TicketState.Returned or TicketState.Registered
                    && !(s.State == TicketState.Registered && s.Unit == me && s.SignedUtc is null),
                TicketBox.Overdue => s.IsOverdue(now),
                TicketBox.Supervised => s.SupervisionDue is not null && s.IsOpen,
                TicketBox.Open => s.IsOpen,
                TicketBox.Closed => !s.IsOpen,
                _ => true,
            };
            if (keep) result.Add(Summarize(ticket, s, rules, now));
            if (result.Count >= limit) break;
        }
        return result;
    }

    public TicketWork Work()
    {
        var toSign = List(TicketBox.ToSign, limit: 500).Count;
        var toHandle = List(TicketBox.ToHandle, limit: 500).Count;
        var overdue = List(TicketBox.Overdue, limit: 500).Count(x => x.Handler == _store.NodeId || IsHub);
        return new TicketWork(toSign, toHandle, overdue);
    }

    private TicketSummary Summarize(TicketRecord t, TicketStatus s, TicketRules rules, DateTimeOffset now)
    {
        var end = s.IsRunning ? now : s.ClosedUtc ?? s.LastReply?.AtUtc ?? now;
        return new TicketSummary
        {
            Id = t.Id,
            Number = t.Number,
            Kind = t.Kind,
            Category = t.Category,
            Urgency = t.Urgency,
            Channel = t.Channel,
            Township = t.Township,
            OriginNode = t.Origin,
            Handler = s.Unit ?? t.Origin,
            State = s.State,
            ResidentName = Redactor.MaskName(t.ResidentName),
            Phone = Redactor.MaskPhone(t.ResidentPhone),
            Preview = Preview(t),
            AcceptedUtc = t.AcceptedUtc,
            OverallDue = s.OverallDue,
            StageStart = s.StageStart,
            StageDue = s.StageDue,
            SupervisionDue = s.SupervisionDue,
            ClosedUtc = s.ClosedUtc,
            Overdue = s.IsOverdue(now),
            StageOverdue = s.IsStageOverdue(now),
            EscalationLevel = s.EscalationLevel,
            ExtensionPending = s.PendingExtension is not null,
            WorkingDaysUsed = rules.Calendar.WorkingDaysBetween(t.AcceptedUtc, end),
            ElapsedHours = Math.Round(Math.Max(0, (end - t.AcceptedUtc).TotalHours), 1),
            StageHours = Math.Round(Math.Max(0, ((s.IsRunning ? now : end) - s.StageStart).TotalHours), 1),
        };
    }

    /// <summary>The start of the description with personal data scrubbed (lists need no phone or ID numbers).</summary>
    private static string Preview(TicketRecord t)
    {
        var text = Redactor.Scrub(t.Description, t);
        return text.Length <= 60 ? text : text[..60] + "…";
    }

    /// <summary>Every live ticket with its state folded from its events (for statistics).</summary>
    internal IEnumerable<(TicketRecord Ticket, TicketStatus Status)> FoldAll()
    {
        var tickets = new List<TicketRecord>();
        var t = TicketsTable.Definition;
        using (var conn = _store.OpenConnection())
        using (var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM tickets WHERE deleted = 0"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) tickets.Add(TicketRecord.From(RowIo.ReadRow(t, r)));
        }
        var events = LoadEvents(tickets.Select(x => x.Id).ToList());
        var rules = Rules();
        foreach (var ticket in tickets) yield return (ticket, rules.Fold(ticket, events.GetValueOrDefault(ticket.Id) ?? []));
    }

    private Dictionary<string, List<TicketEvent>> LoadEvents(IReadOnlyList<string> ticketIds)
    {
        var map = new Dictionary<string, List<TicketEvent>>(StringComparer.Ordinal);
        if (ticketIds.Count == 0) return map;
        var t = TicketEventsTable.Definition;
        using var conn = _store.OpenConnection();
        foreach (var chunk in ticketIds.Chunk(200))
        {
            var names = chunk.Select((_, i) => "@t" + i.ToString(CultureInfo.InvariantCulture)).ToList();
            var args = chunk.Select((id, i) => (names[i], (object?)id)).ToArray();
            using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM ticket_events WHERE deleted = 0 AND ticket_id IN ({string.Join(", ", names)})", null, args);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var e = TicketEvent.From(RowIo.ReadRow(t, r));
                if (!map.TryGetValue(e.TicketId, out var list)) map[e.TicketId] = list = [];
                list.Add(e);
            }
        }
        return map;
    }

    private static TicketEventDto ToDto(TicketEvent e) => new()
    {
        Id = e.Id, Action = e.Action, Node = e.Node, Actor = e.Actor, ActorName = e.ActorName, AtUtc = e.AtUtc, ToUnit = e.ToUnit,
        Opinion = e.Opinion, LegalBasis = e.LegalBasis, Reply = e.Reply, ReasonCode = e.ReasonCode, ResponsibleBody = e.ResponsibleBody,
        Satisfaction = e.Satisfaction, Adoption = e.Adoption, Days = e.Days, Approved = e.Approved, Level = e.Level,
        DeadlineUtc = e.DeadlineUtc, ReceivedUtc = e.ReceivedUtc, Applied = e.Applied,
    };

    // ---------------------------------------------------------------- transitions

    /// <summary>Records one transition; throws <see cref="OfficeValidationException"/> or <see cref="OfficeForbiddenException"/>.</summary>
    public TicketDetail Act(string id, TicketActionInput input, TicketActor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var action = input.Action?.Trim() ?? "";
        if (!TicketActions.Manual.Contains(action)) throw Invalid("action", "Val_Action");
        _store.Transact(w =>
        {
            if (w.Get(TicketsTable.Name, id) is not { Deleted: false } row) throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [_text["Err_NotFound"]] });
            var t = TicketRecord.From(row);
            var events = Events(w, id);
            var rules = Rules();
            var s = rules.Fold(t, events);
            if (Permission(t, s, action, actor) is { } denied) throw new OfficeForbiddenException(_text[denied]);
            var now = _time.GetUtcNow();
            var data = Validate(t, s, rules, action, input, now);
            var probe = new TicketEvent
            {
                Id = "probe", Hlc = "\uffff", Origin = _store.NodeId, TicketId = id, Action = action, Node = _store.NodeId, Actor = actor.Username,
                AtUtc = now, ToUnit = data["to_unit"]?.GetValue<string>(), LegalBasis = data["legal_basis"]?.GetValue<string>(),
                Satisfaction = data["satisfaction"]?.GetValue<string>(), Days = data["days"] is { } d ? (int)d.GetValue<long>() : null,
                Approved = data["approved"]?.GetValue<long>() == 1, DeadlineUtc = TicketRules.Parse(data["deadline_utc"]?.GetValue<string>()),
            };
            if (!FitsState(t, s, probe)) throw Invalid("action", "Val_State");
            data["ticket_id"] = id;
            data["ticket_origin"] = t.Origin;
            data["unit"] = s.Unit ?? t.Origin;
            data["action"] = action;
            data["node"] = _store.NodeId;
            data["actor"] = actor.Username;
            data["actor_name"] = actor.DisplayName;
            data["at_utc"] = TicketRules.Iso(now);
            var written = w.Insert(TicketEventsTable.Name, data);
            if (t.IsPetition && TicketNoticeKinds.For(action) is { } notice) IssueNotice(w, t, s, TicketEvent.From(written), notice, actor, now);
            After(w, t, s, action, data, actor);
            return true;
        });
        return Get(id, actor)!;
    }

    private JsonObject Validate(TicketRecord t, TicketStatus s, TicketRules rules, string action, TicketActionInput input, DateTimeOffset now)
    {
        var data = new JsonObject();
        var opinion = Trim(input.Opinion, MaxText);
        data["opinion"] = opinion;
        switch (action)
        {
            case TicketActions.NotAccept:
                // 不予受理: one of the statutory reasons (litigation/arbitration/review, already decided, outside the remit) plus text.
                var why = input.ReasonCode?.Trim();
                if (why is null || !NotAcceptReasons.All.Contains(why)) throw Invalid("reasonCode", "Val_NotAcceptReason");
                if (opinion is null) throw Invalid("opinion", "Val_Opinion");
                data["reason_code"] = why;
                data["legal_basis"] = Trim(input.LegalBasis, 500) ?? "《信访工作条例》";
                break;
            case TicketActions.ReviewApply:
            case TicketActions.ReReviewApply:
                var received = input.ReceivedUtc ?? now;
                if (received > now) throw Invalid("receivedUtc", "Val_ReceivedFuture");
                if (opinion is null) throw Invalid("opinion", "Val_ReviewRequest");
                var opened = action == TicketActions.ReviewApply ? s.LastReply : s.ReviewDecision;
                if (action == TicketActions.ReReviewApply && opened is null) throw Invalid("action", "Val_ReReviewNeedsReview");
                if (opened is not null && !rules.InWindow(received, opened.AtUtc))
                {
                    var lastDay = rules.ApplicationDeadline(opened.AtUtc);
                    throw new OfficeValidationException(new Dictionary<string, string[]>
                    {
                        ["receivedUtc"] = [received > lastDay
                            ? _text["Val_ApplicationLate", ChinaTime.FormatDate(opened.AtUtc), ChinaTime.FormatDate(lastDay.AddTicks(-1)), ChinaTime.FormatDate(received)]
                            : _text["Val_ReceivedEarly"]],
                    });
                }
                data["received_utc"] = TicketRules.Iso(received);
                break;
            case TicketActions.ReviewDecision:
            case TicketActions.ReReviewDecision:
                if (Trim(input.Reply, MaxText) is not { } decision) throw Invalid("reply", "Val_Reply");
                data["reply"] = decision;
                break;
            case TicketActions.Return:
                if (Trim(input.LegalBasis, 500) is not { } basis) throw Invalid("legalBasis", "Val_LegalBasis");
                if (opinion is null) throw Invalid("opinion", "Val_Opinion");
                data["legal_basis"] = basis;
                if (action == TicketActions.Return && s.DispatchedUtc is { } dispatched && now > rules.ReturnDue(t, dispatched))
                {
                    throw Invalid("action", "Val_ReturnLate");
                }
                break;
            case TicketActions.Dispatch:
                var to = input.ToUnit?.Trim();
                if (string.IsNullOrEmpty(to) || !NodeIds.IsValid(to)) throw Invalid("toUnit", "Val_ToUnit");
                if (t.Origin != NodeIds.Hub && to != t.Origin) throw Invalid("toUnit", "Val_ToUnitOwn");
                data["to_unit"] = to;
                data["due_utc"] = TicketRules.Iso(s.OverallDue);
                data["deadline_utc"] = s.SupervisionDue is { } sup ? TicketRules.Iso(sup) : null;
                // The reminder for that deadline, if already written here: the receiving unit does not remind again.
                if (s.HasEscalation(0, s.EscalationDeadline)) data["level"] = 0L;
                break;
            case TicketActions.ExtensionRequest:
                var max = t.IsPetition ? _options.PetitionMaxExtensionDays - s.ExtensionDays : _options.MaxExtensionWorkingDays;
                if (input.Days is not { } days || days < 1 || days > max) throw Invalid("days", "Val_Days");
                if (opinion is null) throw Invalid("opinion", "Val_Opinion");
                data["days"] = (long)days;
                break;
            case TicketActions.ExtensionDecision:
                if (input.Approved is not { } approved) throw Invalid("approved", "Val_Approved");
                data["approved"] = approved ? 1L : 0L;
                break;
            case TicketActions.Reply:
                if (Trim(input.Reply, MaxText) is not { } reply) throw Invalid("reply", "Val_Reply");
                var reason = input.ReasonCode?.Trim();
                if (reason is null || !ReasonCodes.All.Contains(reason)) throw Invalid("reasonCode", "Val_ReasonCode");
                var body = Trim(input.ResponsibleBody, 100);
                if (body is null) throw Invalid("responsibleBody", "Val_ResponsibleBody");
                if (t.Kind == TicketKinds.Suggestion)
                {
                    var adoption = input.Adoption?.Trim();
                    if (adoption is null || !Adoption.All.Contains(adoption)) throw Invalid("adoption", "Val_Adoption");
                    if (adoption != Adoption.Adopted && opinion is null) throw Invalid("opinion", "Val_AdoptionReason");
                    data["adoption"] = adoption;
                }
                data["reply"] = reply;
                data["reason_code"] = reason;
                data["responsible_body"] = body;
                break;
            case TicketActions.Callback:
                var sat = input.Satisfaction?.Trim();
                if (sat is null || !Satisfaction.All.Contains(sat)) throw Invalid("satisfaction", "Val_Satisfaction");
                data["satisfaction"] = sat;
                break;
            case TicketActions.Supervise:
                if (input.DeadlineUtc is not { } deadline || deadline <= now) throw Invalid("deadlineUtc", "Val_Deadline");
                data["deadline_utc"] = TicketRules.Iso(deadline);
                break;
        }
        return data;
    }

    /// <summary>Null when the actor may take the action at this node; else the resource key of the reason.</summary>
    private string? Permission(TicketRecord t, TicketStatus s, string action, TicketActor actor)
    {
        if (!actor.IsStaff) return "Err_NotAllowed";
        var me = _store.NodeId;
        return action switch
        {
            TicketActions.Accept or TicketActions.NotAccept => me == t.Origin || me == s.Unit ? null : "Err_NotOwner",
            TicketActions.Dispatch or TicketActions.Callback or TicketActions.Close => me == t.Origin ? null : "Err_NotOwner",
            TicketActions.Sign or TicketActions.Return => me == s.Unit ? null : "Err_NotUnit",
            TicketActions.ExtensionRequest or TicketActions.Reply => me == (s.Unit ?? t.Origin) ? null : "Err_NotUnit",
            TicketActions.ExtensionDecision => actor.Has(Roles.Supervisor, Roles.Admin) || (t.IsPetition && actor.Has(Roles.Leader)) ? null : "Err_Supervisor",
            TicketActions.Supervise => actor.Has(Roles.Supervisor, Roles.Admin) ? null : "Err_Supervisor",
            TicketActions.ReviewApply or TicketActions.ReReviewApply => me == t.Origin || me == s.Unit || IsHub ? null : "Err_NotUnit",
            TicketActions.ReviewDecision or TicketActions.ReReviewDecision => IsHub ? null : "Err_HubOnly",
            _ => "Err_NotAllowed",
        };
    }

    /// <summary>The state machine's check for a new event (the fold applies the same rules to synced events).</summary>
    private static bool FitsState(TicketRecord t, TicketStatus s, TicketEvent probe) => TryApply(t, s, probe);

    private static bool TryApply(TicketRecord t, TicketStatus s, TicketEvent probe)
    {
        var owner = probe.Node == t.Origin;
        var atUnit = s.Unit is not null && probe.Node == s.Unit;
        return probe.Action switch
        {
            TicketActions.Accept or TicketActions.NotAccept => s.State == TicketState.Registered && (owner || (atUnit && s.SignedUtc is not null)),
            TicketActions.Dispatch => owner && s.State is TicketState.Accepted or TicketState.Returned or TicketState.Dispatched or TicketState.Handling
                || (owner && s.State == TicketState.Registered && t.IsPetition),
            TicketActions.Sign => atUnit && (s.State == TicketState.Dispatched || (s.State == TicketState.Registered && s.SignedUtc is null)),
            TicketActions.Return => atUnit && s.State is TicketState.Dispatched or TicketState.Handling,
            TicketActions.ExtensionRequest => s.PendingExtension is null && ((s.State == TicketState.Handling && atUnit) || (s.State == TicketState.Accepted && s.Unit is null && owner)),
            TicketActions.ExtensionDecision => s.PendingExtension is not null && s.IsRunning,
            TicketActions.Reply => (s.State == TicketState.Handling && atUnit) || (s.State is TicketState.Accepted or TicketState.Returned && owner),
            TicketActions.Callback or TicketActions.Close => s.State == TicketState.Replied && owner,
            TicketActions.Supervise => s.IsOpen && s.State != TicketState.Replied,
            TicketActions.ReviewApply => t.IsPetition && s.State is TicketState.Replied or TicketState.Closed && s.LastReply is not null
                && s.ReviewApplication is null && (owner || atUnit || probe.Node == NodeIds.Hub),
            TicketActions.ReReviewApply => s.State == TicketState.Closed && s.ReviewDecision is not null && s.ReReviewApplication is null
                && (owner || atUnit || probe.Node == NodeIds.Hub),
            TicketActions.ReviewDecision => s.State == TicketState.Review && probe.Node == NodeIds.Hub,
            TicketActions.ReReviewDecision => s.State == TicketState.ReReview && probe.Node == NodeIds.Hub,
            _ => false,
        };
    }

    /// <summary>Side effects in the same transaction: the ticket row follows a dispatch; notices and SMS.</summary>
    private void After(ILocalWrite w, TicketRecord t, TicketStatus s, string action, JsonObject data, TicketActor actor)
    {
        var link = "/tickets/" + t.Id;
        var sender = SenderOf(actor);
        switch (action)
        {
            case TicketActions.Dispatch:
                var to = data["to_unit"]!.GetValue<string>();
                if (t.Unit != to) w.Update(TicketsTable.Name, t.Id, new JsonObject { ["unit"] = to });
                // The resident's photo follows the ticket to the handling township.
                var media = new List<string>();
                using (var cmd = w.Connection.Command("SELECT id FROM ticket_media WHERE ticket_id = @t AND origin = @me AND deleted = 0 AND unit <> @to",
                           w.Transaction, ("@t", t.Id), ("@me", _store.NodeId), ("@to", to)))
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read()) media.Add(r.GetString(0));
                }
                foreach (var m in media) w.Update(TicketMediaTable.Name, m, new JsonObject { ["unit"] = to });
                _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_Dispatched", t.Number], _text["Notice_SignSoon"],
                    [to], [], t.Urgency == TicketUrgency.Emergency ? 2 : 1, link, t.Id, Sms: t.Urgency == TicketUrgency.Emergency), sender);
                break;
            case TicketActions.Return:
                _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_Returned", t.Number], data["legal_basis"]?.GetValue<string>() ?? "",
                    [t.Origin], [], 1, link, t.Id), sender);
                break;
            case TicketActions.ExtensionRequest:
                _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_Extension", t.Number], data["opinion"]?.GetValue<string>() ?? "",
                    [NodeIds.Hub], [], 1, link, t.Id), sender);
                break;
            case TicketActions.ExtensionDecision when data["approved"]?.GetValue<long>() == 1 && s.PendingExtension is { } ext:
                Sms(w, t, _text["Sms_Extended", t.Number, ext.Days ?? 0, ext.Opinion ?? ""]);
                break;
            case TicketActions.Reply:
                Sms(w, t, _text["Sms_Replied", t.Number]);
                if (t.Origin != _store.NodeId)
                {
                    _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_Replied", t.Number], _text["Notice_Callback"],
                        [t.Origin], [], 0, link, t.Id), sender);
                }
                break;
            case TicketActions.ReviewApply or TicketActions.ReReviewApply when !IsHub:
                _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_ReviewApplied", t.Number], data["opinion"]?.GetValue<string>() ?? "",
                    [NodeIds.Hub], [], 1, link, t.Id), sender);
                break;
            case TicketActions.Callback when data["satisfaction"]?.GetValue<string>() == Satisfaction.Unsatisfied && s.Unit is { } unit:
                _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_Reopened", t.Number], data["opinion"]?.GetValue<string>() ?? "",
                    [unit], [], 1, link, t.Id), sender);
                break;
        }
    }

    // ---------------------------------------------------------------- written notices (书面告知)

    /// <summary>
    /// Issues a petition's written notice in the event's transaction: the number is the next of this node, kind and year
    /// (gap-free: allocated and stored in one <c>Transact</c>), the PDF is rendered and stored with it so it syncs.
    /// </summary>
    private void IssueNotice(ILocalWrite w, TicketRecord t, TicketStatus s, TicketEvent e, string kind, TicketActor actor, DateTimeOffset now)
    {
        var (organ, prefix) = Issuer(w);
        var year = (long)WorkingCalendar.ChinaDate(now).Year;
        var seq = w.Connection.ScalarLong("SELECT COALESCE(MAX(seq), 0) FROM ticket_notices WHERE origin = @me AND kind = @k AND year = @y", w.Transaction,
            ("@me", _store.NodeId), ("@k", kind), ("@y", year)) + 1;
        var number = PetitionNotices.Number(prefix, kind, year, seq);
        byte[] pdf;
        try
        {
            pdf = _letters.Render(PetitionNotices.Letter(kind, t, s, e, organ, number, now));
        }
        catch (PdfFontMissingException ex)
        {
            throw new OfficeForbiddenException(_text["Err_NoticeFonts", ex.Message]);
        }
        w.Insert(TicketNoticesTable.Name, new JsonObject
        {
            ["ticket_id"] = t.Id,
            ["ticket_origin"] = t.Origin,
            ["unit"] = t.Unit, // the ticket's own audience (hub, owner, the township it was dispatched to)
            ["event_id"] = e.Id,
            ["kind"] = kind,
            ["node"] = _store.NodeId,
            ["year"] = year,
            ["seq"] = seq,
            ["number"] = number,
            ["title"] = PetitionNotices.Title(kind),
            ["issued_utc"] = TicketRules.Iso(now),
            ["issued_by"] = actor.Username,
            ["issued_by_name"] = Trim(actor.DisplayName, 40),
            ["size"] = (long)pdf.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(pdf)),
            ["data"] = Convert.ToBase64String(pdf),
        });
    }

    /// <summary>The issuing body and number prefix at this node: the hub's petition body, or the township's organ.</summary>
    private (string Organ, string Prefix) Issuer(ILocalWrite w)
    {
        if (IsHub) return (_options.PetitionOrgan, _options.PetitionNoticePrefix);
        if (w.Get(OrgansTable.Name, OrgansTable.IdFor(_store.NodeId)) is { Deleted: false } row)
        {
            var organ = OrganDirectory.FromRow(row);
            return (organ.Name, PetitionNotices.TownshipPrefix(organ.ShortName));
        }
        var name = w.Connection.ScalarString("SELECT name FROM townships WHERE code = @c AND deleted = 0", w.Transaction, ("@c", _store.NodeId)) ?? _store.NodeId;
        return (OrganDirectory.FullTownshipName(name), PetitionNotices.TownshipPrefix(name));
    }

    /// <summary>The written notices of a ticket held here, oldest first (staff only; never published).</summary>
    public IReadOnlyList<TicketNoticeDto>? Notices(string ticketId)
    {
        if (Record(ticketId) is null) return null;
        var list = new List<TicketNoticeDto>();
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command(
            "SELECT id, kind, number, title, node, issued_utc, issued_by, issued_by_name, size, sha256 FROM ticket_notices " +
            "WHERE ticket_id = @t AND deleted = 0 ORDER BY issued_utc, hlc", null, ("@t", ticketId));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new TicketNoticeDto
            {
                Id = r.GetString(0), TicketId = ticketId, Kind = r.GetString(1), Number = r.GetString(2), Title = r.GetString(3), Node = r.GetString(4),
                IssuedUtc = TicketRules.Parse(r.GetString(5)) ?? DateTimeOffset.MinValue, IssuedBy = r.GetString(6), IssuedByName = r.StringOrNull(7),
                Size = r.LongOrZero(8), Sha256 = r.GetString(9),
            });
        }
        return list;
    }

    /// <summary>One notice's PDF and file name; null when the ticket or the notice is not here.</summary>
    public (string Name, byte[] Pdf)? NoticePdf(string ticketId, string noticeId)
    {
        if (!Guid.TryParse(ticketId, out _) || !Guid.TryParse(noticeId, out _)) return null;
        if (_store.Get(TicketNoticesTable.Name, noticeId) is not { Deleted: false } row || row.Text("ticket_id") != ticketId) return null;
        return ((row.Text("number") ?? "notice") + ".pdf", Convert.FromBase64String(row.Text("data") ?? ""));
    }

    private void Sms(ILocalWrite w, TicketRecord t, string text)
    {
        if (_sms is not null && SmsOutbox.IsMobile(t.ResidentPhone)) _sms.Queue(w, t.ResidentPhone!, text, "ticket", t.Id, null);
    }

    // ---------------------------------------------------------------- escalation

    /// <summary>
    /// Writes the reminders and escalations due now that are this node's to write (<see cref="TicketRules.Writes"/>: a
    /// township reminds for the tickets it holds, the hub for the county's units and escalates all; at most one per level
    /// and deadline: a second run writes nothing) and sends their notices in the same transaction. Returns how many were written.
    /// </summary>
    public int RunEscalation()
    {
        var written = 0;
        using var _ = AuditActor.Use("ticket-escalation");
        foreach (var summary in List(TicketBox.Open, limit: 500))
        {
            written += _store.Transact(w =>
            {
                if (w.Get(TicketsTable.Name, summary.Id) is not { Deleted: false } row) return 0;
                var t = TicketRecord.From(row);
                var rules = Rules();
                var s = rules.Fold(t, Events(w, t.Id));
                var now = _time.GetUtcNow();
                var n = 0;
                foreach (var step in rules.DueSteps(t, s, now).Where(x => TicketRules.Writes(_store.NodeId, x)))
                {
                    w.Insert(TicketEventsTable.Name, new JsonObject
                    {
                        ["ticket_id"] = t.Id,
                        ["ticket_origin"] = t.Origin,
                        ["unit"] = s.Unit ?? t.Origin,
                        ["action"] = step.Level == 0 ? TicketActions.Remind : TicketActions.Escalate,
                        ["node"] = _store.NodeId,
                        ["actor"] = "system",
                        ["at_utc"] = TicketRules.Iso(now),
                        ["level"] = (long)step.Level,
                        ["deadline_utc"] = TicketRules.Iso(step.Deadline),
                    });
                    var key = step.Level switch { 0 => "Notice_Remind", 1 => "Notice_EscalateHead", _ => "Notice_EscalateCounty" };
                    _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text[key, t.Number],
                        _text["Notice_Deadline", Localization.ChinaTime.Format(step.Deadline, CultureInfo.GetCultureInfo("zh-CN"))],
                        step.Level == 2 ? [NodeIds.Hub] : [step.Unit], [], Math.Min(step.Level + 1, 2), "/tickets/" + t.Id, t.Id,
                        Sms: step.Level >= 1), "system");
                    n++;
                }
                return n;
            });
        }
        return written;
    }

    // ---------------------------------------------------------------- residents

    /// <summary>Number + query code → status and reply; null when either is wrong (no hint which).</summary>
    public TrackResult? Track(string? number, string? code)
    {
        if (string.IsNullOrWhiteSpace(number) || string.IsNullOrWhiteSpace(code)) return null;
        var t = ByNumber(number);
        var expected = Encoding.ASCII.GetBytes(t?.QueryHash ?? new string('0', 64));
        var actual = Encoding.ASCII.GetBytes(HashCode(t?.Id ?? "none", code.Trim().ToUpperInvariant()));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual) || t is null) return null;
        var events = Events(t.Id);
        var s = Rules().Fold(t, events);
        var reply = s.LastReply;
        return new TrackResult
        {
            Number = t.Number,
            Kind = t.Kind,
            Category = t.Category,
            State = s.State,
            AcceptedUtc = t.AcceptedUtc,
            DueUtc = s.OverallDue,
            ClosedUtc = s.ClosedUtc,
            Reply = reply?.Reply ?? (s.State == TicketState.NotAccepted ? s.Closing?.Opinion : null),
            ReasonCode = reply?.ReasonCode,
            ResponsibleBody = reply?.ResponsibleBody,
            Satisfaction = s.LastCallback?.Satisfaction,
            Adoption = reply?.Adoption,
            Steps = events.Where(e => e.Applied && e.Action is not (TicketActions.Remind or TicketActions.Escalate or TicketActions.Supervise))
                .OrderBy(e => e.Hlc, StringComparer.Ordinal).Select(e => new TrackStep(e.Action, e.AtUtc)).ToList(),
        };
    }

    /// <summary>
    /// The resident's own 回访 from the portal (one click: 满意 / 基本满意 / 不满意) with number + query code; only
    /// for tickets this node accepted that wait for a callback. False when the code is wrong or nothing waits.
    /// </summary>
    public bool ResidentCallback(string? number, string? code, string? satisfaction, string? opinion = null)
    {
        if (Track(number, code) is not { State: TicketState.Replied }) return false;
        if (satisfaction is null || !Satisfaction.All.Contains(satisfaction)) return false;
        var t = ByNumber(number!)!;
        if (t.Origin != _store.NodeId) return false;
        return _store.Transact(w =>
        {
            var s = Rules().Fold(t, Events(w, t.Id));
            if (s.State != TicketState.Replied) return false;
            var now = _time.GetUtcNow();
            w.Insert(TicketEventsTable.Name, new JsonObject
            {
                ["ticket_id"] = t.Id,
                ["ticket_origin"] = t.Origin,
                ["unit"] = s.Unit ?? t.Origin,
                ["action"] = TicketActions.Callback,
                ["node"] = _store.NodeId,
                ["actor"] = "resident",
                ["at_utc"] = TicketRules.Iso(now),
                ["satisfaction"] = satisfaction,
                ["opinion"] = Trim(opinion, 500),
            });
            if (satisfaction == Satisfaction.Unsatisfied && s.Unit is { } unit)
            {
                _notices?.Send(w, new NoticeMessage(NoticeKinds.Reminder, _text["Notice_Reopened", t.Number], Trim(opinion, 500) ?? "",
                    [unit], [], 1, "/tickets/" + t.Id, t.Id), "portal");
            }
            return true;
        });
    }

    /// <summary>Published outcomes: closed tickets whose resident agreed, personal data removed, newest first.</summary>
    public IReadOnlyList<OutcomeDto> Outcomes(int limit = 50, string? kind = null)
    {
        limit = Math.Clamp(limit, 1, 200);
        var ids = new List<string>();
        using (var conn = _store.OpenConnection())
        using (var cmd = conn.Command(
                   "SELECT e.ticket_id, MAX(e.at_utc) AS closed FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id " +
                   "WHERE e.deleted = 0 AND t.deleted = 0 AND t.is_public = 1 AND e.action IN ('callback', 'close') " +
                   (kind is null ? "" : "AND t.kind = @k ") +
                   "GROUP BY e.ticket_id ORDER BY closed DESC LIMIT @n", null,
                   kind is null ? [("@n", (long)limit * 2)] : [("@k", kind), ("@n", (long)limit * 2)]))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) ids.Add(r.GetString(0));
        }
        var events = LoadEvents(ids);
        var rules = Rules();
        var list = new List<OutcomeDto>();
        foreach (var id in ids)
        {
            if (Record(id) is not { } t) continue;
            var s = rules.Fold(t, events.GetValueOrDefault(id) ?? []);
            if (s.State != TicketState.Closed || s.LastReply is not { } reply) continue;
            list.Add(new OutcomeDto
            {
                Number = t.Number,
                Kind = t.Kind,
                Category = t.Category,
                Township = t.Township,
                AcceptedUtc = t.AcceptedUtc,
                ClosedUtc = s.ClosedUtc ?? reply.AtUtc,
                Summary = t.IsPetition ? null : Redactor.Scrub(t.Description, t),
                Reply = Redactor.Scrub(reply.Reply, t),
                ReasonCode = reply.ReasonCode ?? ReasonCodes.Resolved,
                ResponsibleBody = Redactor.Scrub(reply.ResponsibleBody, t),
                Satisfaction = s.LastCallback?.Satisfaction,
                Adoption = reply.Adoption,
            });
            if (list.Count >= limit) break;
        }
        return list;
    }

    /// <summary>Counts: by kind, petitions by channel, suggestions by adoption, callbacks by satisfaction.</summary>
    public TicketStats Stats()
    {
        var all = List(TicketBox.All, limit: 500);
        var byKind = TicketKinds.All.ToDictionary(k => k, k => all.Count(x => x.Kind == k));
        var channels = all.Where(x => x.Kind == TicketKinds.Petition).GroupBy(x => x.Channel).ToDictionary(g => g.Key, g => g.Count());
        var adoption = Adoption.All.ToDictionary(a => a, _ => 0);
        var satisfaction = Satisfaction.All.ToDictionary(a => a, _ => 0);
        var events = LoadEvents(all.Select(x => x.Id).ToList());
        var rules = Rules();
        foreach (var x in all)
        {
            if (Record(x.Id) is not { } t) continue;
            var s = rules.Fold(t, events.GetValueOrDefault(x.Id) ?? []);
            if (t.Kind == TicketKinds.Suggestion && s.LastReply?.Adoption is { } a && adoption.ContainsKey(a)) adoption[a]++;
            if (s.LastCallback?.Satisfaction is { } sat && satisfaction.ContainsKey(sat)) satisfaction[sat]++;
        }
        var now = _time.GetUtcNow();
        return new TicketStats
        {
            ByKind = byKind,
            PetitionsByChannel = channels,
            SuggestionAdoption = adoption,
            Satisfaction = satisfaction,
            Open = all.Count(x => x.State is not (TicketState.Closed or TicketState.NotAccepted)),
            Closed = all.Count(x => x.State is TicketState.Closed or TicketState.NotAccepted),
            Overdue = all.Count(x => x.Overdue),
        };
    }

    // ---------------------------------------------------------------- helpers

    public static string NewQueryCode() => new(RandomNumberGenerator.GetItems<char>(CodeAlphabet, 8));

    public static string HashCode(string ticketId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ticketId + ":" + code.Trim().ToUpperInvariant())));

    private static string DeterministicId(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    private static string SenderOf(TicketActor actor) => string.IsNullOrEmpty(actor.Username) ? "portal" : actor.Username;

    private static string? Trim(string? s, int max)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        return s.Length <= max ? s : s[..max];
    }

    private static bool IsCoordinate(string? s, double max) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= -max && v <= max;

    private OfficeValidationException Invalid(string field, string key) => new(new Dictionary<string, string[]> { [field] = [_text[key]] });

    [GeneratedRegex(@"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[1-9][0-9]{16}[0-9X]$")]
    private static partial Regex IdPattern();
}
