using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Booking;

/// <summary>
/// The tables of one kind of bookable resource (meeting rooms, vehicles). A request row is owned by the node that made
/// it; the decision on it is a separate append-only row that only the resource's owner node (the origin of the
/// resource row) writes, inside one serialised write transaction after checking clashes against confirmed bookings.
/// </summary>
/// <param name="Requests">Table of requests: resource_id, resource_node, start_utc, end_utc, requested_by, requested_utc, cancelled, audience.</param>
/// <param name="Decisions">Table of decisions: request_id, resource_id, status, reason, decided_by, decided_utc, driver, audience.</param>
/// <param name="Resources">Table of the resources (rooms, vehicles); a resource's owner is its origin.</param>
public sealed record BookingKind(string Requests, string Decisions, string Resources);

/// <summary>Where a booking stands (serialised by name whichever JSON resolver handles it).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<BookingStatus>))]
public enum BookingStatus
{
    /// <summary>Requested, not yet decided by the resource's owner node (made elsewhere or offline, or waiting for approval).</summary>
    Tentative,
    Confirmed,
    Declined,
    Cancelled,
}

/// <summary>What happened to a request the owner node looked at.</summary>
public enum BookingOutcome
{
    Confirmed,
    Declined,
    LeftPending,
}

/// <summary>The shared clash check and confirmation of bookings (meeting rooms and vehicles).</summary>
public static class BookingEngine
{
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";

    /// <summary>Decline reasons (stored; shown localised).</summary>
    public const string ReasonClash = "clash";
    public const string ReasonUnavailable = "unavailable";

    /// <summary>Columns every request table has (kinds add their own).</summary>
    public static IReadOnlyList<SyncColumn> RequestColumns =>
    [
        new("resource_id", Required: true),
        new("resource_node", Required: true),
        new("start_utc", Required: true),
        new("end_utc", Required: true),
        new("requested_by", Required: true),
        new("requested_utc", Required: true),
        new("cancelled", SyncColumnType.Integer),
        new("audience"),
    ];

    /// <summary>Request fields a decision depends on: they never change after the request is made.</summary>
    public static readonly IReadOnlyList<string> ImmutableRequestColumns =
        ["resource_id", "resource_node", "start_utc", "end_utc", "requested_by", "requested_utc"];

    public static SyncTable DecisionsTable(string name) => new(
        name,
        [
            new SyncColumn("request_id", Required: true),
            new SyncColumn("resource_id", Required: true),
            new SyncColumn("status", Required: true),
            new SyncColumn("reason"),
            new SyncColumn("decided_by", Required: true),
            new SyncColumn("decided_utc", Required: true),
            new SyncColumn("driver"),
            new SyncColumn("audience"),
        ],
        row => Audience.Scope(row, "audience"),
        [$"ix_{name}_request(request_id)", $"ix_{name}_resource(resource_id, status)"]);

    private static string Cols(SyncTable t, string alias) =>
        string.Join(", ", SyncTable.EngineColumns.Concat(t.Columns.Select(c => c.Name)).Select(c => alias + "." + c));

