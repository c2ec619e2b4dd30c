using System.Globalization;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Supervision;

/// <summary>An inspection with its rectification replies.</summary>
public sealed class InspectionDto
{
    public required string Id { get; init; }
    public required string Team { get; init; }
    public required string Unit { get; init; }
    public required string InspectedOn { get; init; }
    public required string Findings { get; init; }
    public required string Rating { get; init; }
    public string? FollowUp { get; init; }
    public required string Status { get; init; }
    public required string Inspector { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
    public IReadOnlyList<RectificationDto> Replies { get; init; } = [];
}

public sealed record RectificationDto(string Id, string Reply, string Author, DateTimeOffset AtUtc);

/// <summary>POST /api/supervision/inspections.</summary>
public sealed class InspectionInput
{
    public string? Team { get; set; }
    public string? Unit { get; set; }
    public string? InspectedOn { get; set; }
    public string? Findings { get; set; }
    public string? Rating { get; set; }
    public string? FollowUp { get; set; }
}

/// <summary>POST /api/supervision/inspections/{id}/follow-up.</summary>
public sealed class FollowUpInput
{
    public string? Status { get; set; }
    public string? FollowUp { get; set; }
}

/// <summary>POST /api/supervision/inspections/{id}/replies.</summary>
public sealed class ReplyInput
{
    public string? Reply { get; set; }
}

/// <summary>
/// 督查记录: supervisors record inspections and their follow-up at the county hub; the inspected unit reads them at its
/// own node and appends rectification replies (整改回复) there.
/// </summary>
public sealed class InspectionService(ILocalStore store, TimeProvider time)
{
    public const int MaxFindings = 4000;
    public const int MaxText = 2000;

    public string NodeId => store.NodeId;

    public bool IsHub => store.NodeId == NodeIds.Hub;

    /// <summary>Inspections newest first: all of them for a supervisor, else those of <paramref name="unit"/>.</summary>
    public IReadOnlyList<InspectionDto> List(string? unit, bool supervisor)
    {
        var t = InspectionsTable.Definition;
        using var conn = store.OpenConnection();
        var rows = new List<SyncRow>();
        var filter = supervisor ? "" : " AND unit = @u";
        using (var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM {InspectionsTable.Name} WHERE deleted = 0{filter}", null, ("@u", unit ?? "")))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) rows.Add(RowIo.ReadRow(t, r));
        }
        var replies = Replies(conn);
        return rows.Select(row => ToDto(row, replies.GetValueOrDefault(row.Id) ?? []))
            .OrderByDescending(i => i.InspectedOn, StringComparer.Ordinal).ThenByDescending(i => i.CreatedUtc).ToList();
    }

    public InspectionDto? Get(string id)
    {
        var row = store.Get(InspectionsTable.Name, id);
        if (row is null || row.Deleted) return null;
        using var conn = store.OpenConnection();
        return ToDto(row, Replies(conn).GetValueOrDefault(id) ?? []);
    }

