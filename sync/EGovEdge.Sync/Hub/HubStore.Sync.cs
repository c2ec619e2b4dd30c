using System.Data.Common;
using System.Globalization;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Hub;

public sealed partial class HubStore
{
    /// <summary>
    /// Applies one pushed batch in one transaction. A batch at or below the node's acknowledged sequence is
    /// answered as a duplicate without touching anything; rows the node may not write are refused with a reason
    /// and do not block the others.
    /// </summary>
    public PushResponse ApplyPush(string node, PushRequest batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var conn = OpenConnection();
        using var tx = _db.BeginWrite(conn);
        EnsureNode(conn, tx, node);
        var acked = conn.ScalarLong("SELECT push_acked FROM hub_nodes WHERE node = @n", tx, ("@n", node));
        var storeId = conn.ScalarString("SELECT store_id FROM hub_nodes WHERE node = @n", tx, ("@n", node));
        if (batch.StoreId is not null && storeId != batch.StoreId)
        {
            // A different database at this township (rebuilt, restored, re-installed): its log starts again.
            acked = 0;
        }
        var changes = batch.Changes ?? [];
        if (batch.LastSeq <= acked)
        {
            var again = RejectionsOf(conn, tx, node, changes);
            tx.Commit();
            return new PushResponse { AckedSeq = acked, Duplicate = true, Rejected = again };
        }

        var applied = 0;
        var conflicts = 0;
        var rejected = new List<RejectedChange>();
        var now = NowText();
        foreach (var change in changes)
        {
            var reason = Validate(node, change, out var table);
            var kind = RejectionKinds.Invalid;
            SyncRow? local = null;
            SyncRow? incoming = null;
            if (reason is null)
            {
                incoming = change.ToRow();
                local = RowIo.Get(conn, tx, table!, incoming.Id);
                if (local is not null && local.Hlc == incoming.Hlc)
                {
                    // Already held (a batch overlapping one acknowledged before): nothing to judge, nothing to do.
                    continue;
                }
                if (local is not null)
                {
                    // An edge one schema version behind does not know newer columns: keep the hub's values for them.
                    foreach (var column in table!.Columns.Where(c => !incoming.Data.ContainsKey(c.Name)))
                    {
                        incoming.Data[column.Name] = local.Data[column.Name]?.DeepClone();
                    }
                }
                incoming.Data = table!.Sanitize(incoming.Data, out var dataError);
                reason = dataError;
                if (reason is null && Rules.Check(node, table, local, incoming) is { } forbidden)
                {
                    reason = forbidden;
                    kind = RejectionKinds.Forbidden;
                }
            }
            if (reason is not null)
            {
                rejected.Add(Reject(conn, tx, node, change, incoming, local, reason, kind, now));
                continue;
            }
            var version = incoming!;
            Clock.Observe(version.Hlc);
            switch (ConflictPolicy.Decide(local, version, change.Chain, localUnshared: true))
            {
                case ApplyDecision.Insert:
                case ApplyDecision.FastForward:
                    version.PrevHlc = local?.Hlc;
                    Store(conn, tx, table!, version);
                    applied++;
                    break;
                case ApplyDecision.IncomingWins:
                    SaveConflict(conn, tx, version, local!, now);
                    version.PrevHlc = local!.Hlc;
                    Store(conn, tx, table!, version);
                    applied++;
                    conflicts++;
                    break;
                case ApplyDecision.LocalWins:
                    SaveConflict(conn, tx, local!, version, now);
                    conflicts++;
                    break;
                case ApplyDecision.Skip:
                    break;
            }
        }
        conn.Exec("""
            UPDATE hub_nodes SET push_acked = @a, changes_received = changes_received + @c, last_push_utc = @d, schema_version = @v,
                   store_id = COALESCE(@s, store_id)
            WHERE node = @n
            """, tx, ("@a", batch.LastSeq), ("@c", (long)applied), ("@d", now), ("@v", (long)batch.SchemaVersion), ("@s", batch.StoreId), ("@n", node));
        tx.Commit();
        return new PushResponse { AckedSeq = batch.LastSeq, Applied = applied, Conflicts = conflicts, Rejected = rejected };
    }

