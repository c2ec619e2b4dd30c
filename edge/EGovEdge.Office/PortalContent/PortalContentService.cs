using System.Globalization;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Sync;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.PortalContent;

/// <summary>
/// The public portal's content: the service catalogue, public notices, investment projects and consultations with
/// residents' opinions. Staff write it at the hub (every node reads it); residents add opinions on the hub's portal.
/// </summary>
public sealed class PortalContentService(ILocalStore store, TimeProvider time, IStringLocalizer<PortalText> text)
{
    public const int MaxNameLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 20_000;
    public const int MaxFieldLength = 4_000;
    public const int MaxOpinionLength = 1_000;
    public const int MinOpinionLength = 5;

    /// <summary>The audit actor of residents' anonymous writes on the portal.</summary>
    public const string PortalActor = "portal";

    public bool IsHub => store.NodeId == NodeIds.Hub;

    // ---- services ------------------------------------------------------------------------------------------------

    /// <summary>The catalogue, in display order, optionally filtered by a search text (name, department, code, materials) and a category.</summary>
    public IReadOnlyList<PortalServiceDto> Services(string? query = null, string? category = null)
    {
        var all = ReadAll(PortalServicesTable.Definition).Select(ToService);
        if (!string.IsNullOrWhiteSpace(category)) all = all.Where(s => s.Category == category.Trim());
        if (!string.IsNullOrWhiteSpace(query))
        {
            var words = query.Split([' ', '　', ',', '，'], StringSplitOptions.RemoveEmptyEntries);
            all = all.Where(s => words.All(w =>
                s.Name.Contains(w, StringComparison.OrdinalIgnoreCase)
                || s.Department.Contains(w, StringComparison.OrdinalIgnoreCase)
                || (s.Code ?? "").Contains(w, StringComparison.OrdinalIgnoreCase)
                || s.Materials.Any(m => m.Contains(w, StringComparison.OrdinalIgnoreCase))));
        }
        return all.OrderBy(s => s.Sort).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public PortalServiceDto? GetService(string id) =>
        Guid.TryParse(id, out _) && store.Get(PortalServicesTable.Name, id) is { Deleted: false } row ? ToService(row) : null;

    /// <summary>Creates (id null) or changes a service. Hub only.</summary>
    public PortalServiceDto SaveService(string? id, PortalServiceInput input, string username)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireHub();
        var errors = new Dictionary<string, string[]>();
        var name = Required(errors, "name", input.Name, MaxNameLength);
        var department = Required(errors, "department", input.Department, MaxNameLength);
        var category = input.Category?.Trim() ?? "";
        if (!ServiceCategories.All.Contains(category)) errors["category"] = [text["Val_Category"]];
        if (input.LegalDays is < 0 or > 365) errors["legalDays"] = [text["Val_Days"]];
        if (input.PromisedDays is < 0 or > 365) errors["promisedDays"] = [text["Val_Days"]];
        if (input.LegalDays is { } legal && input.PromisedDays is { } promised && promised > legal) errors["promisedDays"] = [text["Val_PromisedOverLegal"]];
        if (input.Visits is < 0 or > 10) errors["visits"] = [text["Val_Visits"]];
        foreach (var (field, value) in new[]
                 {
                     ("code", input.Code), ("basis", input.Basis), ("conditions", input.Conditions), ("procedure", input.Procedure),
                     ("materials", input.Materials), ("fees", input.Fees), ("place", input.Place), ("hours", input.Hours), ("phone", input.Phone),
                 })
        {
            if (value is { Length: > MaxFieldLength }) errors[field] = [text["Val_TooLong", MaxFieldLength]];
        }
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var data = new JsonObject
        {
            ["code"] = Clean(input.Code),
            ["name"] = name,
            ["department"] = department,
            ["category"] = category,
            ["basis"] = Clean(input.Basis),
            ["conditions"] = Clean(input.Conditions),
            ["procedure"] = Lines(input.Procedure),
            ["materials"] = Lines(input.Materials),
            ["legal_days"] = input.LegalDays is null ? null : (long)input.LegalDays,
            ["promised_days"] = input.PromisedDays is null ? null : (long)input.PromisedDays,
            ["fees"] = Clean(input.Fees),
            ["place"] = Clean(input.Place),
            ["hours"] = Clean(input.Hours),
            ["phone"] = Clean(input.Phone),
            ["online"] = input.Online ? 1L : 0L,
            ["visits"] = input.Visits is null ? null : (long)input.Visits,
            ["sort"] = (long)(input.Sort ?? 100),
            ["updated_utc"] = Iso(time.GetUtcNow()),
            ["updated_by"] = username,
        };
        if (id is null) return ToService(store.Insert(PortalServicesTable.Name, data));
        if (GetService(id) is null) throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_NotFound"]] });
        data["demo"] = 0L; // edited by the county: no longer demo content
        return ToService(store.Update(PortalServicesTable.Name, id, data)!);
    }