    /// <summary>
    /// Requests for resources owned by <paramref name="node"/> that it has not decided yet, live and not cancelled,
    /// first come first served (request time, then id).
    /// </summary>
    public static List<SyncRow> Pending(DbConnection conn, DbTransaction? tx, ILocalStore store, BookingKind kind, string node)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kind);
        var req = store.Schema[kind.Requests];
        var sql = $"SELECT {Cols(req, "r")} FROM {kind.Requests} r JOIN {kind.Resources} s ON s.id = r.resource_id " +
                  $"WHERE s.origin = @node AND r.deleted = 0 AND COALESCE(r.cancelled, 0) = 0 " +
                  $"AND NOT EXISTS (SELECT 1 FROM {kind.Decisions} d WHERE d.request_id = r.id AND d.origin = @node AND d.deleted = 0) " +
                  "ORDER BY r.requested_utc, r.id";
        return Read(conn, tx, req, sql, ("@node", node));
    }

    /// <summary>
    /// Ids of confirmed, not cancelled bookings overlapping [start, end) on the resource (or, when
    /// <paramref name="driver"/> is given, with that driver), except <paramref name="exceptRequest"/>.
    /// Only decisions written by the resource's owner count.
    /// </summary>
    public static List<string> Clashes(DbConnection conn, DbTransaction? tx, BookingKind kind, string? resourceId, string start, string end,
        string? exceptRequest, string? driver = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var where = new StringBuilder();
        var args = new List<(string, object?)> { ("@start", start), ("@end", end), ("@skip", exceptRequest ?? "") };
        if (resourceId is not null)
        {
            where.Append(" AND d.resource_id = @res");
            args.Add(("@res", resourceId));
        }
        if (driver is not null)
        {
            where.Append(" AND d.driver = @driver");
            args.Add(("@driver", driver));
        }
        var sql = $"SELECT r.id FROM {kind.Decisions} d JOIN {kind.Requests} r ON r.id = d.request_id JOIN {kind.Resources} s ON s.id = r.resource_id " +
                  $"WHERE d.deleted = 0 AND d.status = '{Confirmed}' AND d.origin = s.origin AND d.resource_id = r.resource_id " +
                  $"AND r.deleted = 0 AND COALESCE(r.cancelled, 0) = 0 AND r.id <> @skip " +
                  $"AND r.start_utc < @end AND r.end_utc > @start{where} ORDER BY r.start_utc";
        var ids = new List<string>();
        using var cmd = conn.Command(sql, tx, [.. args]);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// The valid decision (written by the resource's owner; the first if ever more than one) of each request matched by
    /// <paramref name="requestWhere"/> (SQL over alias <c>r</c>), keyed by request id.
    /// </summary>
    public static Dictionary<string, SyncRow> DecisionsWhere(DbConnection conn, DbTransaction? tx, ILocalStore store, BookingKind kind,
        string requestWhere, params (string, object?)[] args)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kind);
        var dec = store.Schema[kind.Decisions];
        var sql = $"SELECT {Cols(dec, "d")} FROM {kind.Decisions} d JOIN {kind.Requests} r ON r.id = d.request_id " +
                  $"JOIN {kind.Resources} s ON s.id = r.resource_id " +
                  $"WHERE d.deleted = 0 AND d.origin = s.origin AND d.resource_id = r.resource_id AND ({requestWhere}) ORDER BY d.hlc";
        var map = new Dictionary<string, SyncRow>(StringComparer.Ordinal);
        foreach (var row in Read(conn, tx, dec, sql, args)) map.TryAdd(row.Text("request_id")!, row);
        return map;
    }

    public static SyncRow? DecisionOf(DbConnection conn, DbTransaction? tx, ILocalStore store, BookingKind kind, string requestId) =>
        DecisionsWhere(conn, tx, store, kind, "r.id = @rid", ("@rid", requestId)).GetValueOrDefault(requestId);

    public static BookingStatus StatusOf(SyncRow request, SyncRow? decision)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Deleted || request.Integer("cancelled") is 1) return BookingStatus.Cancelled;
        return decision?.Text("status") switch
        {
            Confirmed => BookingStatus.Confirmed,
            Declined => BookingStatus.Declined,
            _ => BookingStatus.Tentative,
        };
    }

    /// <summary>
    /// The owner node decides one request inside <paramref name="w"/>: declines it when it clashes with a confirmed
    /// booking or <paramref name="unavailable"/> names a reason, confirms it when <paramref name="confirm"/> allows,
    /// else leaves it pending. Null when the request is not this node's to decide or already decided.
    /// </summary>
    public static (BookingOutcome Outcome, SyncRow? Decision)? Decide(ILocalWrite w, ILocalStore store, BookingKind kind, string requestId,
        string by, DateTimeOffset now, bool confirm, Func<SyncRow, SyncRow, string?>? unavailable = null, string? driver = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(kind);
        var request = w.Get(kind.Requests, requestId);
        if (request is null || request.Deleted || request.Integer("cancelled") is 1) return null;
        var resource = w.Get(kind.Resources, request.Text("resource_id") ?? "");
        if (resource is null || resource.Origin != w.NodeId) return null;
        if (DecisionOf(w.Connection, w.Transaction, store, kind, requestId) is not null) return null;
        var start = request.Text("start_utc")!;
        var end = request.Text("end_utc")!;
        string? reason = null;
        if (resource.Deleted) reason = ReasonUnavailable;
        else if (unavailable?.Invoke(request, resource) is { } r) reason = r;
        else if (Clashes(w.Connection, w.Transaction, kind, resource.Id, start, end, request.Id).Count > 0) reason = ReasonClash;
        if (reason is null && !confirm) return (BookingOutcome.LeftPending, null);
        var decision = WriteDecision(w, kind, request, reason is null ? Confirmed : Declined, reason, by, now, reason is null ? driver : null);
        return (reason is null ? BookingOutcome.Confirmed : BookingOutcome.Declined, decision);
    }

    /// <summary>Appends a decision row (the caller has checked that this node owns the resource).</summary>
    public static SyncRow WriteDecision(ILocalWrite w, BookingKind kind, SyncRow request, string status, string? reason, string by,
        DateTimeOffset now, string? driver)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(request);
        var audience = Audience.Decode(request.Text("audience")).Append(request.Origin).Append(w.NodeId);
        return w.Insert(kind.Decisions, new JsonObject
        {
            ["request_id"] = request.Id,
            ["resource_id"] = request.Text("resource_id"),
            ["status"] = status,
            ["reason"] = reason,
            ["decided_by"] = by,
            ["decided_utc"] = BookingTime.Text(now),
            ["driver"] = driver,
            ["audience"] = Audience.Encode(audience),
        });
    }

    /// <summary>
    /// The hub's rule for request tables: created only by the pushing township as itself, changed only by it, and the
    /// fields a decision depends on never change (cancel and re-book instead).
    /// </summary>
    public static string? CheckRequest(string node, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (existing is null) return incoming.Origin == node ? null : $"node '{node}' may not make a booking request on behalf of '{incoming.Origin}'";
        if (existing.Origin != incoming.Origin || existing.Origin != node) return $"node '{node}' may not change a booking request made by '{existing.Origin}'";
        foreach (var c in ImmutableRequestColumns)
        {
            if (existing.Text(c) != incoming.Text(c)) return $"the {c} of a booking request cannot change; cancel it and book again";
        }
        if (existing.Integer("cancelled") is 1 && incoming.Integer("cancelled") is not 1) return "a cancelled booking cannot be reopened";
        return null;
    }

    /// <summary>
    /// The hub's rule for decision tables: append-only, written by the pushing township as itself, for a resource that
    /// township owns (the resource id is bound to its owner, see <see cref="ResourceIds"/>). Readers also ignore
    /// decisions not written by the resource row's origin, so a forged decision never counts anywhere.
    /// </summary>
    public static string? CheckDecision(string node, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (existing is not null) return "booking decisions are append-only";
        if (incoming.Origin != node) return $"node '{node}' may not write a decision on behalf of '{incoming.Origin}'";
        if (incoming.Deleted) return "booking decisions are append-only";
        if (!ResourceIds.IsOwnedBy(incoming.Text("resource_id"), node))
        {
            return $"node '{node}' may not decide bookings of a resource it does not own";
        }
        return null;
    }

    /// <summary>
    /// The hub's rule for resource tables (rooms, vehicles): the pushing township's own rows only, and a new resource's
    /// id must be bound to its owner (see <see cref="ResourceIds"/>).
    /// </summary>
    public static string? CheckResource(string node, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (existing is null && incoming.Origin == node && !ResourceIds.IsOwnedBy(incoming.Id, node))
        {
            return "a bookable resource's id must be bound to the node that owns it";
        }
        return null;
    }

    /// <summary>The hub's rule for append-only records (registrations, sign-ins, trip reports, feed keys): new rows as oneself only.</summary>
    public static string? CheckAppendOnly(string node, SyncRow? existing, SyncRow incoming, string what)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (existing is not null) return $"{what} are append-only";
        if (incoming.Deleted) return $"{what} are append-only";
        return incoming.Origin == node ? null : $"node '{node}' may not write {what} on behalf of '{incoming.Origin}'";
    }

    private static List<SyncRow> Read(DbConnection conn, DbTransaction? tx, SyncTable t, string sql, params (string, object?)[] args)
    {
        var rows = new List<SyncRow>();
        using var cmd = conn.Command(sql, tx, args);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) rows.Add(RowIo.ReadRow(t, reader));
        return rows;
    }

    /// <summary>Reads rows of <paramref name="t"/> with a WHERE/ORDER BY tail (alias <c>r</c>).</summary>
    public static List<SyncRow> Select(DbConnection conn, DbTransaction? tx, SyncTable t, string tail, params (string, object?)[] args)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Read(conn, tx, t, $"SELECT {Cols(t, "r")} FROM {t.Name} r {tail}", args);
    }

    internal static string Invariant(long v) => v.ToString(CultureInfo.InvariantCulture);
}
