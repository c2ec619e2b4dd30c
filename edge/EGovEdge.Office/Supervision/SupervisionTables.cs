using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Supervision;

/// <summary>
/// 督查记录: one inspection of a unit (a township, or "hub" for the county organs) by one of the supervision teams.
/// Written at the county hub only (by supervisors); replicated to the hub and the inspected township, so the township
/// reads its findings. <c>rating</c> is one of <see cref="InspectionRatings"/>, <c>status</c> one of
/// <see cref="InspectionStatus"/>; <c>inspected_on</c> is a China date (yyyy-MM-dd).
/// </summary>
public static class InspectionsTable
{
    public const string Name = "sup_inspections";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("team", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("inspected_on", Required: true),
            new SyncColumn("findings", Required: true),
            new SyncColumn("rating", Required: true),
            new SyncColumn("follow_up"),
            new SyncColumn("status", Required: true),
            new SyncColumn("inspector", Required: true),
            new SyncColumn("created_utc", Required: true),
            new SyncColumn("updated_utc"),
        ],
        row => Scopes.Of([row.Text("unit") ?? row.Origin, row.Origin]),
        ["ix_sup_inspections_unit(unit, inspected_on)"]);
}

/// <summary>
/// 整改回复: a township's (or the hub's) reply to an inspection of that unit; append-only, one row per reply, written
/// at the inspected unit's node and visible to the hub and that unit.
/// </summary>
public static class RectificationsTable
{
    public const string Name = "sup_rectifications";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("inspection_id", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("reply", Required: true),
            new SyncColumn("author", Required: true),
            new SyncColumn("at_utc", Required: true),
        ],
        row => Scopes.Of([row.Text("unit") ?? row.Origin, row.Origin, NodeIdsHub]),
        ["ix_sup_rectifications_inspection(inspection_id)"]);

    private const string NodeIdsHub = EGovEdge.Sync.NodeIds.Hub;
}

/// <summary>评定等次 of an inspection.</summary>
public static class InspectionRatings
{
    public const string Excellent = "excellent"; // 优秀
    public const string Good = "good";           // 良好
    public const string Pass = "pass";           // 合格
    public const string Fail = "fail";           // 不合格

    public static readonly IReadOnlyList<string> All = [Excellent, Good, Pass, Fail];
}

/// <summary>Follow-up state of an inspection: open (整改中) until the team closes it (已办结).</summary>
public static class InspectionStatus
{
    public const string Open = "open";
    public const string Rectifying = "rectifying";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Open, Rectifying, Closed];
}