    /// <summary>Withdraws a service from the catalogue (a tombstone). Hub only.</summary>
    public bool DeleteService(string id)
    {
        RequireHub();
        return Guid.TryParse(id, out _) && store.Delete(PortalServicesTable.Name, id);
    }

    /// <summary>
    /// At the hub's first start: writes the demo catalogue when the table has never held a row (a county that deleted
    /// the demo services does not get them back). Returns how many were written.
    /// </summary>
    public int SeedDemoServices()
    {
        if (!IsHub) return 0;
        using var actor = AuditActor.Use("portal-seed");
        return store.Transact(w =>
        {
            if (w.Connection.ScalarLong("SELECT COUNT(*) FROM portal_services", w.Transaction) > 0) return 0;
            var now = Iso(time.GetUtcNow());
            var n = 0;
            foreach (var s in PortalDemoServices.Load())
            {
                w.Insert(PortalServicesTable.Name, new JsonObject
                {
                    ["code"] = s.Code, ["name"] = s.Name, ["department"] = s.Department, ["category"] = s.Category, ["basis"] = s.Basis,
                    ["conditions"] = s.Conditions, ["procedure"] = s.Procedure, ["materials"] = s.Materials,
                    ["legal_days"] = s.LegalDays is null ? null : (long)s.LegalDays, ["promised_days"] = s.PromisedDays is null ? null : (long)s.PromisedDays,
                    ["fees"] = s.Fees, ["place"] = s.Place, ["hours"] = s.Hours, ["phone"] = s.Phone, ["online"] = s.Online ? 1L : 0L,
                    ["visits"] = s.Visits is null ? null : (long)s.Visits, ["demo"] = 1L, ["sort"] = (long)(++n * 10),
                    ["updated_utc"] = now, ["updated_by"] = "portal-seed",
                });
            }
            return n;
        });
    }

    // ---- notices -------------------------------------------------------------------------------------------------

    public IReadOnlyList<PortalNoticeDto> Notices(int limit = 50) =>
        ReadAll(PortalNoticesTable.Definition, "published_utc DESC, id DESC", limit).Select(ToNotice).ToList();

    public PortalNoticeDto? GetNotice(string id) =>
        Guid.TryParse(id, out _) && store.Get(PortalNoticesTable.Name, id) is { Deleted: false } row ? ToNotice(row) : null;

    /// <summary>Publishes (id null) or corrects a public notice. Hub only.</summary>
    public PortalNoticeDto SaveNotice(string? id, PortalNoticeInput input, string username)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireHub();
        var errors = new Dictionary<string, string[]>();
        var title = Required(errors, "title", input.Title, MaxTitleLength);
        var publisher = Required(errors, "publisher", input.Publisher, MaxNameLength);
        if (input.Body is { Length: > MaxBodyLength }) errors["body"] = [text["Val_TooLong", MaxBodyLength]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var now = Iso(time.GetUtcNow());
        if (id is null)
        {
            return ToNotice(store.Insert(PortalNoticesTable.Name, new JsonObject
            {
                ["title"] = title, ["body"] = input.Body ?? "", ["publisher"] = publisher, ["published_utc"] = now, ["author"] = username, ["updated_utc"] = now,
            }));
        }
        return GetNotice(id) is null
            ? throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_NotFound"]] })
            : ToNotice(store.Update(PortalNoticesTable.Name, id, new JsonObject
            {
                ["title"] = title, ["body"] = input.Body ?? "", ["publisher"] = publisher, ["updated_utc"] = now,
            })!);
    }