    private RejectedChange Reject(DbConnection conn, DbTransaction tx, string node, SyncChange change, SyncRow? incoming, SyncRow? local,
        string reason, string kind, string now)
    {
        var table = change.Table ?? "";
        var id = change.Id ?? "";
        var hlc = change.Hlc ?? "";
        conn.Exec("""
            INSERT INTO hub_rejected (id, node, tbl, row_id, hlc, reason, kind, row_json, rejected_utc)
            VALUES (@id, @n, @t, @r, @h, @why, @k, @j, @d) ON CONFLICT (id) DO NOTHING
            """, tx, ("@id", ConflictRecord.MakeId(table, id, hlc, node)), ("@n", node), ("@t", table), ("@r", id), ("@h", hlc),
            ("@why", reason), ("@k", kind), ("@j", incoming is null ? null : RowIo.ToJson(incoming)), ("@d", now));
        return new RejectedChange
        {
            Table = table, Id = id, Hlc = hlc, Reason = reason, Kind = kind,
            Current = kind == RejectionKinds.Forbidden && local is not null ? SyncChange.FromRow(local, local.PrevHlc) : null,
        };
    }

    /// <summary>Rejections recorded for a batch that is sent again (its first answer was lost).</summary>
    private List<RejectedChange> RejectionsOf(DbConnection conn, DbTransaction tx, string node, List<SyncChange> changes)
    {
        var list = new List<RejectedChange>();
        foreach (var change in changes)
        {
            if (change.Table is null || change.Id is null || change.Hlc is null) continue;
            using var cmd = conn.Command("SELECT reason, kind FROM hub_rejected WHERE id = @id", tx,
                ("@id", ConflictRecord.MakeId(change.Table, change.Id, change.Hlc, node)));
            using var r = cmd.ExecuteReader();
            if (!r.Read()) continue;
            var (reason, kind) = (r.GetString(0), r.GetString(1));
            r.Close();
            SyncRow? local = Schema.Tables.TryGetValue(change.Table, out var t) ? RowIo.Get(conn, tx, t, change.Id) : null;
            list.Add(new RejectedChange
            {
                Table = change.Table, Id = change.Id, Hlc = change.Hlc, Reason = reason, Kind = kind,
                Current = kind == RejectionKinds.Forbidden && local is not null ? SyncChange.FromRow(local, local.PrevHlc) : null,
            });
        }
        return list;
    }

    private string? Validate(string node, SyncChange change, out SyncTable? table)
    {
        table = null;
        if (change.Table is null || change.Id is null || change.Hlc is null || change.Origin is null || change.Data is null)
        {
            return "incomplete change (table, id, hlc, origin and data are required)";
        }
        if (!Schema.Tables.TryGetValue(change.Table, out table)) return $"unknown table '{change.Table}'";
        if (!Guid.TryParse(change.Id, out _)) return "row id is not a UUID";
        if (!Hlc.TryParse(change.Hlc, out var hlc)) return "malformed hlc stamp";
        if (hlc.Node != node) return $"the version stamp names node '{hlc.Node}', not the sender '{node}'";
        if (change.Prev is not null && !Hlc.TryParse(change.Prev, out _)) return "malformed prev stamp";
        if (!NodeIds.IsValid(change.Origin)) return "malformed origin";
        var limit = Time.GetUtcNow().AddDays(1).ToUnixTimeMilliseconds();
        return hlc.WallMs > limit ? "hlc stamp is more than a day in the future (check the township's clock)" : null;
    }

    private void Store(DbConnection conn, DbTransaction tx, SyncTable table, SyncRow row)
    {
        RowIo.Upsert(conn, tx, table, row);
        AppendLog(conn, tx, table, row);
    }