    /// <summary>Records an inspection (hub only).</summary>
    public InspectionDto Add(InspectionInput input, string inspector)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsHub) throw new OfficeForbiddenException("inspection records are written at the county hub");
        var errors = new Dictionary<string, string[]>();
        var team = input.Team?.Trim();
        if (string.IsNullOrEmpty(team) || team.Length > 50) errors["team"] = ["team is required (at most 50 characters)"];
        if (input.Unit is not { } unit || !NodeIds.IsValid(unit)) errors["unit"] = ["unit must be a township code or hub"];
        if (!DateOnly.TryParseExact(input.InspectedOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors["inspectedOn"] = ["inspectedOn must be a date yyyy-MM-dd"];
        }
        var findings = input.Findings?.Trim();
        if (string.IsNullOrEmpty(findings) || findings.Length > MaxFindings) errors["findings"] = [$"findings are required (at most {MaxFindings} characters)"];
        if (input.Rating is not { } rating || !InspectionRatings.All.Contains(rating)) errors["rating"] = ["rating must be excellent, good, pass or fail"];
        if (input.FollowUp?.Length > MaxText) errors["followUp"] = [$"follow-up is at most {MaxText} characters"];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var now = Iso(time.GetUtcNow());
        var row = store.Insert(InspectionsTable.Name, new JsonObject
        {
            ["team"] = team,
            ["unit"] = input.Unit,
            ["inspected_on"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["findings"] = findings,
            ["rating"] = input.Rating,
            ["follow_up"] = string.IsNullOrWhiteSpace(input.FollowUp) ? null : input.FollowUp.Trim(),
            ["status"] = InspectionStatus.Open,
            ["inspector"] = inspector,
            ["created_utc"] = now,
            ["updated_utc"] = now,
        });
        return ToDto(row, []);
    }

    /// <summary>The team's follow-up: status and note (hub only).</summary>
    public InspectionDto FollowUp(string id, FollowUpInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsHub) throw new OfficeForbiddenException("inspection records are written at the county hub");
        var errors = new Dictionary<string, string[]>();
        if (input.Status is not { } status || !InspectionStatus.All.Contains(status)) errors["status"] = ["status must be open, rectifying or closed"];
        if (input.FollowUp?.Length > MaxText) errors["followUp"] = [$"follow-up is at most {MaxText} characters"];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var changes = new JsonObject { ["status"] = input.Status, ["updated_utc"] = Iso(time.GetUtcNow()) };
        if (input.FollowUp is not null) changes["follow_up"] = string.IsNullOrWhiteSpace(input.FollowUp) ? null : input.FollowUp.Trim();
        if (store.Update(InspectionsTable.Name, id, changes) is null) throw new KeyNotFoundException(id);
        return Get(id)!;
    }

    /// <summary>A rectification reply by the inspected unit, at its own node.</summary>
    public RectificationDto Reply(string id, string? reply, string author)
    {
        var inspection = store.Get(InspectionsTable.Name, id);
        if (inspection is null || inspection.Deleted) throw new KeyNotFoundException(id);
        var unit = inspection.Text("unit") ?? "";
        if (unit != store.NodeId) throw new OfficeForbiddenException("only the inspected unit replies, at its own node");
        var text = reply?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxText)
        {
            throw new OfficeValidationException(new Dictionary<string, string[]> { ["reply"] = [$"a reply is required (at most {MaxText} characters)"] });
        }
        var row = store.Insert(RectificationsTable.Name, new JsonObject
        {
            ["inspection_id"] = id,
            ["unit"] = unit,
            ["reply"] = text,
            ["author"] = author,
            ["at_utc"] = Iso(time.GetUtcNow()),
        });
        return ToReply(row);
    }

    private static Dictionary<string, List<RectificationDto>> Replies(System.Data.Common.DbConnection conn)
    {
        var t = RectificationsTable.Definition;
        var map = new Dictionary<string, List<RectificationDto>>(StringComparer.Ordinal);
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM {RectificationsTable.Name} WHERE deleted = 0");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = RowIo.ReadRow(t, r);
            var key = row.Text("inspection_id") ?? "";
            if (!map.TryGetValue(key, out var l)) map[key] = l = [];
            l.Add(ToReply(row));
        }
        foreach (var l in map.Values) l.Sort((a, b) => a.AtUtc.CompareTo(b.AtUtc));
        return map;
    }

    private static RectificationDto ToReply(SyncRow row) =>
        new(row.Id, row.Text("reply") ?? "", row.Text("author") ?? "", WorkflowData.ParseUtc(row.Text("at_utc")));

    private static InspectionDto ToDto(SyncRow row, IReadOnlyList<RectificationDto> replies) => new()
    {
        Id = row.Id,
        Team = row.Text("team") ?? "",
        Unit = row.Text("unit") ?? "",
        InspectedOn = row.Text("inspected_on") ?? "",
        Findings = row.Text("findings") ?? "",
        Rating = row.Text("rating") ?? "",
        FollowUp = row.Text("follow_up"),
        Status = row.Text("status") ?? InspectionStatus.Open,
        Inspector = row.Text("inspector") ?? "",
        CreatedUtc = WorkflowData.ParseUtc(row.Text("created_utc")),
        Replies = replies,
    };

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