    public bool WithdrawNotice(string id)
    {
        RequireHub();
        return Guid.TryParse(id, out _) && store.Delete(PortalNoticesTable.Name, id);
    }

    // ---- investment ----------------------------------------------------------------------------------------------

    public IReadOnlyList<PortalProjectDto> Projects() =>
        ReadAll(PortalProjectsTable.Definition, "published_utc DESC, id DESC").Select(ToProject).ToList();

    public PortalProjectDto SaveProject(string? id, PortalProjectInput input, string username)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireHub();
        var errors = new Dictionary<string, string[]>();
        var name = Required(errors, "name", input.Name, MaxTitleLength);
        var industry = Required(errors, "industry", input.Industry, MaxNameLength);
        if (input.AmountWan is < 0 or > 100_000_000) errors["amountWan"] = [text["Val_Amount"]];
        if (input.Summary is { Length: > MaxFieldLength }) errors["summary"] = [text["Val_TooLong", MaxFieldLength]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var data = new JsonObject
        {
            ["name"] = name, ["industry"] = industry, ["location"] = Clean(input.Location), ["amount_wan"] = input.AmountWan,
            ["summary"] = Clean(input.Summary), ["contact"] = Clean(input.Contact), ["phone"] = Clean(input.Phone),
        };
        if (id is null)
        {
            data["published_utc"] = Iso(time.GetUtcNow());
            data["author"] = username;
            return ToProject(store.Insert(PortalProjectsTable.Name, data));
        }
        return store.Update(PortalProjectsTable.Name, id, data) is { } row
            ? ToProject(row)
            : throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_NotFound"]] });
    }

    public bool DeleteProject(string id)
    {
        RequireHub();
        return Guid.TryParse(id, out _) && store.Delete(PortalProjectsTable.Name, id);
    }

    // ---- consultations and opinions ------------------------------------------------------------------------------

    public IReadOnlyList<ConsultationDto> Consultations()
    {
        var counts = OpinionCounts();
        return ReadAll(PortalConsultationsTable.Definition, "published_utc DESC, id DESC")
            .Select(r => ToConsultation(r, counts.GetValueOrDefault(r.Id))).ToList();
    }

    public ConsultationDto? GetConsultation(string id)
    {
        if (!Guid.TryParse(id, out _) || store.Get(PortalConsultationsTable.Name, id) is not { Deleted: false } row) return null;
        using var conn = store.OpenConnection();
        var n = conn.ScalarLong("SELECT COUNT(*) FROM portal_opinions WHERE deleted = 0 AND consultation_id = @c", null, ("@c", id));
        return ToConsultation(row, n);
    }

