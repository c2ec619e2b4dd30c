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
        if (batch.LastSeq <= acked)
        {
            tx.Commit();
            return new PushResponse { AckedSeq = acked, Duplicate = true };
        }

        var applied = 0;
        var conflicts = 0;
        var rejected = new List<RejectedChange>();
        var now = NowText();
        foreach (var change in batch.Changes)
        {
            var reason = Validate(change, out var table);
            var incoming = change.ToRow();
            SyncRow? local = null;
            if (reason is null)
            {
                incoming.Data = table!.Sanitize(incoming.Data, out var dataError);
                local = RowIo.Get(conn, tx, table, incoming.Id);
                reason = dataError ?? Rules.Check(node, table, local, incoming);
            }
            if (reason is not null)
            {
                rejected.Add(new RejectedChange { Table = change.Table, Id = change.Id, Hlc = change.Hlc, Reason = reason });
                conn.Exec("""
                    INSERT INTO hub_rejected (id, node, tbl, row_id, hlc, reason, row_json, rejected_utc)
                    VALUES (@id, @n, @t, @r, @h, @why, @j, @d) ON CONFLICT (id) DO NOTHING
                    """, tx, ("@id", ConflictRecord.MakeId(change.Table, change.Id, change.Hlc, node)), ("@n", node),
                    ("@t", change.Table), ("@r", change.Id), ("@h", change.Hlc), ("@why", reason),
                    ("@j", RowIo.ToJson(incoming)), ("@d", now));
                continue;
            }
            Clock.Observe(incoming.Hlc);
            switch (ConflictPolicy.Decide(local, incoming, change.Chain, localUnshared: true))
            {
                case ApplyDecision.Insert:
                case ApplyDecision.FastForward:
                    incoming.PrevHlc = local?.Hlc;
                    Store(conn, tx, table!, incoming);
                    applied++;
                    break;
                case ApplyDecision.IncomingWins:
                    SaveConflict(conn, tx, incoming, local!, now);
                    incoming.PrevHlc = local!.Hlc;
                    Store(conn, tx, table!, incoming);
                    applied++;
                    conflicts++;
                    break;
                case ApplyDecision.LocalWins:
                    SaveConflict(conn, tx, local!, incoming, now);
                    conflicts++;
                    break;
                case ApplyDecision.Skip:
                    break;
            }
        }
        conn.Exec("""
            UPDATE hub_nodes SET push_acked = @a, changes_received = changes_received + @c, last_push_utc = @d, schema_version = @v
            WHERE node = @n
            """, tx, ("@a", batch.LastSeq), ("@c", (long)applied), ("@d", now), ("@v", (long)batch.SchemaVersion), ("@n", node));
        tx.Commit();
        return new PushResponse { AckedSeq = batch.LastSeq, Applied = applied, Conflicts = conflicts, Rejected = rejected };
    }

    private string? Validate(SyncChange change, out SyncTable? table)
    {
        table = null;
        if (!Schema.Tables.TryGetValue(change.Table, out table)) return $"unknown table '{change.Table}'";
        if (!Guid.TryParse(change.Id, out _)) return "row id is not a UUID";
        if (!Hlc.TryParse(change.Hlc, out var hlc)) return "malformed hlc stamp";
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

    private void SaveConflict(DbConnection conn, DbTransaction tx, SyncRow winner, SyncRow loser, string now) =>
        conn.Exec("""
            INSERT INTO hub_conflicts (id, tbl, row_id, winner_hlc, loser_hlc, winner_json, loser_json, detected_utc, detected_node)
            VALUES (@id, @t, @r, @w, @l, @wj, @lj, @d, @n) ON CONFLICT (id) DO NOTHING
            """, tx, ("@id", ConflictRecord.MakeId(winner.Table, winner.Id, winner.Hlc, loser.Hlc)), ("@t", winner.Table),
            ("@r", winner.Id), ("@w", winner.Hlc), ("@l", loser.Hlc), ("@wj", RowIo.ToJson(winner)), ("@lj", RowIo.ToJson(loser)),
            ("@d", now), ("@n", NodeId));

    private static void EnsureNode(DbConnection conn, DbTransaction tx, string node) =>
        conn.Exec("INSERT INTO hub_nodes (node) VALUES (@n) ON CONFLICT (node) DO NOTHING", tx, ("@n", node));

    /// <summary>
    /// Everything after the request cursor that <paramref name="node"/> may see, oldest first, except the
    /// node's own versions (it has them) unless it asks for them (a node rebuilding from empty).
    /// </summary>
    public PullResponse Pull(string node, PullRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = Math.Clamp(request.Limit, 1, 5000);
        var pattern = "%|" + node.Replace("_", "\\_", StringComparison.Ordinal) + "|%";
        var changes = new List<SyncChange>();
        long max, last = 0;
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
        return new PullResponse { Changes = changes, NextCursor = next, HasMore = hasMore };
    }
}
