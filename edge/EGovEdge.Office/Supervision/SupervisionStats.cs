using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Options;
using PdfSharp.Pdf.IO;

namespace EGovEdge.Office.Supervision;

/// <summary>
/// Computes the supervisors' <see cref="SupervisionReport"/> from the replicated tables this node holds. Plain SQL that
/// runs on SQLite and PostgreSQL (ISO-8601 text timestamps compared as text); grouping, medians and money in C#.
/// </summary>
public sealed class SupervisionStats(ILocalStore store, TimeProvider time, IOptions<SupervisionOptions> options, ITicketStatistics? tickets = null,
    ISyncHealthSource? sync = null)
{
    private static readonly string[] StepKindsCounted = [StepKinds.SignOff, StepKinds.Dispatch, StepKinds.SignFor, StepKinds.Read, StepKinds.Remind];
    private readonly ConcurrentDictionary<string, int> _pageCounts = new(StringComparer.Ordinal);

    public string NodeId => store.NodeId;

    public SupervisionOptions Options => options.Value;

    public SavingsMethod Method => new(Options.SheetsPerDocument, Options.UsePdfPageCounts, Options.PaperYuanPerSheet, Options.ConsumablesYuanPerSheet,
        Options.TransportYuanPerDocument, Options.OtherYuanPerDocument);

    public SupervisionReport Compute(SupervisionPeriod period, string? hubName = null)
    {
        var fromUtc = period.FromUtc;
        var toUtc = period.ToUtc;
        var now = time.GetUtcNow();
        var f = Iso(fromUtc);
        var t = Iso(toUtc);
        using var conn = store.OpenConnection();

        var names = Names(conn, hubName);
        var units = new SortedDictionary<string, UnitFigures>(Comparer<string>.Create(UnitOrder));
        UnitFigures U(string code)
        {
            if (!units.TryGetValue(code, out var u)) units[code] = u = new UnitFigures { Unit = code, Name = names.GetValueOrDefault(code, code) };
            return u;
        }
        foreach (var code in names.Keys) U(code);
        var months = MonthKeys(period).ToDictionary(m => m, _ => new int[4], StringComparer.Ordinal);
        void Month(DateTimeOffset at, int index)
        {
            if (months.TryGetValue(MonthOf(at), out var m)) m[index]++;
        }

        // ---- workflow steps in the period: issued, circulated, readings, 催办, sign-off times
        var issued = new HashSet<(string Doc, string Unit)>();
        var received = new HashSet<(string Doc, string Unit)>();
        var signedOff = new HashSet<string>(StringComparer.Ordinal);
        var kindArgs = StepKindsCounted.Select((k, i) => ("@k" + i.ToString(CultureInfo.InvariantCulture), (object?)k)).ToArray();
        using (var cmd = conn.Command(
                   $"SELECT document_id, doc_origin, kind, recipient, node, at_utc FROM document_steps WHERE deleted = 0 AND at_utc >= @f AND at_utc < @t " +
                   $"AND kind IN ({string.Join(", ", kindArgs.Select(a => a.Item1))})", null, [("@f", f), ("@t", t), .. kindArgs]))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var doc = r.GetString(0);
                var origin = r.GetString(1);
                var kind = r.GetString(2);
                var recipient = r.StringOrNull(3);
                var node = r.GetString(4);
                var at = WorkflowData.ParseUtc(r.GetString(5));
                if (at < fromUtc || at >= toUtc) continue;
                switch (kind)
                {
                    case StepKinds.Dispatch when node == origin:
                        if (issued.Add((doc, origin))) Month(at, 0);
                        break;
                    case StepKinds.SignFor when recipient == node && node != origin:
                        if (received.Add((doc, node))) Month(at, 1);
                        break;
                    case StepKinds.Read when recipient == node:
                        U(node).Readings++;
                        break;
                    case StepKinds.Remind:
                        U(node).DocumentReminders++;
                        break;
                    case StepKinds.SignOff when node == origin:
                        signedOff.Add(doc);
                        break;
                }
            }
        }
        foreach (var (_, unit) in issued) U(unit).Issued++;
        foreach (var (_, unit) in received) U(unit).Circulated++;
        SignOffTimes(conn, signedOff, fromUtc, toUtc, U, out var allHours);

        // ---- overdue incoming documents at the end of the period (or now)
        var cutoff = toUtc < now ? toUtc : now;
        foreach (var unit in Overdue(conn, cutoff)) U(unit).OverdueDocuments++;

        // ---- notices, reminders, warnings (shown in the period, by the sending unit) and SMS
        using (var cmd = conn.Command(
                   "SELECT origin, kind, COALESCE(due_utc, sent_utc) FROM notices WHERE deleted = 0 " +
                   "AND COALESCE(due_utc, sent_utc) >= @f AND COALESCE(due_utc, sent_utc) < @t", null, ("@f", f), ("@t", t)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var at = WorkflowData.ParseUtc(r.GetString(2));
                if (at < fromUtc || at >= toUtc || at > now) continue;
                var u = U(r.GetString(0));
                switch (r.GetString(1))
                {
                    case NoticeKinds.Reminder: u.Reminders++; Month(at, 2); break;
                    case NoticeKinds.Warning: u.Warnings++; Month(at, 3); break;
                    default: u.Notices++; break;
                }
            }
        }
        using (var cmd = conn.Command("SELECT origin, status FROM sms_outbox WHERE deleted = 0 AND created_utc >= @f AND created_utc < @t", null,
                   ("@f", f), ("@t", t)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var status = r.GetString(1);
                if (status is SmsStatus.Logged or SmsStatus.Sent or SmsStatus.Delivered) U(r.GetString(0)).SmsSent++;
                else if (status == SmsStatus.Failed) U(r.GetString(0)).SmsFailed++;
            }
        }

        // ---- usage: audit entries by staff, accounts
        var users = Accounts(conn);
        foreach (var (unit, count) in users.Where(u => !u.Disabled).GroupBy(u => u.Unit).Select(g => (g.Key, g.Count()))) U(unit).Accounts = count;
        var usage = new List<UserUsage>();
        using (var cmd = conn.Command(
                   $"SELECT node, actor, COUNT(*) FROM {AuditTable.Name} WHERE deleted = 0 AND at_utc >= @f AND at_utc < @t AND actor <> @system GROUP BY node, actor",
                   null, ("@f", f), ("@t", t), ("@system", "system")))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var node = r.GetString(0);
                var actor = r.GetString(1);
                var n = (int)r.LongOrZero(2);
                var u = U(node);
                u.Actions += n;
                u.ActiveUsers++;
                usage.Add(new UserUsage(node, actor, users.FirstOrDefault(x => x.Username == actor)?.DisplayName ?? actor, n));
            }
        }

        // ---- conflicts detected in the period, per unit whose version took part
        var resolved = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = conn.Command($"SELECT pair_id FROM {ConflictTables.Resolutions} WHERE deleted = 0"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) resolved.Add(r.GetString(0));
        }
        var pairs = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        using (var cmd = conn.Command($"SELECT pair_id, winner_hlc, loser_hlc, detected_utc FROM {ConflictTables.Conflicts} WHERE deleted = 0 AND detected_utc >= @f AND detected_utc < @t",
                   null, ("@f", f), ("@t", t)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var pair = r.GetString(0);
                if (!pairs.TryGetValue(pair, out var set)) pairs[pair] = set = new HashSet<string>(StringComparer.Ordinal);
                foreach (var stamp in new[] { r.GetString(1), r.GetString(2) })
                {
                    if (Hlc.TryParse(stamp, out var h)) set.Add(h.Node);
                }
            }
        }
        foreach (var (pair, set) in pairs)
        {
            foreach (var unit in set)
            {
                var u = U(unit);
                u.Conflicts++;
                if (!resolved.Contains(pair)) u.OpenConflicts++;
            }
        }

        // ---- inspections dated in the period
        using (var cmd = conn.Command($"SELECT unit FROM {InspectionsTable.Name} WHERE deleted = 0 AND inspected_on >= @fd AND inspected_on <= @td", null,
                   ("@fd", Day(period.From)), ("@td", Day(period.To))))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) U(r.GetString(0)).Inspections++;
        }

        // ---- paper and money saved (the county's method: documents x sheets -> yuan)
        var pages = Options.UsePdfPageCounts ? PdfPages(conn, issued.Select(i => i.Doc).Concat(received.Select(i => i.Doc)).Distinct(StringComparer.Ordinal).ToList())
            : new Dictionary<string, int>(StringComparer.Ordinal);
        var sheets = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (doc, unit) in issued.Concat(received))
        {
            sheets[unit] = sheets.GetValueOrDefault(unit) + (pages.TryGetValue(doc, out var p) ? p : Options.SheetsPerDocument);
        }
        foreach (var u in units.Values)
        {
            u.PaperlessDocuments = u.Issued + u.Circulated;
            u.Sheets = Math.Round(sheets.GetValueOrDefault(u.Unit), 2, MidpointRounding.AwayFromZero);
            u.PaperYuan = Money(u.Sheets * Options.PaperYuanPerSheet);
            u.ConsumablesYuan = Money(u.Sheets * Options.ConsumablesYuanPerSheet);
            u.TransportYuan = Money(u.PaperlessDocuments * Options.TransportYuanPerDocument);
            u.OtherYuan = Money(u.PaperlessDocuments * Options.OtherYuanPerDocument);
            u.SavedYuan = u.PaperYuan + u.ConsumablesYuan + u.TransportYuan + u.OtherYuan;
        }

        // ---- tickets (from the ticket module, when wired)
        var ticketFigures = tickets?.For(fromUtc, toUtc);
        if (ticketFigures is not null)
        {
            foreach (var (unit, tf) in ticketFigures)
            {
                var u = U(unit);
                u.OverdueTickets = tf.Overdue;
                u.TicketsClosedOnTime = tf.ClosedOnTime;
                u.TicketSatisfaction = tf.AverageSatisfaction;
            }
            foreach (var u in units.Values)
            {
                u.OverdueTickets ??= 0;
                u.TicketsClosedOnTime ??= 0;
            }
        }

        var list = units.Values.ToList();
        var total = Total(list, allHours, ticketFigures);
        total.Conflicts = pairs.Count;
        total.OpenConflicts = pairs.Keys.Count(p => !resolved.Contains(p));
        var health = sync?.Townships(names.Where(n => n.Key != NodeIds.Hub).ToDictionary(n => n.Key, n => n.Value, StringComparer.Ordinal));
        return new SupervisionReport
        {
            From = period.From,
            To = period.To,
            FromUtc = fromUtc,
            ToUtc = toUtc,
            GeneratedUtc = now,
            Node = store.NodeId,
            Units = list,
            Total = total,
            Users = usage.OrderByDescending(x => x.Actions).ThenBy(x => x.Unit, StringComparer.Ordinal).ThenBy(x => x.Username, StringComparer.Ordinal).ToList(),
            Months = months.Select(m => new MonthFigures(m.Key, m.Value[0], m.Value[1], m.Value[2], m.Value[3])).ToList(),
            Sync = health ?? [],
            SyncAvailable = health is not null,
            TicketsAvailable = ticketFigures is not null,
            Method = Method,
        };
    }

    /// <summary>Median of a list (mean of the two middle values for an even count); null when empty.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Pages of a stored PDF (one A4 sheet per page), or null when it cannot be read.</summary>
    public static int? PageCount(byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        try
        {
            using var stream = new MemoryStream(pdf, writable: false);
            using var doc = PdfReader.Open(stream, PdfDocumentOpenMode.Import);
            return doc.PageCount;
        }
#pragma warning disable CA1031 // a damaged or foreign PDF falls back to the configured average
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private void SignOffTimes(DbConnection conn, HashSet<string> docs, DateTimeOffset fromUtc, DateTimeOffset toUtc, Func<string, UnitFigures> unit,
        out List<double> all)
    {
        all = [];
        if (docs.Count == 0) return;
        var rows = RowIo.GetMany(conn, null, store.Schema[DocumentsTable.Name], docs.ToList()).Where(d => !d.Deleted).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var steps = WorkflowData.StepsOf(conn, rows.Keys.ToList());
        var perUnit = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var (id, doc) in rows)
        {
            // The first sign-off of the document counts (a later re-signing after changes does not restart the clock).
            var first = steps.GetValueOrDefault(id)?.Where(s => s.Kind == StepKinds.SignOff && s.Node == doc.Origin).MinBy(s => s.AtUtc);
            if (first is null || first.AtUtc < fromUtc || first.AtUtc >= toUtc) continue;
            var created = WorkflowData.ParseUtc(doc.Text("created_utc"));
            if (created == DateTimeOffset.MinValue) continue;
            var hours = Math.Max(0, (first.AtUtc - created).TotalHours);
            if (!perUnit.TryGetValue(doc.Origin, out var l)) perUnit[doc.Origin] = l = [];
            l.Add(hours);
            all.Add(hours);
        }
        foreach (var (code, hours) in perUnit)
        {
            var u = unit(code);
            u.SignedOff = hours.Count;
            u.SignOffMedianHours = Hours(Median(hours));
            u.SignOffAverageHours = Hours(hours.Average());
        }
    }

    /// <summary>The recipient unit of each (document, recipient) whose latest 承办 deadline has passed at <paramref name="cutoff"/> without a reply by then.</summary>
    private static List<string> Overdue(DbConnection conn, DateTimeOffset cutoff)
    {
        var c = Iso(cutoff);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(cutoff).DateTime);
        var assigns = new Dictionary<(string Doc, string Unit), (string Hlc, string? Deadline)>();
        using (var cmd = conn.Command("SELECT document_id, node, recipient, hlc, data, at_utc FROM document_steps WHERE deleted = 0 AND kind = @k AND at_utc < @c",
                   null, ("@k", StepKinds.Assign), ("@c", c)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var node = r.GetString(1);
                if (r.StringOrNull(2) != node || WorkflowData.ParseUtc(r.GetString(5)) >= cutoff) continue;
                var key = (r.GetString(0), node);
                var hlc = r.GetString(3);
                if (assigns.TryGetValue(key, out var prev) && string.CompareOrdinal(prev.Hlc, hlc) > 0) continue;
                assigns[key] = (hlc, WorkflowService.ReadData(r.StringOrNull(4), "deadline"));
            }
        }
        var replied = new HashSet<(string, string)>();
        using (var cmd = conn.Command("SELECT document_id, node, recipient, at_utc FROM document_steps WHERE deleted = 0 AND kind = @k AND at_utc < @c",
                   null, ("@k", StepKinds.Reply), ("@c", c)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                if (r.StringOrNull(2) == r.GetString(1) && WorkflowData.ParseUtc(r.GetString(3)) < cutoff) replied.Add((r.GetString(0), r.GetString(1)));
            }
        }
        var list = new List<string>();
        foreach (var (key, (_, deadline)) in assigns)
        {
            if (replied.Contains(key)) continue;
            if (DateOnly.TryParseExact(deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due) && due < today) list.Add(key.Unit);
        }
        return list;
    }

    /// <summary>Page counts of the latest stored PDF of each document (cached by content hash).</summary>
    private Dictionary<string, int> PdfPages(DbConnection conn, List<string> docs)
    {
        var latest = new Dictionary<string, (string Hlc, string Sha)>(StringComparer.Ordinal);
        foreach (var chunk in docs.Chunk(200))
        {
            var names = chunk.Select((_, i) => "@d" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            using var cmd = conn.Command(
                $"SELECT document_id, hlc, sha256 FROM {FilesTable.Name} WHERE deleted = 0 AND kind = @kind AND document_id IN ({string.Join(", ", names)})",
                null, [("@kind", FilesTable.KindPdf), .. chunk.Select((id, i) => (names[i], (object?)id))]);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var doc = r.GetString(0);
                var hlc = r.GetString(1);
                if (latest.TryGetValue(doc, out var prev) && string.CompareOrdinal(prev.Hlc, hlc) > 0) continue;
                latest[doc] = (hlc, r.GetString(2));
            }
        }
        var pages = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (doc, (_, sha)) in latest)
        {
            if (!_pageCounts.TryGetValue(sha, out var n))
            {
                var data = conn.ScalarString($"SELECT data FROM {FilesTable.Name} WHERE deleted = 0 AND sha256 = @s AND kind = @kind LIMIT 1", null,
                    ("@s", sha), ("@kind", FilesTable.KindPdf));
                n = data is null ? 0 : PageCount(Convert.FromBase64String(data)) ?? 0;
                _pageCounts[sha] = n;
            }
            if (n > 0) pages[doc] = n;
        }
        return pages;
    }

    private UnitFigures Total(List<UnitFigures> units, List<double> hours, IReadOnlyDictionary<string, TicketFigures>? ticketFigures)
    {
        var satisfaction = ticketFigures?.Values.Where(v => v.AverageSatisfaction is not null).Select(v => v.AverageSatisfaction!.Value).ToList();
        return new UnitFigures
        {
            Unit = "*",
            Name = "",
            Issued = units.Sum(u => u.Issued),
            Circulated = units.Sum(u => u.Circulated),
            Readings = units.Sum(u => u.Readings),
            SignedOff = hours.Count,
            SignOffMedianHours = Hours(Median(hours)),
            SignOffAverageHours = hours.Count == 0 ? null : Hours(hours.Average()),
            OverdueDocuments = units.Sum(u => u.OverdueDocuments),
            Notices = units.Sum(u => u.Notices),
            Reminders = units.Sum(u => u.Reminders),
            Warnings = units.Sum(u => u.Warnings),
            DocumentReminders = units.Sum(u => u.DocumentReminders),
            SmsSent = units.Sum(u => u.SmsSent),
            SmsFailed = units.Sum(u => u.SmsFailed),
            Actions = units.Sum(u => u.Actions),
            ActiveUsers = units.Sum(u => u.ActiveUsers),
            Accounts = units.Sum(u => u.Accounts),
            PaperlessDocuments = units.Sum(u => u.PaperlessDocuments),
            Sheets = units.Sum(u => u.Sheets),
            PaperYuan = units.Sum(u => u.PaperYuan),
            ConsumablesYuan = units.Sum(u => u.ConsumablesYuan),
            TransportYuan = units.Sum(u => u.TransportYuan),
            OtherYuan = units.Sum(u => u.OtherYuan),
            SavedYuan = units.Sum(u => u.SavedYuan),
            Inspections = units.Sum(u => u.Inspections),
            OverdueTickets = ticketFigures is null ? null : units.Sum(u => u.OverdueTickets ?? 0),
            TicketsClosedOnTime = ticketFigures is null ? null : units.Sum(u => u.TicketsClosedOnTime ?? 0),
            TicketSatisfaction = satisfaction is { Count: > 0 } ? Math.Round(satisfaction.Average(), 2) : null,
        };
    }

    private static Dictionary<string, string> Names(DbConnection conn, string? hubName)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { [NodeIds.Hub] = hubName ?? "县级机关" };
        using var cmd = conn.Command("SELECT code, name FROM townships WHERE deleted = 0");
        using var r = cmd.ExecuteReader();
        while (r.Read()) map[r.GetString(0)] = r.GetString(1);
        return map;
    }

    private sealed record Account(string Username, string DisplayName, string Unit, bool Disabled);

    private static List<Account> Accounts(DbConnection conn)
    {
        var list = new List<Account>();
        using var cmd = conn.Command("SELECT username, display_name, unit, disabled FROM users WHERE deleted = 0");
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new Account(r.GetString(0), r.GetString(1), r.GetString(2), r.LongOrZero(3) != 0));
        return list;
    }

    private static int UnitOrder(string? a, string? b)
    {
        if (a == b) return 0;
        if (a == NodeIds.Hub) return -1;
        if (b == NodeIds.Hub) return 1;
        return string.CompareOrdinal(a, b);
    }

    private static IEnumerable<string> MonthKeys(SupervisionPeriod period)
    {
        for (var m = new DateOnly(period.From.Year, period.From.Month, 1); m <= period.To; m = m.AddMonths(1))
        {
            yield return m.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        }
    }

    private static string MonthOf(DateTimeOffset utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static double? Hours(double? h) => h is null ? null : Math.Round(h.Value, 1, MidpointRounding.AwayFromZero);

    private static decimal Money(decimal yuan) => Math.Round(yuan, 2, MidpointRounding.AwayFromZero);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