    public ConsultationDto SaveConsultation(string? id, ConsultationInput input, string username)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireHub();
        var errors = new Dictionary<string, string[]>();
        var topic = Required(errors, "topic", input.Topic, MaxTitleLength);
        if (input.Description is { Length: > MaxBodyLength }) errors["description"] = [text["Val_TooLong", MaxBodyLength]];
        var opens = ParseDate(input.OpensOn);
        var closes = ParseDate(input.ClosesOn);
        if (opens is null) errors["opensOn"] = [text["Val_Date"]];
        if (closes is null) errors["closesOn"] = [text["Val_Date"]];
        else if (opens is not null && closes < opens) errors["closesOn"] = [text["Val_ClosesBeforeOpens"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var data = new JsonObject
        {
            ["topic"] = topic, ["description"] = input.Description ?? "", ["opens_on"] = DateText(opens!.Value), ["closes_on"] = DateText(closes!.Value),
            ["publisher"] = Clean(input.Publisher),
        };
        if (id is null)
        {
            data["published_utc"] = Iso(time.GetUtcNow());
            data["author"] = username;
            return GetConsultation(store.Insert(PortalConsultationsTable.Name, data).Id)!;
        }
        return store.Update(PortalConsultationsTable.Name, id, data) is { } row
            ? GetConsultation(row.Id)!
            : throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_NotFound"]] });
    }

    /// <summary>Publishes (or corrects) the summary of what residents said. Hub only.</summary>
    public ConsultationDto PublishSummary(string id, string? summary)
    {
        RequireHub();
        var s = summary?.Trim() ?? "";
        if (s.Length == 0) throw new OfficeValidationException(new Dictionary<string, string[]> { ["summary"] = [text["Val_Required"]] });
        if (s.Length > MaxBodyLength) throw new OfficeValidationException(new Dictionary<string, string[]> { ["summary"] = [text["Val_TooLong", MaxBodyLength]] });
        if (!Guid.TryParse(id, out _) || store.Update(PortalConsultationsTable.Name, id, new JsonObject { ["summary"] = s, ["summary_utc"] = Iso(time.GetUtcNow()) }) is null)
        {
            throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_NotFound"]] });
        }
        return GetConsultation(id)!;
    }

    public bool DeleteConsultation(string id)
    {
        RequireHub();
        return Guid.TryParse(id, out _) && store.Delete(PortalConsultationsTable.Name, id);
    }

    /// <summary>A resident's anonymous opinion (hub portal, while the consultation is open); append-only.</summary>
    public string SubmitOpinion(string consultationId, string? opinion)
    {
        RequireHub();
        var c = GetConsultation(consultationId)
            ?? throw new OfficeValidationException(new Dictionary<string, string[]> { ["id"] = [text["Val_NotFound"]] });
        if (c.State != ConsultationStates.Open) throw new OfficeValidationException(new Dictionary<string, string[]> { ["text"] = [text["Val_NotOpen"]] });
        var s = opinion?.Trim() ?? "";
        if (s.Length < MinOpinionLength) throw new OfficeValidationException(new Dictionary<string, string[]> { ["text"] = [text["Val_OpinionShort", MinOpinionLength]] });
        if (s.Length > MaxOpinionLength) throw new OfficeValidationException(new Dictionary<string, string[]> { ["text"] = [text["Val_TooLong", MaxOpinionLength]] });
        using var actor = AuditActor.Use(PortalActor);
        return store.Insert(PortalOpinionsTable.Name, new JsonObject
        {
            ["consultation_id"] = consultationId, ["text"] = s, ["submitted_utc"] = Iso(time.GetUtcNow()),
        }).Id;
    }

    /// <summary>The opinions on a consultation, oldest first (staff only).</summary>
    public IReadOnlyList<OpinionDto> Opinions(string consultationId)
    {
        var t = PortalOpinionsTable.Definition;
        using var conn = store.OpenConnection();
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM portal_opinions WHERE deleted = 0 AND consultation_id = @c ORDER BY submitted_utc, id",
            null, ("@c", consultationId));
        using var r = cmd.ExecuteReader();
        var list = new List<OpinionDto>();
        while (r.Read())
        {
            var row = RowIo.ReadRow(t, r);
            list.Add(new OpinionDto { Id = row.Id, Text = row.Text("text") ?? "", SubmittedUtc = ParseUtc(row.Text("submitted_utc")) ?? default });
        }
        return list;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /// <summary>Today's date in China.</summary>
    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(time.GetUtcNow()).DateTime);