    private void SaveConflict(DbConnection conn, DbTransaction tx, SyncRow winner, SyncRow loser, string now)
    {
        if (ConflictLog.Record(Schema, NodeId, Clock.Next().ToString(), now, winner, loser) is { } record && !ConflictLog.Exists(conn, tx, record.Id))
        {
            Store(conn, tx, Schema[ConflictTables.Conflicts], record);
            Audit(conn, tx, Schema[ConflictTables.Conflicts], null, record);
        }
        conn.Exec("""
            INSERT INTO hub_conflicts (id, tbl, row_id, winner_hlc, loser_hlc, winner_json, loser_json, detected_utc, detected_node)
            VALUES (@id, @t, @r, @w, @l, @wj, @lj, @d, @n) ON CONFLICT (id) DO NOTHING
            """, tx, ("@id", ConflictRecord.MakeId(winner.Table, winner.Id, winner.Hlc, loser.Hlc)), ("@t", winner.Table),
            ("@r", winner.Id), ("@w", winner.Hlc), ("@l", loser.Hlc), ("@wj", RowIo.ToJson(winner)), ("@lj", RowIo.ToJson(loser)),
            ("@d", now), ("@n", NodeId));
    }

    private static void EnsureNode(DbConnection conn, DbTransaction tx, string node) =>
        conn.Exec("INSERT INTO hub_nodes (node) VALUES (@n) ON CONFLICT (node) DO NOTHING", tx, ("@n", node));

    /// <summary>
    /// Everything after the request cursor that <paramref name="node"/> may see, oldest first, except the
    /// node's own versions (it has them) unless it asks for them (a node rebuilding from empty).
    /// </summary>
    public PullResponse Pull(string node, PullRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.Limit <= 0 ? 500 : Math.Min(request.Limit, 5000);
        if (MustRebootstrap(node, request.Cursor)) return new PullResponse { NextCursor = 0, ResetRequired = true };
        var pattern = "%|" + node.Replace("_", "\\_", StringComparison.Ordinal) + "|%";
        var changes = new List<SyncChange>();
        long max, last = 0;
        long? remaining = null;
        var count = 0;
        using (var conn = OpenConnection())
        using (var tx = _db.BeginRead(conn))
        {
            max = conn.ScalarLong("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log", tx);
            var entries = new List<(long Seq, string Table, string Id)>();
            using (var cmd = conn.Command($"""
                SELECT hub_seq, tbl, row_id FROM hub_log
                WHERE hub_seq > @c AND hub_seq <= @max {(request.IncludeOwn ? "" : "AND writer <> @n")}
                  AND (scope = '*' OR scope LIKE @p ESCAPE '\')
                ORDER BY hub_seq LIMIT @lim
                """, tx, ("@c", request.Cursor), ("@max", max), ("@n", node), ("@p", pattern), ("@lim", (long)limit)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) entries.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
            }
            count = entries.Count;
            if (count > 0) last = entries[^1].Seq;
            if (request.CountRemaining)
            {
                remaining = count < limit ? 0 : conn.ScalarLong($"""
                    SELECT COUNT(*) FROM hub_log WHERE hub_seq > @c AND hub_seq <= @max {(request.IncludeOwn ? "" : "AND writer <> @n")}
                      AND (scope = '*' OR scope LIKE @p ESCAPE '\')
                    """, tx, ("@c", last), ("@max", max), ("@n", node), ("@p", pattern));
            }
            foreach (var group in entries.GroupBy(e => e.Table))
            {
                if (!Schema.Tables.TryGetValue(group.Key, out var t)) continue;
                var rows = RowIo.GetMany(conn, tx, t, group.Select(g => g.Id).ToList()).ToDictionary(x => x.Id);
                foreach (var e in group)
                {
                    if (rows.TryGetValue(e.Id, out var row)) changes.Add(SyncChange.FromRow(row, row.PrevHlc, seq: e.Seq));
                }
            }
            tx.Commit();
        }
        changes.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var hasMore = count == limit;
        var next = hasMore ? last : Math.Max(max, request.Cursor);

        using (var conn = OpenConnection())
        using (var tx = _db.BeginWrite(conn))
        {
            EnsureNode(conn, tx, node);
            conn.Exec("""
                UPDATE hub_nodes SET pull_cursor = CASE WHEN pull_cursor > @c THEN pull_cursor ELSE @c END,
                       changes_sent = changes_sent + @s, last_pull_utc = @d, schema_version = @v WHERE node = @n
                """, tx, ("@c", request.Cursor), ("@s", (long)changes.Count), ("@d", NowText()), ("@v", (long)request.SchemaVersion), ("@n", node));
            tx.Commit();
        }
        return new PullResponse { Changes = changes, NextCursor = next, HasMore = hasMore, Remaining = remaining };
    }
}
