using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Meetings;

/// <summary>
/// Meeting rooms and meetings at this node. A meeting is a booking request of a room, owned by the node where it was
/// made. Only the room's node confirms it, inside one serialised write transaction after checking clashes against
/// confirmed meetings; a meeting made elsewhere (or offline) stays tentative until that node has decided.
/// </summary>
public sealed class MeetingService(ILocalStore store, TimeProvider time, IStringLocalizer<MeetingText> text, IServiceProvider services)
{
    public const int MaxTitleLength = 200;
    public const int MaxAgendaLength = 20_000;
    public const long MaxMaterialBytes = 10 * 1024 * 1024;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    /// <summary>A weekly series has at most this many occurrences.</summary>
    public const int MaxOccurrences = 26;

    public const int MaxIntervalWeeks = 52;

    /// <summary>The decider recorded for automatic decisions (the room's node itself).</summary>
    public const string SystemActor = "system";

    private static BookingKind Kind => MeetingTables.Kind;

    public string NodeId => store.NodeId;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The current time as this service sees it.</summary>
    public DateTimeOffset UtcNow() => time.GetUtcNow();

    private INoticeSender? Notices => services.GetService<INoticeSender>();

    // ---------------------------------------------------------------- rooms

    public RoomDto CreateRoom(RoomInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var row = store.Put(MeetingTables.Rooms, ResourceIds.New(store.NodeId, Now), RoomData(input, creating: true));
        return ToRoom(row);
    }

    public RoomDto? UpdateRoom(string id, RoomInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var existing = store.Get(MeetingTables.Rooms, id);
        if (existing is null || existing.Deleted) return null;
        if (existing.Origin != store.NodeId) throw new OfficeForbiddenException(text["Val_RoomNotOwner"]);
        var data = RoomData(input, creating: false);
        var row = store.Update(MeetingTables.Rooms, id, data);
        return row is null ? null : ToRoom(row);
    }

    public bool DeleteRoom(string id)
    {
        var existing = store.Get(MeetingTables.Rooms, id);
        if (existing is null || existing.Deleted) return false;
        if (existing.Origin != store.NodeId) throw new OfficeForbiddenException(text["Val_RoomNotOwner"]);
        return store.Delete(MeetingTables.Rooms, id);
    }

