using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.PortalContent;

/// <summary>
/// 办事服务 (<c>portal_services</c>): one administrative service of the county's catalogue (办事指南) with its procedure,
/// required materials, statutory (法定) and committed (承诺) time limits in working days. Written at the hub only,
/// published to every node (a township window can show the catalogue offline). Multi-line fields hold one item a line.
/// </summary>
public static class PortalServicesTable
{
    public const string Name = "portal_services";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("code"),
            new SyncColumn("name", Required: true),
            new SyncColumn("department", Required: true),
            new SyncColumn("category", Required: true),
            new SyncColumn("basis"),
            new SyncColumn("conditions"),
            new SyncColumn("procedure"),
            new SyncColumn("materials"),
            new SyncColumn("legal_days", SyncColumnType.Integer),
            new SyncColumn("promised_days", SyncColumnType.Integer),
            new SyncColumn("fees"),
            new SyncColumn("place"),
            new SyncColumn("hours"),
            new SyncColumn("phone"),
            new SyncColumn("online", SyncColumnType.Integer),
            new SyncColumn("visits", SyncColumnType.Integer),
            new SyncColumn("demo", SyncColumnType.Integer),
            new SyncColumn("sort", SyncColumnType.Integer),
            new SyncColumn("updated_utc", Required: true),
            new SyncColumn("updated_by"),
        ],
        _ => Scopes.Everyone,
        ["ix_portal_services_cat(category, deleted)"]);
}

/// <summary>通知公告 published to the public (<c>portal_notices</c>), written at the hub, visible everywhere.</summary>
public static class PortalNoticesTable
{
    public const string Name = "portal_notices";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("title", Required: true),
            new SyncColumn("body"),
            new SyncColumn("publisher", Required: true),
            new SyncColumn("published_utc", Required: true),
            new SyncColumn("author"),
            new SyncColumn("updated_utc"),
        ],
        _ => Scopes.Everyone,
        ["ix_portal_notices_pub(published_utc)"]);
}

/// <summary>招商引资 projects (<c>portal_projects</c>): amount in 万元.</summary>
public static class PortalProjectsTable
{
    public const string Name = "portal_projects";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("name", Required: true),
            new SyncColumn("industry", Required: true),
            new SyncColumn("location"),
            new SyncColumn("amount_wan", SyncColumnType.Integer),
            new SyncColumn("summary"),
            new SyncColumn("contact"),
            new SyncColumn("phone"),
            new SyncColumn("published_utc", Required: true),
            new SyncColumn("author"),
        ],
        _ => Scopes.Everyone,
        ["ix_portal_projects_pub(published_utc)"]);
}

/// <summary>
/// 民意征集 consultations (<c>portal_consultations</c>): open and close dates (China dates, yyyy-MM-dd, both inclusive)
/// and, once closed, the published summary of what residents said.
/// </summary>
public static class PortalConsultationsTable
{
    public const string Name = "portal_consultations";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("topic", Required: true),
            new SyncColumn("description"),
            new SyncColumn("opens_on", Required: true),
            new SyncColumn("closes_on", Required: true),
            new SyncColumn("summary"),
            new SyncColumn("summary_utc"),
            new SyncColumn("publisher"),
            new SyncColumn("published_utc", Required: true),
            new SyncColumn("author"),
        ],
        _ => Scopes.Everyone,
        ["ix_portal_consultations_pub(published_utc)"]);
}

/// <summary>
/// Residents' anonymous opinions on a consultation (<c>portal_opinions</c>): append-only, submitted on the hub's portal,
/// never shown one by one to the public (only counted, and summarised by staff). Kept at the hub (scope: its origin).
/// </summary>
public static class PortalOpinionsTable
{
    public const string Name = "portal_opinions";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("consultation_id", Required: true),
            new SyncColumn("text", Required: true),
            new SyncColumn("submitted_utc", Required: true),
        ],
        row => Scopes.Of([row.Origin]),
        ["ix_portal_opinions_c(consultation_id)"]);
}

/// <summary>Service categories (事项类型), stored as codes; labels are PortalText "Cat_" + code.</summary>
public static class ServiceCategories
{
    public const string Licensing = "licensing";       // 行政许可
    public const string Confirmation = "confirmation"; // 行政确认
    public const string Benefit = "benefit";           // 行政给付
    public const string Public = "public";             // 公共服务
    public const string Other = "other";               // 其他行政权力

    public static readonly IReadOnlyList<string> All = [Licensing, Confirmation, Benefit, Public, Other];
}
