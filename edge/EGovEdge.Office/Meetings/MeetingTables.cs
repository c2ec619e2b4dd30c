using EGovEdge.Office.Booking;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Meetings;

/// <summary>The replicated tables of the Meetings module.</summary>
public static class MeetingTables
{
    public const string Rooms = "mtg_rooms";
    public const string Meetings = "mtg_meetings";
    public const string Decisions = "mtg_decisions";
    public const string Attendance = "mtg_attendance";
    public const string Materials = "mtg_materials";
    public const string FeedKeys = "mtg_feed_keys";

    public static readonly BookingKind Kind = new(Meetings, Decisions, Rooms);

    /// <summary>Meeting rooms; a room belongs to the node that created it (its origin), the only node that confirms its bookings.</summary>
    public static readonly SyncTable RoomsDefinition = new(
        Rooms,
        [
            new SyncColumn("name", Required: true),
            new SyncColumn("location"),
            new SyncColumn("capacity", SyncColumnType.Integer),
            new SyncColumn("devices"),
            new SyncColumn("needs_approval", SyncColumnType.Integer),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone);

    /// <summary>
    /// Meetings, each a booking request of a room owned by the requesting node. <c>attendees</c> lists usernames,
    /// <c>attendee_units</c> invited units; <c>audience</c> is every node that must see it (attendees' units too); <c>series_id</c> links the occurrences of a
    /// weekly meeting (周例会), each its own row (added later: not required; no index, as indexes are made before columns are added).
    /// </summary>
    public static readonly SyncTable MeetingsDefinition = new(
        Meetings,
        [
            .. BookingEngine.RequestColumns,
            new SyncColumn("title", Required: true),
            new SyncColumn("agenda"),
            new SyncColumn("host"),
            new SyncColumn("attendees"),
            new SyncColumn("attendee_units"),
            new SyncColumn("minutes_doc_id"),
            new SyncColumn("closed_utc"),
            new SyncColumn("sequence", SyncColumnType.Integer),
            new SyncColumn("updated_utc"),
            new SyncColumn("series_id"),
        ],
        row => Audience.Scope(row, "resource_node", "audience"),
        ["ix_mtg_meetings_room(resource_id, start_utc)", "ix_mtg_meetings_start(start_utc)"]);

    /// <summary>The room owner's decisions on meetings (append-only).</summary>
    public static readonly SyncTable DecisionsDefinition = BookingEngine.DecisionsTable(Decisions);

    /// <summary>Registration (accept), leave (decline, with reason) and sign-in, append-only, by whoever acts.</summary>
    public static readonly SyncTable AttendanceDefinition = new(
        Attendance,
        [
            new SyncColumn("meeting_id", Required: true),
            new SyncColumn("username", Required: true),
            new SyncColumn("display_name"),
            new SyncColumn("kind", Required: true),
            new SyncColumn("reason"),
            new SyncColumn("at_utc", Required: true),
            new SyncColumn("audience"),
        ],
        row => Audience.Scope(row, "audience"),
        ["ix_mtg_attendance_meeting(meeting_id)"]);

    /// <summary>Materials attached to a meeting (base64, ≤ 10 MB, sha256); archived when the meeting closes.</summary>
    public static readonly SyncTable MaterialsDefinition = new(
        Materials,
        [
            new SyncColumn("meeting_id", Required: true),
            new SyncColumn("name", Required: true),
            new SyncColumn("content_type"),
            new SyncColumn("size", SyncColumnType.Integer),
            new SyncColumn("sha256", Required: true),
            new SyncColumn("data", Required: true),
            new SyncColumn("uploaded_by", Required: true),
            new SyncColumn("uploaded_utc", Required: true),
            new SyncColumn("archived", SyncColumnType.Integer),
            new SyncColumn("audience"),
        ],
        row => Audience.Scope(row, "audience"),
        ["ix_mtg_materials_meeting(meeting_id)"]);

    /// <summary>Calendar feed keys (sha256 of the secret), append-only: the newest row per user is the valid key.</summary>
    public static readonly SyncTable FeedKeysDefinition = new(
        FeedKeys,
        [
            new SyncColumn("username", Required: true),
            new SyncColumn("key_hash", Required: true),
            new SyncColumn("unit"),
            new SyncColumn("created_utc", Required: true),
        ],
        row => Scopes.Of([row.Origin, NodeIds.Hub, row.Text("unit") ?? row.Origin]),
        ["ix_mtg_feed_keys_user(username, created_utc)"]);

    public static IReadOnlyList<SyncTable> All =>
        [RoomsDefinition, MeetingsDefinition, DecisionsDefinition, AttendanceDefinition, MaterialsDefinition, FeedKeysDefinition];

    /// <summary>Attendance kinds.</summary>
    public const string Accept = "accept";
    public const string Leave = "leave";
    public const string SignIn = "signin";
}