    private JsonObject RoomData(RoomInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = [text["Val_RoomNameRequired"]];
        else if (name.Length > 100) errors["name"] = [text["Val_TooLong"]];
        if (input.Capacity is < 0 or > 10_000) errors["capacity"] = [text["Val_Capacity"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var data = new JsonObject
        {
            ["name"] = name,
            ["location"] = input.Location?.Trim() ?? "",
            ["capacity"] = (long)(input.Capacity ?? 0),
            ["devices"] = input.Devices?.Trim() ?? "",
            ["needs_approval"] = input.NeedsApproval ? 1L : 0L,
        };
        if (creating) data["created_utc"] = BookingTime.Text(Now);
        return data;
    }

    public List<RoomDto> Rooms()
    {
        using var conn = store.OpenConnection();
        return BookingEngine.Select(conn, null, store.Schema[MeetingTables.Rooms], "WHERE r.deleted = 0 ORDER BY r.name, r.id")
            .Select(ToRoom).ToList();
    }

    public RoomDto? Room(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        var row = store.Get(MeetingTables.Rooms, id);
        return row is null || row.Deleted ? null : ToRoom(row);
    }

    private static RoomDto ToRoom(SyncRow row) => new()
    {
        Id = row.Id,
        Name = row.Text("name") ?? "",
        Location = row.Text("location"),
        Capacity = (int)(row.Integer("capacity") ?? 0),
        Devices = row.Text("devices"),
        NeedsApproval = row.Integer("needs_approval") is 1,
        OwnerNode = row.Origin,
    };

    // ---------------------------------------------------------------- booking

    /// <summary>
    /// Books a room. At the room's own node the clash check and the decision happen in the same transaction as the
    /// request (a clash is refused and nothing is stored); elsewhere the meeting is stored tentative.
    /// A recurrence is not booked here (see <see cref="BookSeries"/>).
    /// </summary>
    public MeetingDto Book(MeetingInput input, Actor actor)
    {
        var p = Prepare(input, actor, single: true);
        var now = Now;
        return store.Transact(w =>
        {
            var row = InsertMeeting(w, p, input.Start!.Value, input.End!.Value, actor, now, seriesId: null);
            if (p.Room.Origin == w.NodeId)
            {
                if (BookingEngine.Clashes(w.Connection, w.Transaction, Kind, p.Room.Id, row.Text("start_utc")!, row.Text("end_utc")!, row.Id).Count > 0)
                {
                    throw new OfficeValidationException(new Dictionary<string, string[]> { ["start"] = [text["Val_Clash"]] });
                }
                DecideIn(w, row.Id, actor.Username, confirm: p.Room.Integer("needs_approval") is not 1);
            }
            return ToDto(w.Connection, w.Transaction, w.Get(MeetingTables.Meetings, row.Id)!);
        });
    }

    /// <summary>
    /// Books a weekly meeting (周例会): every occurrence is its own meeting linked by a new series id. At the room's node
    /// each occurrence is clash-checked and decided on its own in one transaction: those that clash are refused (and not
    /// stored) while the others are booked; elsewhere all are stored tentative and the room's node decides each.
    /// Refused only as a whole when no occurrence can be booked. The attendees get one notice for the whole series.
    /// </summary>
    public SeriesBookingDto BookSeries(MeetingInput input, Actor actor)
    {
        var p = Prepare(input, actor, single: false);
        var occurrences = p.Occurrences;
        var now = Now;
        var seriesId = Guid.CreateVersion7(now).ToString();
        return store.Transact(w =>
        {
            var booked = new List<string>();
            var confirmed = new List<SyncRow>();
            var refused = new List<RefusedOccurrenceDto>();
            var owner = p.Room.Origin == w.NodeId;
            foreach (var (start, end) in occurrences)
            {
                if (owner && BookingEngine.Clashes(w.Connection, w.Transaction, Kind, p.Room.Id, BookingTime.Text(start), BookingTime.Text(end), null).Count > 0)
                {
                    refused.Add(new RefusedOccurrenceDto
                    {
                        Date = DateOnly.FromDateTime(BookingTime.ToChina(start)), Start = start, End = end,
                        Reason = BookingEngine.ReasonClash, ReasonText = ReasonText(BookingEngine.ReasonClash),
                    });
                    continue;
                }
                var row = InsertMeeting(w, p, start, end, actor, now, seriesId);
                if (owner && DecideQuietly(w, row.Id, actor.Username, confirm: p.Room.Integer("needs_approval") is not 1) is (BookingOutcome.Confirmed, _))
                {
                    confirmed.Add(w.Get(MeetingTables.Meetings, row.Id)!);
                }
                booked.Add(row.Id);
            }
            if (booked.Count == 0)
            {
                var dates = string.Join("、", refused.Select(r => r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                throw new OfficeValidationException(new Dictionary<string, string[]> { ["start"] = [text["Val_SeriesAllRefused", dates]] });
            }
            if (confirmed.Count == 1 && refused.Count == 0) Notify(w, confirmed[0].Id, confirmed: true, null);
            else if (confirmed.Count > 0) NotifySeries(w, confirmed, refused.Select(r => new Refusal(r.Start, r.End, r.Reason)).ToList(), confirmed[0]);
            return new SeriesBookingDto
            {
                SeriesId = seriesId,
                Booked = booked.Select(id => ToDto(w.Connection, w.Transaction, w.Get(MeetingTables.Meetings, id)!)).ToList(),
                Refused = refused,
            };
        });
    }

    /// <summary>A validated booking request: the room, the cleaned fields and the occurrences (one unless recurring).</summary>
    private sealed record Prepared(SyncRow Room, string Title, string Agenda, string Host, List<string> Attendees, List<string> Units,
        string AudienceText, List<(DateTimeOffset Start, DateTimeOffset End)> Occurrences);

    private Prepared Prepare(MeetingInput input, Actor actor, bool single)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title)) errors["title"] = [text["Val_TitleRequired"]];
        else if (title.Length > MaxTitleLength) errors["title"] = [text["Val_TooLong"]];
        if ((input.Agenda?.Length ?? 0) > MaxAgendaLength) errors["agenda"] = [text["Val_TooLong"]];
        var room = input.RoomId is { } rid && Guid.TryParse(rid, out _) ? store.Get(MeetingTables.Rooms, rid) : null;
        if (room is null || room.Deleted) errors["roomId"] = [text["Val_RoomUnknown"]];
        CheckTimes(input.Start, input.End, errors);
        var attendees = CleanList(input.Attendees);
        var units = CleanList(input.AttendeeUnits);
        if (units.FirstOrDefault(u => !NodeIds.IsValid(u)) is { } badUnit) errors["attendeeUnits"] = [text["Val_UnitUnknown", badUnit]];
        List<(DateTimeOffset, DateTimeOffset)> occurrences = [];
        if (single) occurrences = input.Start is { } s0 && input.End is { } e0 ? [(s0, e0)] : [];
        else if (input.Recurrence is null) errors["recurrence"] = [text["Val_RecurEnd"]];
        else if (input.Start is { } s && input.End is { } e) occurrences = Occurrences(s, e, input.Recurrence, errors);
        if (errors.Count > 0) throw new OfficeValidationException(errors);

        var known = UserUnits(attendees.Append(input.Host ?? "").Where(a => a.Length > 0));
        var audience = units.Concat(known.Values).Append(actor.Unit).Append(room!.Origin);
        return new Prepared(room, title!, input.Agenda ?? "", string.IsNullOrWhiteSpace(input.Host) ? actor.Username : input.Host.Trim(),
            attendees, units, Audience.Encode(audience), occurrences);
    }

    private static List<string> CleanList(IEnumerable<string>? items) =>
        (items ?? []).Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private SyncRow InsertMeeting(ILocalWrite w, Prepared p, DateTimeOffset start, DateTimeOffset end, Actor actor, DateTimeOffset now, string? seriesId)
    {
        var data = new JsonObject
        {
            ["resource_id"] = p.Room.Id,
            ["resource_node"] = p.Room.Origin,
            ["start_utc"] = BookingTime.Text(start),
            ["end_utc"] = BookingTime.Text(end),
            ["requested_by"] = actor.Username,
            ["requested_utc"] = BookingTime.Text(now),
            ["cancelled"] = 0L,
            ["audience"] = p.AudienceText,
            ["title"] = p.Title,
            ["agenda"] = p.Agenda,
            ["host"] = p.Host,
            ["attendees"] = Audience.Encode(p.Attendees),
            ["attendee_units"] = Audience.Encode(p.Units),
            ["sequence"] = 0L,
            ["updated_utc"] = BookingTime.Text(now),
        };
        if (seriesId is not null) data["series_id"] = seriesId;
        return w.Insert(MeetingTables.Meetings, data);
    }

    /// <summary>
    /// The occurrences of a weekly recurrence starting with [start, end): every <c>IntervalWeeks</c> weeks (China time
    /// has no daylight saving, so the weekday and wall-clock time stay), until the given day or count, at most
    /// <see cref="MaxOccurrences"/>. Problems are added to <paramref name="errors"/>.
    /// </summary>
    public List<(DateTimeOffset Start, DateTimeOffset End)> Occurrences(DateTimeOffset start, DateTimeOffset end, RecurrenceInput recurrence,
        Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (recurrence.IntervalWeeks is < 1 or > MaxIntervalWeeks) errors["recurrence.intervalWeeks"] = [text["Val_RecurInterval", MaxIntervalWeeks]];
        if ((recurrence.Count is null) == (recurrence.Until is null)) errors["recurrence"] = [text["Val_RecurEnd"]];
        if (recurrence.Count is < 1 or > MaxOccurrences) errors["recurrence.count"] = [text["Val_RecurCount", MaxOccurrences]];
        var firstDay = DateOnly.FromDateTime(BookingTime.ToChina(start));
        if (recurrence.Until is { } until && until < firstDay) errors["recurrence.until"] = [text["Val_RecurUntil"]];
        if (errors.Count > before) return [];
        var step = TimeSpan.FromDays(7 * recurrence.IntervalWeeks);
        var list = new List<(DateTimeOffset, DateTimeOffset)>();
        for (var i = 0; ; i++)
        {
            var s = start + step * i;
            if (recurrence.Count is { } count && i >= count) break;
            if (recurrence.Until is { } u && DateOnly.FromDateTime(BookingTime.ToChina(s)) > u) break;
            if (list.Count == MaxOccurrences)
            {
                errors["recurrence.until"] = [text["Val_RecurTooMany", MaxOccurrences]];
                return [];
            }
            list.Add((s, end + step * i));
        }
        return list;
    }

    private void CheckTimes(DateTimeOffset? start, DateTimeOffset? end, Dictionary<string, string[]> errors)
    {
        if (start is null) errors["start"] = [text["Val_StartRequired"]];
        if (end is null) errors["end"] = [text["Val_EndRequired"]];
        if (start is { } s && end is { } e)
        {
            if (e <= s) errors["end"] = [text["Val_EndBeforeStart"]];
            else if (e - s > MaxDuration) errors["end"] = [text["Val_TooLongMeeting"]];
        }
    }

    /// <summary>Decides one meeting inside <paramref name="w"/> at the room's node and sends the notices.</summary>
    private BookingOutcome? DecideIn(ILocalWrite w, string meetingId, string by, bool confirm)
    {
        if (DecideQuietly(w, meetingId, by, confirm) is not { } r) return null;
        if (r.Outcome != BookingOutcome.LeftPending) Notify(w, meetingId, r.Outcome == BookingOutcome.Confirmed, r.Reason);
        return r.Outcome;
    }

    /// <summary>Decides one meeting inside <paramref name="w"/> at the room's node without sending notices (the caller sends them).</summary>
    private (BookingOutcome Outcome, string? Reason)? DecideQuietly(ILocalWrite w, string meetingId, string by, bool confirm) =>
        BookingEngine.Decide(w, store, Kind, meetingId, by, Now, confirm) is { } r ? (r.Outcome, r.Decision?.Text("reason")) : null;

    /// <summary>An occurrence of a series that was not booked: its times and the (stored) decline reason.</summary>
    private sealed record Refusal(DateTimeOffset Start, DateTimeOffset End, string? Reason);

    /// <summary>A meeting decided by <see cref="ProcessPending"/>, whose notice is sent in the same transaction.</summary>
    private sealed record Decided(string MeetingId, string? SeriesId, bool Confirmed, string? Reason);

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    private void Notify(ILocalWrite w, string meetingId, bool confirmed, string? reason)
    {
        if (Notices is not { } sender) return;
        var m = w.Get(MeetingTables.Meetings, meetingId)!;
        var room = w.Get(MeetingTables.Rooms, m.Text("resource_id") ?? "");
        var when = ChinaTime.Format(BookingTime.Parse(m.Text("start_utc")), System.Globalization.CultureInfo.GetCultureInfo("zh-CN"));
        if (confirmed)
        {
            var users = Audience.Decode(m.Text("attendees")).Append(m.Text("host") ?? "").Append(m.Text("requested_by") ?? "")
                .Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var body = text["Notice_MeetingBody", when, room?.Text("name") ?? "", m.Text("agenda") ?? ""].Value;
            var clashes = FindPersonClashes(w.Connection, w.Transaction, PeopleOf(m), [(BookingTime.Parse(m.Text("start_utc")), BookingTime.Parse(m.Text("end_utc")))], m.Id);
            if (clashes.Count > 0) body += " " + text["Notice_PersonClashes", string.Join("；", clashes.Select(c => c.Message))];
            sender.Send(w, new NoticeMessage(NoticeKinds.Reminder, text["Notice_MeetingTitle", m.Text("title") ?? ""], body,
                Audience.Decode(m.Text("attendee_units")), users, Link: $"/meetings/{meetingId}", SourceId: meetingId), SystemActor);
        }
        else
        {
            sender.Send(w, new NoticeMessage(NoticeKinds.Notice, text["Notice_DeclinedTitle", m.Text("title") ?? ""],
                text["Notice_DeclinedBody", when, room?.Text("name") ?? "", ReasonText(reason)],
                [], [m.Text("requested_by") ?? ""], Link: $"/meetings/{meetingId}", SourceId: meetingId), SystemActor);
        }
    }

    public string ReasonText(string? reason) => reason switch
    {
        null or "" => "",
        BookingEngine.ReasonClash => text["Reason_Clash"],
        BookingEngine.ReasonUnavailable => text["Reason_Unavailable"],
        _ => reason,
    };

    /// <summary>
    /// Decides the pending meetings of this node's rooms, first come first served by request time: declines those that
    /// clash with a confirmed meeting, confirms the rest unless the room needs a dispatcher's approval.
    /// Returns how many were decided. Run by <see cref="BookingProcessor"/> for meetings arriving by sync.
    /// A meeting is decided in its own transaction with its notice; the occurrences of a series (周例会) pending together
    /// are decided in one transaction with one notice for the series.
    /// </summary>
    public int ProcessPending()
    {
        List<SyncRow> pending;
        using (var conn = store.OpenConnection()) pending = BookingEngine.Pending(conn, null, store, Kind, store.NodeId);
        static string? SeriesOf(SyncRow r) => r.Text("series_id") is { Length: > 0 } s ? s : null;
        var decided = 0;
        // In request order. The occurrences of a series share one request time, so they are decided together, at the
        // place of the first, in one transaction with their single notice: a decision is never stored without its notice.
        var groups = new List<List<SyncRow>>();
        var bySeries = new Dictionary<string, List<SyncRow>>(StringComparer.Ordinal);
        foreach (var request in pending)
        {
            if (SeriesOf(request) is { } series)
            {
                if (bySeries.TryGetValue(series, out var members))
                {
                    members.Add(request);
                    continue;
                }
                bySeries[series] = members = [request];
                groups.Add(members);
            }
            else
            {
                groups.Add([request]);
            }
        }
        foreach (var group in groups)
        {
            decided += store.Transact(w =>
            {
                var list = new List<Decided>();
                foreach (var request in group)
                {
                    var room = w.Get(MeetingTables.Rooms, request.Text("resource_id") ?? "");
                    if (DecideQuietly(w, request.Id, SystemActor, confirm: room?.Integer("needs_approval") is not 1) is
                        { Outcome: BookingOutcome.Confirmed or BookingOutcome.Declined } r)
                    {
                        list.Add(new Decided(request.Id, SeriesOf(request), r.Outcome == BookingOutcome.Confirmed, r.Reason));
                    }
                }
                return list.Count == 0 ? 0 : NotifyDecided(w, list);
            });
        }
        return decided;
    }

    /// <summary>The notices of decisions made together: one per series for its occurrences, else one per meeting.</summary>
    private int NotifyDecided(ILocalWrite w, List<Decided> decided)
    {
        foreach (var group in decided.GroupBy(d => d.SeriesId ?? d.MeetingId, StringComparer.Ordinal))
        {
            var list = group.ToList();
            if (list.Count == 1)
            {
                Notify(w, list[0].MeetingId, list[0].Confirmed, list[0].Reason);
                continue;
            }
            var rows = list.Select(d => (Decided: d, Row: w.Get(MeetingTables.Meetings, d.MeetingId)!)).OrderBy(x => x.Row.Text("start_utc"), StringComparer.Ordinal).ToList();
            var confirmed = rows.Where(x => x.Decided.Confirmed).Select(x => x.Row).ToList();
            var refused = rows.Where(x => !x.Decided.Confirmed)
                .Select(x => new Refusal(BookingTime.Parse(x.Row.Text("start_utc")), BookingTime.Parse(x.Row.Text("end_utc")), x.Decided.Reason)).ToList();
            NotifySeries(w, confirmed, refused, confirmed.FirstOrDefault() ?? rows[0].Row);
        }
        return decided.Count;
    }

    /// <summary>A dispatcher at the room's node confirms (clash-checked in the same transaction) or declines a meeting.</summary>
    public MeetingDto Decide(string id, bool confirm, string? reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return store.Transact(w =>
        {
            var m = w.Get(MeetingTables.Meetings, id);
            if (m is null || m.Deleted) throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Mtg_NotFound"]] });
            var room = w.Get(MeetingTables.Rooms, m.Text("resource_id") ?? "");
            if (room is null || room.Origin != w.NodeId) throw new OfficeForbiddenException(text["Val_RoomNotOwner"]);
            if (m.Integer("cancelled") is 1 || BookingEngine.DecisionOf(w.Connection, w.Transaction, store, Kind, id) is not null)
            {
                throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_AlreadyDecided"]] });
            }
            if (confirm)
            {
                if (BookingEngine.Clashes(w.Connection, w.Transaction, Kind, room.Id, m.Text("start_utc")!, m.Text("end_utc")!, id).Count > 0)
                {
                    throw new OfficeValidationException(new Dictionary<string, string[]> { ["start"] = [text["Val_Clash"]] });
                }
                BookingEngine.WriteDecision(w, Kind, m, BookingEngine.Confirmed, null, actor.Username, Now, null);
            }
            else
            {
                BookingEngine.WriteDecision(w, Kind, m, BookingEngine.Declined, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), actor.Username, Now, null);
            }
            Notify(w, id, confirm, reason);
            return ToDto(w.Connection, w.Transaction, w.Get(MeetingTables.Meetings, id)!);
        });
    }

