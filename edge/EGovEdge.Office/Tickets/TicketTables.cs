using EGovEdge.Sync;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Tickets;

/// <summary>
/// The replicated <c>tickets</c> table: one row per case, owned (and only ever changed) by the node that accepted it.
/// <c>unit</c> is the township handling it ("hub" while with the county); scope: the hub, the owner and that unit.
/// Personal data (<c>resident_*</c>) stays in this row and is never published; <c>query_hash</c> is SHA-256 of the
/// ticket id and the resident's query code (the code itself is shown once).
/// </summary>
public static class TicketsTable
{
    public const string Name = "tickets";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("number", Required: true),
            new SyncColumn("year", SyncColumnType.Integer, Required: true),
            new SyncColumn("seq", SyncColumnType.Integer, Required: true),
            new SyncColumn("kind", Required: true),
            new SyncColumn("category", Required: true),
            new SyncColumn("urgency", Required: true),
            new SyncColumn("channel", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("township"),
            new SyncColumn("description", Required: true),
            new SyncColumn("address"),
            new SyncColumn("lat"),
            new SyncColumn("lng"),
            new SyncColumn("resident_name"),
            new SyncColumn("resident_phone"),
            new SyncColumn("resident_id_number"),
            new SyncColumn("resident_email"),
            new SyncColumn("is_public", SyncColumnType.Integer),
            new SyncColumn("query_hash", Required: true),
            new SyncColumn("accepted_utc", Required: true),
            new SyncColumn("filed_by"),
            new SyncColumn("service_code"),
            new SyncColumn("media_url"),
            new SyncColumn("has_photo", SyncColumnType.Integer),
            new SyncColumn("same_matter_of"),
        ],
        Scope,
        ["ix_tickets_number(number)", "ix_tickets_seq(origin, year, seq)", "ix_tickets_unit(unit, deleted)", "ix_tickets_accepted(accepted_utc)"]);

    public static string Scope(SyncRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Scopes.Of([NodeIds.Hub, row.Origin, row.Text("unit") ?? row.Origin]);
    }
}

/// <summary>
/// Append-only <c>ticket_events</c>: one row per transition (who, when, at which node, opinion, legal basis …).
/// State and clocks are folded from them. <c>unit</c> is the township the ticket was with when the event was written
/// (the scope: hub, ticket owner, that unit; a dispatch also reaches its <c>to_unit</c>).
/// </summary>
public static class TicketEventsTable
{
    public const string Name = "ticket_events";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("ticket_id", Required: true),
            new SyncColumn("ticket_origin", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("action", Required: true),
            new SyncColumn("node", Required: true),
            new SyncColumn("actor", Required: true),
            new SyncColumn("actor_name"),
            new SyncColumn("at_utc", Required: true),
            new SyncColumn("to_unit"),
            new SyncColumn("opinion"),
            new SyncColumn("legal_basis"),
            new SyncColumn("reply"),
            new SyncColumn("reason_code"),
            new SyncColumn("responsible_body"),
            new SyncColumn("satisfaction"),
            new SyncColumn("adoption"),
            new SyncColumn("days", SyncColumnType.Integer),
            new SyncColumn("approved", SyncColumnType.Integer),
            new SyncColumn("level", SyncColumnType.Integer),
            new SyncColumn("deadline_utc"),
            new SyncColumn("due_utc"),
            new SyncColumn("received_utc"),
        ],
        row => Scopes.Of([NodeIds.Hub, row.Text("ticket_origin") ?? row.Origin, row.Origin, row.Text("unit") ?? row.Origin, row.Text("to_unit") ?? row.Origin]),
        ["ix_ticket_events_ticket(ticket_id, at_utc)", "ix_ticket_events_unit(unit, action)"]);
}

/// <summary>
/// A petition's written notices (<c>ticket_notices</c>: 受理告知书, 不予受理告知书, 处理意见书, 复查意见书, 复核意见书), insert-only,
/// each with its PDF (base64, as <c>document_files</c> stores PDFs). The number is allocated gap-free per issuing node,
/// kind and year in the issuing transaction. The notice names the petitioner, so it has the ticket's audience only
/// (hub, the ticket's owner, the node that issued it and the ticket's unit) and is never published.
/// </summary>
public static class TicketNoticesTable
{
    public const string Name = "ticket_notices";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("ticket_id", Required: true),
            new SyncColumn("ticket_origin", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("event_id", Required: true),
            new SyncColumn("kind", Required: true),
            new SyncColumn("node", Required: true),
            new SyncColumn("year", SyncColumnType.Integer, Required: true),
            new SyncColumn("seq", SyncColumnType.Integer, Required: true),
            new SyncColumn("number", Required: true),
            new SyncColumn("title", Required: true),
            new SyncColumn("issued_utc", Required: true),
            new SyncColumn("issued_by", Required: true),
            new SyncColumn("issued_by_name"),
            new SyncColumn("size", SyncColumnType.Integer),
            new SyncColumn("sha256", Required: true),
            new SyncColumn("data", Required: true),
        ],
        row => Scopes.Of([NodeIds.Hub, row.Text("ticket_origin") ?? row.Origin, row.Origin, row.Text("unit") ?? row.Origin]),
        ["ix_ticket_notices_ticket(ticket_id, issued_utc)", "ix_ticket_notices_seq(origin, kind, year, seq)"]);
}

/// <summary>A resident's photo (<c>ticket_media</c>, base64), with the ticket's scope.</summary>
public static class TicketMediaTable
{
    public const string Name = "ticket_media";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("ticket_id", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("content_type", Required: true),
            new SyncColumn("data", Required: true),
            new SyncColumn("created_utc", Required: true),
        ],
        row => Scopes.Of([NodeIds.Hub, row.Origin, row.Text("unit") ?? row.Origin]),
        ["ix_ticket_media_ticket(ticket_id)"]);
}

/// <summary>
/// The county's holiday calendar (<c>holiday_calendar</c>), edited at the hub, replicated everywhere: one row per day
/// that differs from the Monday–Friday rule (working = 0 holiday, 1 调休 make-up working day). Overrides the built-in 2026 seed.
/// </summary>
public static class HolidayCalendarTable
{
    public const string Name = "holiday_calendar";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("day", Required: true),
            new SyncColumn("working", SyncColumnType.Integer, Required: true),
            new SyncColumn("name"),
        ],
        _ => Scopes.Everyone,
        ["ix_holiday_calendar_day(day)"]);
}