    private Dictionary<string, long> OpinionCounts()
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        using var conn = store.OpenConnection();
        using var cmd = conn.Command("SELECT consultation_id, COUNT(*) FROM portal_opinions WHERE deleted = 0 GROUP BY consultation_id");
        using var r = cmd.ExecuteReader();
        while (r.Read()) map[r.GetString(0)] = r.LongOrZero(1);
        return map;
    }

    private List<SyncRow> ReadAll(SyncTable t, string? orderBy = null, int limit = 1000)
    {
        using var conn = store.OpenConnection();
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM {t.Name} WHERE deleted = 0 ORDER BY {orderBy ?? "id"} LIMIT @n", null,
            ("@n", (long)Math.Clamp(limit, 1, 5000)));
        using var r = cmd.ExecuteReader();
        var rows = new List<SyncRow>();
        while (r.Read()) rows.Add(RowIo.ReadRow(t, r));
        return rows;
    }

    private void RequireHub()
    {
        if (!IsHub) throw new OfficeForbiddenException(text["Val_HubOnly"]);
    }

    private string Required(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0) errors[field] = [text["Val_Required"]];
        else if (v.Length > max) errors[field] = [text["Val_TooLong", max]];
        return v;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>One item a line, blank lines and list markers ("1.", "1、", "-") dropped.</summary>
    private static string? Lines(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        var items = SplitLines(s).ToList();
        return items.Count == 0 ? null : string.Join('\n', items);
    }

    public static IReadOnlyList<string> SplitLines(string? s) =>
        (s ?? "").Split('\n').Select(l => l.Trim().TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    private ConsultationDto ToConsultation(SyncRow r, long opinions)
    {
        var opens = ParseDate(r.Text("opens_on"));
        var closes = ParseDate(r.Text("closes_on"));
        var today = Today;
        var state = opens is { } o && today < o ? ConsultationStates.Upcoming
            : closes is { } c && today > c ? ConsultationStates.Closed
            : ConsultationStates.Open;
        return new ConsultationDto
        {
            Id = r.Id, Topic = r.Text("topic") ?? "", Description = r.Text("description"), OpensOn = r.Text("opens_on") ?? "",
            ClosesOn = r.Text("closes_on") ?? "", Summary = r.Text("summary"), SummaryUtc = ParseUtc(r.Text("summary_utc")),
            Publisher = r.Text("publisher"), PublishedUtc = ParseUtc(r.Text("published_utc")) ?? default, Opinions = opinions, State = state,
        };
    }

    private static PortalServiceDto ToService(SyncRow r) => new()
    {
        Id = r.Id, Code = r.Text("code"), Name = r.Text("name") ?? "", Department = r.Text("department") ?? "", Category = r.Text("category") ?? "",
        Basis = r.Text("basis"), Conditions = r.Text("conditions"), Procedure = SplitLines(r.Text("procedure")), Materials = SplitLines(r.Text("materials")),
        LegalDays = (int?)r.Integer("legal_days"), PromisedDays = (int?)r.Integer("promised_days"), Fees = r.Text("fees"), Place = r.Text("place"),
        Hours = r.Text("hours"), Phone = r.Text("phone"), Online = r.Integer("online") == 1, Visits = (int?)r.Integer("visits"),
        Demo = r.Integer("demo") == 1, Sort = (int)(r.Integer("sort") ?? 100), UpdatedUtc = ParseUtc(r.Text("updated_utc")) ?? default,
    };

    private static PortalNoticeDto ToNotice(SyncRow r) => new()
    {
        Id = r.Id, Title = r.Text("title") ?? "", Body = r.Text("body") ?? "", Publisher = r.Text("publisher") ?? "",
        PublishedUtc = ParseUtc(r.Text("published_utc")) ?? default, Author = r.Text("author"),
    };

    private static PortalProjectDto ToProject(SyncRow r) => new()
    {
        Id = r.Id, Name = r.Text("name") ?? "", Industry = r.Text("industry") ?? "", Location = r.Text("location"), AmountWan = r.Integer("amount_wan"),
        Summary = r.Text("summary"), Contact = r.Text("contact"), Phone = r.Text("phone"), PublishedUtc = ParseUtc(r.Text("published_utc")) ?? default,
    };

    internal static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset? ParseUtc(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    private static DateOnly? ParseDate(string? s) =>
        DateOnly.TryParseExact(s?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string DateText(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