    /// <summary>
    /// Cancels a meeting (at the node where it was made, by its requester, host or a dispatcher); with
    /// <paramref name="following"/> also the later occurrences of its series (周例会, "this and following").
    /// </summary>
    public MeetingDto? Cancel(string id, Actor actor, bool dispatcher, bool following = false)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return store.Transact(w =>
        {
            var m = w.Get(MeetingTables.Meetings, id);
            if (m is null || m.Deleted) return null;
            var toNotify = new List<SyncRow>();
            var row = CancelIn(w, m, actor, dispatcher, toNotify);
            if (following && m.Text("series_id") is { Length: > 0 } series)
            {
                var later = BookingEngine.Select(w.Connection, w.Transaction, store.Schema[MeetingTables.Meetings],
                    "WHERE r.series_id = @s AND r.start_utc > @start AND r.origin = @node AND r.deleted = 0 AND COALESCE(r.cancelled, 0) = 0 ORDER BY r.start_utc",
                    ("@s", series), ("@start", m.Text("start_utc")), ("@node", w.NodeId));
                foreach (var next in later) CancelIn(w, next, actor, dispatcher, toNotify);
            }
            if (toNotify.Count == 1) NotifyCancelled(w, toNotify[0], actor);
            else if (toNotify.Count > 1) NotifySeriesCancelled(w, toNotify, actor);
            return ToDto(w.Connection, w.Transaction, row);
        });
    }

    /// <summary>Cancels one meeting; a confirmed one is added to <paramref name="toNotify"/> for its cancellation notice.</summary>
    private SyncRow CancelIn(ILocalWrite w, SyncRow m, Actor actor, bool dispatcher, List<SyncRow> toNotify)
    {
        if (m.Origin != w.NodeId) throw new OfficeForbiddenException(text["Val_NotOrigin"]);
        if (!dispatcher && m.Text("requested_by") != actor.Username && m.Text("host") != actor.Username)
        {
            throw new OfficeForbiddenException(text["Val_NotOrganiser"]);
        }
        if (m.Integer("cancelled") is 1) return m;
        var id = m.Id;
        var wasConfirmed = BookingEngine.DecisionOf(w.Connection, w.Transaction, store, Kind, id)?.Text("status") == BookingEngine.Confirmed;
        var row = w.Update(MeetingTables.Meetings, id, new JsonObject
        {
            ["cancelled"] = 1L,
            ["sequence"] = (m.Integer("sequence") ?? 0) + 1,
            ["updated_utc"] = BookingTime.Text(Now),
        })!;
        if (wasConfirmed) toNotify.Add(m);
        return row;
    }

    private void NotifyCancelled(ILocalWrite w, SyncRow m, Actor actor)
    {
        if (Notices is not { } sender) return;
        var users = Audience.Decode(m.Text("attendees")).Append(m.Text("host") ?? "").Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        sender.Send(w, new NoticeMessage(NoticeKinds.Notice, text["Notice_CancelledTitle", m.Text("title") ?? ""], text["Notice_CancelledBody"],
            Audience.Decode(m.Text("attendee_units")), users, Link: $"/meetings/{m.Id}", SourceId: m.Id), actor.Username);
    }

    /// <summary>One cancellation notice for occurrences of a series cancelled together ("this and following"), listing their dates.</summary>
    private void NotifySeriesCancelled(ILocalWrite w, List<SyncRow> cancelled, Actor actor)
    {
        if (Notices is not { } sender) return;
        using var culture = CultureScope.Use(Chinese);
        var ordered = cancelled.OrderBy(m => m.Text("start_utc"), StringComparer.Ordinal).ToList();
        var first = ordered[0];
        var users = ordered.SelectMany(m => Audience.Decode(m.Text("attendees")).Append(m.Text("host") ?? ""))
            .Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var units = ordered.SelectMany(m => Audience.Decode(m.Text("attendee_units"))).Distinct(StringComparer.Ordinal).ToList();
        var body = text["Notice_SeriesCancelledBody", DatesText(ordered.Select(Times).ToList())].Value;
        sender.Send(w, new NoticeMessage(NoticeKinds.Notice, text["Notice_SeriesCancelledTitle", first.Text("title") ?? "", ordered.Count], body,
            units, users, Link: $"/meetings/{first.Id}", SourceId: first.Id), actor.Username);
    }

    private static (DateTimeOffset Start, DateTimeOffset End) Times(SyncRow m) =>
        (BookingTime.Parse(m.Text("start_utc")), BookingTime.Parse(m.Text("end_utc")));

    /// <summary>
    /// One notice for several occurrences of a series decided together: to the attendees (as for one meeting) listing
    /// the booked dates and the refused ones with their reasons, the person clashes summarised once; when none was
    /// booked, to the requester only. Links to the first booked occurrence (<paramref name="about"/>).
    /// </summary>
    private void NotifySeries(ILocalWrite w, List<SyncRow> confirmed, List<Refusal> refused, SyncRow about)
    {
        if (Notices is not { } sender) return;
        using var culture = CultureScope.Use(Chinese);
        var room = w.Get(MeetingTables.Rooms, about.Text("resource_id") ?? "")?.Text("name") ?? "";
        var title = about.Text("title") ?? "";
        var refusedText = string.Join("；", refused.OrderBy(r => r.Start).GroupBy(r => ReasonText(r.Reason), StringComparer.Ordinal)
            .Select(g => text["Notice_SeriesRefusedDates", DatesText(g.Select(r => (r.Start, r.End)).ToList()), g.Key].Value));
        if (confirmed.Count == 0)
        {
            sender.Send(w, new NoticeMessage(NoticeKinds.Notice, text["Notice_SeriesDeclinedTitle", title, refused.Count],
                text["Notice_SeriesDeclinedBody", room, refusedText], [], [about.Text("requested_by") ?? ""], Link: $"/meetings/{about.Id}", SourceId: about.Id),
                SystemActor);
            return;
        }
        var users = Audience.Decode(about.Text("attendees")).Append(about.Text("host") ?? "").Append(about.Text("requested_by") ?? "")
            .Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var windows = confirmed.Select(Times).ToList();
        var body = text["Notice_MeetingBody", DatesText(windows), room, about.Text("agenda") ?? ""].Value;
        if (refused.Count > 0) body += " " + text["Notice_SeriesRefused", refusedText];
        var own = confirmed.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var clashes = FindPersonClashes(w.Connection, w.Transaction, PeopleOf(about), windows, null).Where(c => !own.Contains(c.MeetingId)).ToList();
        if (clashes.Count > 0) body += " " + text["Notice_PersonClashes", string.Join("；", clashes.Select(c => c.Message))];
        sender.Send(w, new NoticeMessage(NoticeKinds.Reminder, text["Notice_SeriesTitle", title, confirmed.Count], body,
            Audience.Decode(about.Text("attendee_units")), users, Link: $"/meetings/{about.Id}", SourceId: about.Id), SystemActor);
    }

    /// <summary>
    /// The dates of occurrences in China time with their common time of day ("12月1日、12月8日 09:00–11:00"); an
    /// occurrence over several days is written out in full.
    /// </summary>
    private string DatesText(List<(DateTimeOffset Start, DateTimeOffset End)> windows)
    {
        var inv = CultureInfo.InvariantCulture;
        string Day(DateTimeOffset t) => text["Notice_SeriesDate", t.Month, t.Day].Value;
        var china = windows.OrderBy(x => x.Start).Select(x => (Start: BookingTime.ToChina(x.Start), End: BookingTime.ToChina(x.End))).ToList();
        if (china.Count == 0) return "";
        var first = china[0];
        var sameTimes = china.All(x => x.Start.Date == x.End.Date && x.Start.TimeOfDay == first.Start.TimeOfDay && x.End.TimeOfDay == first.End.TimeOfDay);
        if (sameTimes)
        {
            return $"{string.Join("、", china.Select(x => Day(x.Start)))} {first.Start.ToString("HH:mm", inv)}–{first.End.ToString("HH:mm", inv)}";
        }
        return string.Join("、", china.Select(x => $"{Day(x.Start)} {x.Start.ToString("HH:mm", inv)}–{Day(x.End)} {x.End.ToString("HH:mm", inv)}"));
    }

    // ---------------------------------------------------------------- reads

    public MeetingDto? Get(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        using var conn = store.OpenConnection();
        var row = RowIo.Get(conn, null, store.Schema[MeetingTables.Meetings], id);
        return row is null || row.Deleted ? null : ToDto(conn, null, row);
    }

    public MeetingDetail? Detail(string id)
    {
        var m = Get(id);
        if (m is null) return null;
        using var conn = store.OpenConnection();
        var attendance = AttendanceOf(conn, id);
        var materials = BookingEngine.Select(conn, null, store.Schema[MeetingTables.Materials],
                "WHERE r.meeting_id = @m AND r.deleted = 0 ORDER BY r.uploaded_utc, r.id", ("@m", id))
            .Select(r => ToMaterial(r, m.ClosedUtc is not null)).ToList();
        return new MeetingDetail { Meeting = m, Attendance = attendance, Materials = materials, Stats = StatsOf(m, attendance) };
    }

    /// <summary>Meetings overlapping [from, to) (any when null), optionally only those of one user (invited, host or requester).</summary>
    public List<MeetingDto> List(DateTimeOffset? from = null, DateTimeOffset? to = null, string? username = null, string? unit = null,
        bool includeCancelled = false)
    {
        var where = new StringBuilder("r.deleted = 0");
        var args = new List<(string, object?)>();
        if (!includeCancelled) where.Append(" AND COALESCE(r.cancelled, 0) = 0");
        if (from is { } f)
        {
            where.Append(" AND r.end_utc > @from");
            args.Add(("@from", BookingTime.Text(f)));
        }
        if (to is { } t)
        {
            where.Append(" AND r.start_utc < @to");
            args.Add(("@to", BookingTime.Text(t)));
        }
        if (username is not null)
        {
            where.Append(" AND (r.host = @u OR r.requested_by = @u OR r.attendees LIKE @ul ESCAPE '\\'");
            args.Add(("@u", username));
            args.Add(("@ul", "%|" + EscapeLike(username) + "|%"));
            if (unit is not null)
            {
                where.Append(" OR r.attendee_units LIKE @unl ESCAPE '\\'");
                args.Add(("@unl", "%|" + EscapeLike(unit) + "|%"));
            }
            where.Append(')');
        }
        using var conn = store.OpenConnection();
        var rows = BookingEngine.Select(conn, null, store.Schema[MeetingTables.Meetings], $"WHERE {where} ORDER BY r.start_utc, r.id", [.. args]);
        var decisions = BookingEngine.DecisionsWhere(conn, null, store, Kind, where.ToString(), [.. args]);
        var rooms = RoomNames(conn);
        return rows.Select(r => ToDto(r, decisions.GetValueOrDefault(r.Id), rooms)).ToList();
    }

    /// <summary>Meetings of this node's rooms waiting for a dispatcher.</summary>
    public List<MeetingDto> AwaitingApproval()
    {
        List<SyncRow> pending;
        Dictionary<string, string> rooms;
        using (var conn = store.OpenConnection())
        {
            pending = BookingEngine.Pending(conn, null, store, Kind, store.NodeId);
            rooms = RoomNames(conn);
        }
        return pending.Select(r => ToDto(r, null, rooms)).ToList();
    }

    /// <summary>The occurrences of a series (周例会) known at this node, by start time.</summary>
    public List<MeetingDto> Series(string seriesId)
    {
        using var conn = store.OpenConnection();
        var where = "r.deleted = 0 AND r.series_id = @s";
        var rows = BookingEngine.Select(conn, null, store.Schema[MeetingTables.Meetings], $"WHERE {where} ORDER BY r.start_utc, r.id", ("@s", seriesId));
        var decisions = BookingEngine.DecisionsWhere(conn, null, store, Kind, where, ("@s", seriesId));
        var rooms = RoomNames(conn);
        return rows.Select(r => ToDto(r, decisions.GetValueOrDefault(r.Id), rooms)).ToList();
    }

    // ---------------------------------------------------------------- person clashes (人员冲突)

    /// <summary>
    /// People of a stored meeting (attendees and host) who have another meeting overlapping it, from every meeting this
    /// node knows (meetings replicate to their attendees' units). Null for an unknown meeting; empty when the meeting
    /// is cancelled or declined. A warning only.
    /// </summary>
    public List<PersonClashDto>? PersonClashes(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        using var conn = store.OpenConnection();
        var row = RowIo.Get(conn, null, store.Schema[MeetingTables.Meetings], id);
        if (row is null || row.Deleted) return null;
        if (BookingEngine.StatusOf(row, BookingEngine.DecisionOf(conn, null, store, Kind, id)) is BookingStatus.Cancelled or BookingStatus.Declined) return [];
        return FindPersonClashes(conn, null, PeopleOf(row), [(BookingTime.Parse(row.Text("start_utc")), BookingTime.Parse(row.Text("end_utc")))], id);
    }

    /// <summary>
    /// Person clashes of a meeting about to be booked (every occurrence when it recurs), for the booking form and
    /// <c>POST /api/meetings/clashes</c>. Incomplete or invalid times give no clashes; an invalid recurrence checks the first occurrence.
    /// </summary>
    public List<PersonClashDto> CheckPersonClashes(MeetingInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (input.Start is not { } start || input.End is not { } end || end <= start || end - start > MaxDuration) return [];
        List<(DateTimeOffset, DateTimeOffset)> windows = [(start, end)];
        if (input.Recurrence is { } recurrence && Occurrences(start, end, recurrence, []) is { Count: > 0 } all) windows = all;
        var people = CleanList((input.Attendees ?? []).Append(string.IsNullOrWhiteSpace(input.Host) ? actor.Username : input.Host));
        using var conn = store.OpenConnection();
        return FindPersonClashes(conn, null, people, windows, null);
    }

    private static List<string> PeopleOf(SyncRow meeting) =>
        CleanList(Audience.Decode(meeting.Text("attendees")).Append(meeting.Text("host") ?? ""));

    private List<PersonClashDto> FindPersonClashes(DbConnection conn, DbTransaction? tx, IReadOnlyList<string> people,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> windows, string? exceptId)
    {
        var found = new List<PersonClashDto>();
        if (people.Count == 0 || windows.Count == 0) return found;
        var seen = new HashSet<(string, string)>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var rooms = RoomNames(conn, tx);
        const string Where = "r.deleted = 0 AND COALESCE(r.cancelled, 0) = 0 AND r.start_utc < @end AND r.end_utc > @start AND r.id <> @skip";
        foreach (var (start, end) in windows)
        {
            (string, object?)[] args = [("@start", BookingTime.Text(start)), ("@end", BookingTime.Text(end)), ("@skip", exceptId ?? "")];
            var rows = BookingEngine.Select(conn, tx, store.Schema[MeetingTables.Meetings], $"WHERE {Where} ORDER BY r.start_utc, r.id", args);
            if (rows.Count == 0) continue;
            var decisions = BookingEngine.DecisionsWhere(conn, tx, store, Kind, Where, args);
            foreach (var other in rows)
            {
                var status = BookingEngine.StatusOf(other, decisions.GetValueOrDefault(other.Id));
                if (status is BookingStatus.Cancelled or BookingStatus.Declined) continue;
                var otherPeople = PeopleOf(other);
                foreach (var person in people.Where(otherPeople.Contains))
                {
                    if (!seen.Add((person, other.Id))) continue;
                    if (!names.TryGetValue(person, out var name))
                    {
                        name = conn.ScalarString("SELECT display_name FROM users WHERE username = @u AND deleted = 0", tx, ("@u", person)) is { Length: > 0 } n ? n : person;
                        names[person] = name;
                    }
                    var otherStart = BookingTime.Parse(other.Text("start_utc"));
                    var otherEnd = BookingTime.Parse(other.Text("end_utc"));
                    var span = ClashSpan(otherStart, otherEnd, windows.Count > 1 ? null : DateOnly.FromDateTime(BookingTime.ToChina(start)));
                    found.Add(new PersonClashDto
                    {
                        Username = person, DisplayName = name, MeetingId = other.Id, Title = other.Text("title") ?? "",
                        RoomName = rooms.GetValueOrDefault(other.Text("resource_id") ?? "") ?? "", Start = otherStart, End = otherEnd, Status = status,
                        Message = text["Clash_Person", name, other.Text("title") ?? "", span],
                    });
                }
            }
        }
        return found.OrderBy(c => c.Start).ThenBy(c => c.Username, StringComparer.Ordinal).ToList();
    }

    /// <summary>"09:00–11:00" in China time; with the date when it is not <paramref name="day"/> (or no single day is meant).</summary>
    private static string ClashSpan(DateTimeOffset start, DateTimeOffset end, DateOnly? day)
    {
        var s = BookingTime.ToChina(start);
        var e = BookingTime.ToChina(end);
        var inv = CultureInfo.InvariantCulture;
        if (s.Date != e.Date) return $"{s.ToString("yyyy-MM-dd HH:mm", inv)}–{e.ToString("yyyy-MM-dd HH:mm", inv)}";
        var time = $"{s.ToString("HH:mm", inv)}–{e.ToString("HH:mm", inv)}";
        return day == DateOnly.FromDateTime(s) ? time : $"{s.ToString("yyyy-MM-dd", inv)} {time}";
    }

    private static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private Dictionary<string, string> RoomNames(DbConnection conn, DbTransaction? tx = null) =>
        BookingEngine.Select(conn, tx, store.Schema[MeetingTables.Rooms], "").ToDictionary(r => r.Id, r => r.Text("name") ?? "", StringComparer.Ordinal);

    private MeetingDto ToDto(DbConnection conn, DbTransaction? tx, SyncRow row)
    {
        var decision = BookingEngine.DecisionOf(conn, tx, store, Kind, row.Id);
        var room = RowIo.Get(conn, tx, store.Schema[MeetingTables.Rooms], row.Text("resource_id") ?? "");
        return ToDto(row, decision, new Dictionary<string, string> { [row.Text("resource_id") ?? ""] = room?.Text("name") ?? "" });
    }

    private static MeetingDto ToDto(SyncRow row, SyncRow? decision, IReadOnlyDictionary<string, string> rooms) => new()
    {
        Id = row.Id,
        Title = row.Text("title") ?? "",
        RoomId = row.Text("resource_id") ?? "",
        RoomName = rooms.GetValueOrDefault(row.Text("resource_id") ?? "") ?? "",
        RoomNode = row.Text("resource_node") ?? "",
        Start = BookingTime.Parse(row.Text("start_utc")),
        End = BookingTime.Parse(row.Text("end_utc")),
        Agenda = row.Text("agenda"),
        Host = row.Text("host"),
        Attendees = Audience.Decode(row.Text("attendees")),
        AttendeeUnits = Audience.Decode(row.Text("attendee_units")),
        RequestedBy = row.Text("requested_by") ?? "",
        RequestedUtc = BookingTime.Parse(row.Text("requested_utc")),
        OriginNode = row.Origin,
        Status = BookingEngine.StatusOf(row, decision),
        DeclineReason = decision?.Text("status") == BookingEngine.Declined ? decision.Text("reason") : null,
        DecidedBy = decision?.Text("decided_by"),
        MinutesDocId = row.Text("minutes_doc_id"),
        ClosedUtc = BookingTime.ParseOrNull(row.Text("closed_utc")),
        Sequence = (int)(row.Integer("sequence") ?? 0),
        SeriesId = row.Text("series_id") is { Length: > 0 } series ? series : null,
    };

    /// <summary>The units of the named staff known at this node.</summary>
    private Dictionary<string, string> UserUnits(IEnumerable<string> usernames)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        using var conn = store.OpenConnection();
        foreach (var u in usernames.Distinct(StringComparer.Ordinal))
        {
            if (conn.ScalarString("SELECT unit FROM users WHERE username = @u AND deleted = 0", null, ("@u", u)) is { } unit) map[u] = unit;
        }
        return map;
    }

    /// <summary>Staff this node knows (username → display name), for the attendee picker.</summary>
    public Dictionary<string, string> KnownStaff()
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var conn = store.OpenConnection();
        using var cmd = conn.Command("SELECT username, display_name FROM users WHERE deleted = 0", null);
        using var r = cmd.ExecuteReader();
        while (r.Read()) map[r.GetString(0)] = r.GetString(1);
        return new Dictionary<string, string>(map, StringComparer.Ordinal);
    }

    // ---------------------------------------------------------------- attendance

    /// <summary>Registers (accept), asks for leave (with a reason) or signs in, as an append-only record.</summary>
    public AttendanceDto Respond(string meetingId, string? kind, string? reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var m = Get(meetingId) ?? throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Mtg_NotFound"]] });
        if (kind is not (MeetingTables.Accept or MeetingTables.Leave or MeetingTables.SignIn))
        {
            throw new OfficeValidationException(new Dictionary<string, string[]> { ["kind"] = [text["Val_KindUnknown"]] });
        }
        if (m.Status is BookingStatus.Cancelled or BookingStatus.Declined)
        {
            throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_MeetingNotOn"]] });
        }
        if (kind == MeetingTables.Leave && string.IsNullOrWhiteSpace(reason))
        {
            throw new OfficeValidationException(new Dictionary<string, string[]> { ["reason"] = [text["Val_LeaveReason"]] });
        }
        var now = Now;
        if (kind == MeetingTables.SignIn && (now < m.Start - TimeSpan.FromHours(2) || now > m.End))
        {
            throw new OfficeValidationException(new Dictionary<string, string[]> { ["kind"] = [text["Val_SignInWindow"]] });
        }
        var source = store.Get(MeetingTables.Meetings, meetingId)!;
        var row = store.Insert(MeetingTables.Attendance, new JsonObject
        {
            ["meeting_id"] = meetingId,
            ["username"] = actor.Username,
            ["display_name"] = actor.DisplayName,
            ["kind"] = kind,
            ["reason"] = reason?.Trim() ?? "",
            ["at_utc"] = BookingTime.Text(now),
            ["audience"] = Audience.Encode(Audience.Decode(source.Text("audience")).Append(source.Origin).Append(m.RoomNode)),
        });
        return ToAttendance(row);
    }

    private List<AttendanceDto> AttendanceOf(DbConnection conn, string meetingId) =>
        BookingEngine.Select(conn, null, store.Schema[MeetingTables.Attendance], "WHERE r.meeting_id = @m AND r.deleted = 0 ORDER BY r.at_utc, r.id",
            ("@m", meetingId)).Select(ToAttendance).ToList();

    private static AttendanceDto ToAttendance(SyncRow r) => new()
    {
        Username = r.Text("username") ?? "",
        DisplayName = r.Text("display_name"),
        Kind = r.Text("kind") ?? "",
        Reason = r.Text("reason"),
        At = BookingTime.Parse(r.Text("at_utc")),
    };

    /// <summary>Per person the latest of accept/leave counts; a sign-in counts as present whatever came before.</summary>
    public static AttendanceStats StatsOf(MeetingDto m, IReadOnlyList<AttendanceDto> attendance)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(attendance);
        var people = m.Attendees.Concat(attendance.Select(a => a.Username)).Distinct(StringComparer.Ordinal).ToList();
        var signedIn = attendance.Where(a => a.Kind == MeetingTables.SignIn).Select(a => a.Username).ToHashSet(StringComparer.Ordinal);
        var latest = attendance.Where(a => a.Kind != MeetingTables.SignIn).GroupBy(a => a.Username, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Kind, StringComparer.Ordinal);
        return new AttendanceStats
        {
            Invited = people.Count,
            Accepted = latest.Count(l => l.Value == MeetingTables.Accept),
            OnLeave = latest.Count(l => l.Value == MeetingTables.Leave && !signedIn.Contains(l.Key)),
            SignedIn = signedIn.Count,
            Rate = people.Count == 0 ? 0 : Math.Round(signedIn.Count / (double)people.Count, 3),
        };
    }

    /// <summary>Attendance statistics of the meetings held in [from, to).</summary>
    public List<(MeetingDto Meeting, AttendanceStats Stats)> Statistics(DateTimeOffset from, DateTimeOffset to)
    {
        var meetings = List(from, to).Where(m => m.Status == BookingStatus.Confirmed).ToList();
        using var conn = store.OpenConnection();
        return meetings.Select(m => (m, StatsOf(m, AttendanceOf(conn, m.Id)))).ToList();
    }

    // ---------------------------------------------------------------- materials, closing, minutes

    public MaterialDto AddMaterial(string meetingId, MaterialInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var m = Get(meetingId) ?? throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Mtg_NotFound"]] });
        if (m.ClosedUtc is not null) throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_Closed"]] });
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors["name"] = [text["Val_FileName"]];
        byte[] bytes = [];
        try
        {
            bytes = Convert.FromBase64String(input.Data ?? "");
        }
        catch (FormatException)
        {
            errors["data"] = [text["Val_Base64"]];
        }
        if (bytes.Length == 0 && !errors.ContainsKey("data")) errors["data"] = [text["Val_FileEmpty"]];
        if (bytes.Length > MaxMaterialBytes) errors["data"] = [text["Val_FileTooLarge"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var source = store.Get(MeetingTables.Meetings, meetingId)!;
        var row = store.Insert(MeetingTables.Materials, new JsonObject
        {
            ["meeting_id"] = meetingId,
            ["name"] = name,
            ["content_type"] = string.IsNullOrWhiteSpace(input.ContentType) ? "application/octet-stream" : input.ContentType,
            ["size"] = (long)bytes.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ["data"] = Convert.ToBase64String(bytes),
            ["uploaded_by"] = actor.Username,
            ["uploaded_utc"] = BookingTime.Text(Now),
            ["archived"] = 0L,
            ["audience"] = Audience.Encode(Audience.Decode(source.Text("audience")).Append(source.Origin).Append(m.RoomNode)),
        });
        return ToMaterial(row, false);
    }

    public (MaterialDto Info, byte[] Data)? Material(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        var row = store.Get(MeetingTables.Materials, id);
        if (row is null || row.Deleted) return null;
        var closed = Get(row.Text("meeting_id") ?? "")?.ClosedUtc is not null;
        return (ToMaterial(row, closed), Convert.FromBase64String(row.Text("data") ?? ""));
    }

    private static MaterialDto ToMaterial(SyncRow r, bool meetingClosed) => new()
    {
        Id = r.Id,
        Name = r.Text("name") ?? "",
        ContentType = r.Text("content_type"),
        Size = r.Integer("size") ?? 0,
        Sha256 = r.Text("sha256") ?? "",
        UploadedBy = r.Text("uploaded_by") ?? "",
        UploadedUtc = BookingTime.Parse(r.Text("uploaded_utc")),
        Archived = r.Integer("archived") is 1 || meetingClosed,
    };

    /// <summary>Closes a held meeting at its node: no more materials; this node's materials are marked archived.</summary>
    public MeetingDto Close(string id, Actor actor, bool dispatcher)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return store.Transact(w =>
        {
            var m = w.Get(MeetingTables.Meetings, id);
            if (m is null || m.Deleted) throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Mtg_NotFound"]] });
            if (m.Origin != w.NodeId) throw new OfficeForbiddenException(text["Val_NotOrigin"]);
            if (!dispatcher && m.Text("requested_by") != actor.Username && m.Text("host") != actor.Username)
            {
                throw new OfficeForbiddenException(text["Val_NotOrganiser"]);
            }
            if (m.Text("closed_utc") is { Length: > 0 }) return ToDto(w.Connection, w.Transaction, m);
            var now = BookingTime.Text(Now);
            var row = w.Update(MeetingTables.Meetings, id, new JsonObject { ["closed_utc"] = now, ["updated_utc"] = now })!;
            var own = BookingEngine.Select(w.Connection, w.Transaction, store.Schema[MeetingTables.Materials],
                "WHERE r.meeting_id = @m AND r.origin = @node AND r.deleted = 0 AND COALESCE(r.archived, 0) = 0", ("@m", id), ("@node", w.NodeId));
            foreach (var mat in own) w.Update(MeetingTables.Materials, mat.Id, new JsonObject { ["archived"] = 1L });
            return ToDto(w.Connection, w.Transaction, row);
        });
    }

    /// <summary>
    /// Creates the 纪要 of a meeting as an official document (type 纪要, with 出席 and 请假 lists from sign-in and leave
    /// records) and links it to the meeting; returns the document id (the existing one if already created).
    /// </summary>
    public string CreateMinutes(string id, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var detail = Detail(id) ?? throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Mtg_NotFound"]] });
        var m = detail.Meeting;
        if (m.OriginNode != store.NodeId) throw new OfficeForbiddenException(text["Val_NotOrigin"]);
        if (m.MinutesDocId is { Length: > 0 } existing) return existing;
        var present = detail.Attendance.Where(a => a.Kind == MeetingTables.SignIn).Select(a => a.DisplayName ?? a.Username).Distinct().ToList();
        var leave = detail.Attendance.Where(a => a.Kind == MeetingTables.Leave && !present.Contains(a.DisplayName ?? a.Username))
            .Select(a => $"{a.DisplayName ?? a.Username}（{a.Reason}）").Distinct().ToList();
        var body = new StringBuilder();
        body.AppendLine(text["Minutes_Time", ChinaTime.Format(m.Start, System.Globalization.CultureInfo.GetCultureInfo("zh-CN"))]);
        body.AppendLine(text["Minutes_Place", m.RoomName]);
        body.AppendLine(text["Minutes_Present", string.Join("、", present)]);
        body.AppendLine(text["Minutes_Leave", string.Join("、", leave)]);
        body.AppendLine();
        body.AppendLine(m.Agenda ?? "");
        var docs = services.GetRequiredService<DocumentService>();
        var doc = docs.Create(new DocumentInput { Title = text["Minutes_Title", m.Title], DocType = "纪要", Body = body.ToString() });
        store.Update(MeetingTables.Meetings, id, new JsonObject { ["minutes_doc_id"] = doc.Id, ["updated_utc"] = BookingTime.Text(Now) });
        return doc.Id;
    }

    // ---------------------------------------------------------------- calendar feed keys

    /// <summary>Issues a new secret calendar feed key for the user (the old one stops working); only its hash is stored.</summary>
    public string RegenerateFeedKey(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        store.Insert(MeetingTables.FeedKeys, new JsonObject
        {
            ["username"] = actor.Username,
            ["key_hash"] = HashKey(key),
            ["unit"] = actor.Unit,
            ["created_utc"] = BookingTime.Text(Now),
        });
        return key;
    }

    public bool HasFeedKey(string username) => LatestKeyHash(username) is not null;

    public bool FeedKeyValid(string username, string? key)
    {
        if (string.IsNullOrEmpty(key) || LatestKeyHash(username) is not { } hash) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(HashKey(key)));
    }

    private string? LatestKeyHash(string username)
    {
        using var conn = store.OpenConnection();
        return conn.ScalarString("SELECT key_hash FROM mtg_feed_keys WHERE username = @u AND deleted = 0 ORDER BY created_utc DESC, id DESC LIMIT 1",
            null, ("@u", username));
    }

    private static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The unit of a staff member known here (for unit invitations in the feed).</summary>
    public string? UnitOf(string username) => UserUnits([username]).GetValueOrDefault(username);
}
