using System.Data.Common;
using System.Globalization;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Schema;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Sync.Storage;

public sealed partial class EdgeStore
{
    /// <summary>
    /// Reads the next batch of captured changes after the push cursor: up to <paramref name="maxEntries"/> log
    /// entries, one change per row carrying the row's current state. Null when nothing waits.
    /// </summary>
    public PushRequest? ReadPending(int maxEntries, int schemaVersion, long maxBytes = 8 * 1024 * 1024)
    {
        using var conn = (SqliteConnection)OpenConnection();
        using var tx = conn.BeginTransaction(deferred: true);
        var cursor = ReadLong(conn, tx, "push_cursor");
        var rows = new List<(string Table, string Id)>();
        var firstSeqOfRow = new List<long>();
        var seen = new HashSet<(string, string)>();
        long first = 0, last = 0;
        using (var cmd = conn.Command("SELECT seq, tbl, row_id FROM _sync_log WHERE seq > @c ORDER BY seq LIMIT @n", tx,
                   ("@c", cursor), ("@n", maxEntries)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var seq = r.GetInt64(0);
                if (first == 0) first = seq;
                last = seq;
                var key = (r.GetString(1), r.GetString(2));
                if (seen.Add(key))
                {
                    rows.Add(key);
                    firstSeqOfRow.Add(seq);
                }
            }
        }
        if (last == 0) return null;

        var current = new Dictionary<(string, string), SyncRow>();
        foreach (var group in rows.GroupBy(x => x.Table))
        {
            if (!Schema.Tables.TryGetValue(group.Key, out var t)) continue;
            foreach (var row in RowIo.GetMany(conn, tx, t, group.Select(g => g.Id).ToList())) current[(t.Name, row.Id)] = row;
        }

        // Rows go in log order; a batch stops at about maxBytes (always at least one row), and then ends just
        // before the first log entry of the first row left out, so the acknowledged range covers only rows sent.
        var changes = new List<SyncChange>(rows.Count);
        long bytes = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (!current.TryGetValue(rows[i], out var row)) continue;
            var size = EstimateBytes(row);
            if (changes.Count > 0 && bytes + size > maxBytes)
            {
                last = firstSeqOfRow[i] - 1;
                break;
            }
            bytes += size;
            var (prev, chain) = PendingLineage(conn, tx, row.Table, row.Id, cursor, row.Hlc);
            changes.Add(SyncChange.FromRow(row, prev, chain));
        }
        var storeId = conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'store_id'", tx);
        tx.Commit();
        return new PushRequest
        {
            NodeId = NodeId,
            SchemaVersion = schemaVersion,
            BatchId = $"{NodeId}:{first}-{last}",
            StoreId = storeId,
            FirstSeq = first,
            LastSeq = last,
            Changes = changes,
        };
    }

    private static long EstimateBytes(SyncRow row)
    {
        long n = 160;
        foreach (var (_, v) in row.Data) n += 16 + (v?.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>().Length * 3L : 24);
        return n;
    }

    /// <summary>The version the hub last knew (prev of the first unacknowledged entry) and the local versions since.</summary>
    private static (string? Prev, List<string>? Chain) PendingLineage(DbConnection conn, DbTransaction tx, string table, string id, long cursor, string currentHlc)
    {
        using var cmd = conn.Command("SELECT hlc, prev FROM _sync_log WHERE tbl = @t AND row_id = @r AND seq > @c ORDER BY seq", tx,
            ("@t", table), ("@r", id), ("@c", cursor));
        using var r = cmd.ExecuteReader();
        string? prev = null;
        var isFirst = true;
        List<string>? chain = null;
        while (r.Read())
        {
            if (isFirst)
            {
                prev = r.StringOrNull(1);
                isFirst = false;
            }
            var hlc = r.GetString(0);
            if (hlc != currentHlc) (chain ??= []).Add(hlc);
        }
        return (prev, chain);
    }

    /// <summary>Records the hub's acknowledgement durably: the cursor moves and refused rows are kept for technicians.</summary>
    public void AckPush(PushRequest batch, PushResponse response)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(response);
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        var cursor = ReadLong(conn, tx, "push_cursor");
        var acked = Math.Min(response.AckedSeq, batch.LastSeq);
        if (acked > cursor) SetState(conn, tx, "push_cursor", acked.ToString(CultureInfo.InvariantCulture));
        var settled = Math.Max(cursor, acked);
        var byKey = batch.Changes.ToDictionary(c => (c.Table, c.Id, c.Hlc));
        var reverted = false;
        foreach (var rej in response.Rejected ?? [])
        {
            if (rej.Kind == RejectionKinds.Forbidden && Schema.Tables.TryGetValue(rej.Table, out var table))
            {
                // The township may not write this row: go back to the hub's version (or withdraw a row the hub
                // never accepted). The refused version stays in _sync_rejected, whole, for a technician.
                if (!reverted) conn.Exec("UPDATE _sync_ctx SET applying = 1 WHERE id = 1", tx);
                reverted = true;
                Revert(conn, tx, table, rej, settled);
            }
            byKey.TryGetValue((rej.Table, rej.Id, rej.Hlc), out var change);
            conn.Exec("""
                INSERT INTO _sync_rejected (tbl, row_id, hlc, reason, row_json, rejected_utc) VALUES (@t, @r, @h, @why, @j, @d)
                ON CONFLICT (tbl, row_id, hlc) DO UPDATE SET reason = excluded.reason
                """, tx, ("@t", rej.Table), ("@r", rej.Id), ("@h", rej.Hlc), ("@why", rej.Reason),
                ("@j", change is null ? null : RowIo.ToJson(change.ToRow())), ("@d", NowText()));
        }
        if (reverted) conn.Exec("UPDATE _sync_ctx SET applying = 0 WHERE id = 1", tx);
        tx.Commit();
    }

    private void Revert(DbConnection conn, DbTransaction tx, SyncTable table, RejectedChange rej, long pushCursor)
    {
        var local = RowIo.Get(conn, tx, table, rej.Id);
        if (local is null || local.Hlc != rej.Hlc) return; // changed again since: that version will be judged on its own
        // Log entries of this row after the acknowledged range (a batch may end inside the row's history) are versions
        // the refused one already contains: settled with it, or the next batch would push the reverted row back.
        ForgetPending(conn, tx, table.Name, rej.Id, pushCursor, true);
        if (rej.Current is { } hub)
        {
            var row = hub.ToRow();
            row.Data = table.Sanitize(row.Data, out _);
            Clock.Observe(row.Hlc);
            RowIo.Upsert(conn, tx, table, row);
        }
        else if (!local.Deleted)
        {
            var before = local.Clone();
            local.Deleted = true;
            local.PrevHlc = local.Hlc;
            local.Hlc = Clock.Next().ToString();
            RowIo.Upsert(conn, tx, table, local);
            // The withdrawal is a local state change: it is audited, and its audit entry syncs like any other.
            conn.Exec("UPDATE _sync_ctx SET applying = 0 WHERE id = 1", tx);
            Audit(conn, tx, table, before, local, table.Name + ".withdraw");
            conn.Exec("UPDATE _sync_ctx SET applying = 1 WHERE id = 1", tx);
        }
    }

    /// <summary>
    /// Applies one pulled page in a single transaction together with the new cursor; re-applying the same page
    /// changes nothing. Applied rows are not captured (no echo).
    /// </summary>
    public ApplyResult ApplyPulled(PullResponse page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = new ApplyResult();
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        var pushCursor = ReadLong(conn, tx, "push_cursor");
        var pullCursor = ReadLong(conn, tx, "pull_cursor");
        conn.Exec("UPDATE _sync_ctx SET applying = 1 WHERE id = 1", tx);
        var rebootstrapping = conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'rebootstrap'", tx) is not null;
        foreach (var change in page.Changes)
        {
            if (rebootstrapping)
            {
                conn.Exec("INSERT OR IGNORE INTO _sync_seen (tbl, row_id) VALUES (@t, @r)", tx, ("@t", change.Table), ("@r", change.Id));
            }
            if (!Schema.Tables.TryGetValue(change.Table, out var t))
            {
                throw new InvalidDataException($"The hub sent a change for table '{change.Table}', which this node does not know. Upgrade this node.");
            }
            ApplyOne(conn, tx, t, change, pushCursor, result);
        }
        if (page.NextCursor > pullCursor)
        {
            SetState(conn, tx, "pull_cursor", page.NextCursor.ToString(CultureInfo.InvariantCulture));
        }
        conn.Exec("UPDATE _sync_ctx SET applying = 0 WHERE id = 1", tx);
        tx.Commit();
        return result;
    }

    private void ApplyOne(DbConnection conn, DbTransaction tx, SyncTable t, SyncChange change, long pushCursor, ApplyResult result)
    {
        var incoming = change.ToRow();
        incoming.Data = t.Sanitize(incoming.Data, out _);
        Clock.Observe(incoming.Hlc);
        var local = RowIo.Get(conn, tx, t, incoming.Id);
        List<string>? localChain = null;
        var unshared = false;
        if (local is not null)
        {
            var (_, chain) = PendingLineage(conn, tx, t.Name, local.Id, pushCursor, local.Hlc);
            unshared = conn.ScalarLong("SELECT COUNT(*) FROM _sync_log WHERE tbl = @t AND row_id = @r AND seq > @c", tx,
                ("@t", t.Name), ("@r", local.Id), ("@c", pushCursor)) > 0;
            localChain = chain;
        }
        var decision = ConflictPolicy.Decide(local, incoming, change.Chain, unshared, localChain);
        switch (decision)
        {
            case ApplyDecision.Skip:
                result.Skipped++;
                return;
            case ApplyDecision.Insert:
            case ApplyDecision.FastForward:
                RowIo.Upsert(conn, tx, t, incoming);
                ForgetPending(conn, tx, t.Name, incoming.Id, pushCursor, decision == ApplyDecision.FastForward && unshared);
                result.Applied++;
                return;
            case ApplyDecision.IncomingWins:
                SaveConflict(conn, tx, t.Name, incoming, local!, NodeId, NowText());
                RowIo.Upsert(conn, tx, t, incoming);
                // The local loser is kept whole in the conflict record; it no longer waits to be pushed.
                ForgetPending(conn, tx, t.Name, incoming.Id, pushCursor, true);
                result.Applied++;
                result.Conflicts++;
                return;
            case ApplyDecision.LocalWins:
                SaveConflict(conn, tx, t.Name, local!, incoming, NodeId, NowText());
                result.Conflicts++;
                return;
            default:
                throw new InvalidOperationException($"Unknown decision {decision}.");
        }
    }

    private static void ForgetPending(DbConnection conn, DbTransaction tx, string table, string id, long pushCursor, bool forget)
    {
        if (!forget) return;
        conn.Exec("DELETE FROM _sync_log WHERE tbl = @t AND row_id = @r AND seq > @c", tx, ("@t", table), ("@r", id), ("@c", pushCursor));
    }

    public void RecordCycle(SyncCycleRecord cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        using var conn = OpenConnection();
        using var tx = BeginWrite(conn);
        conn.Exec("""
            INSERT INTO _sync_history (started_utc, duration_ms, pushed, pulled, conflicts, rejected, bytes_up, bytes_down, result, error, correlation_id)
            VALUES (@s, @d, @pu, @pl, @c, @rj, @bu, @bd, @r, @e, @cid)
            """, tx, ("@s", cycle.StartedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("@d", cycle.DurationMs),
            ("@pu", cycle.Pushed), ("@pl", cycle.Pulled), ("@c", cycle.Conflicts), ("@rj", cycle.Rejected),
            ("@bu", cycle.BytesUp), ("@bd", cycle.BytesDown), ("@r", cycle.Result), ("@e", cycle.Error), ("@cid", cycle.CorrelationId));
        if (cycle.Result == "ok")
        {
            SetState(conn, tx, "last_success_utc", cycle.StartedUtc.Add(TimeSpan.FromMilliseconds(cycle.DurationMs)).UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }
        conn.Exec("DELETE FROM _sync_history WHERE id <= (SELECT MAX(id) FROM _sync_history) - 5000", tx);
        tx.Commit();
    }

    public IReadOnlyList<SyncCycleRecord> History(int limit)
    {
        using var conn = OpenConnection();
        using var cmd = conn.Command("""
            SELECT started_utc, duration_ms, pushed, pulled, conflicts, rejected, bytes_up, bytes_down, result, error, correlation_id
            FROM _sync_history ORDER BY id DESC LIMIT @n
            """, null, ("@n", limit));
        using var r = cmd.ExecuteReader();
        var list = new List<SyncCycleRecord>();
        while (r.Read())
        {
            list.Add(new SyncCycleRecord
            {
                StartedUtc = DateTimeOffset.Parse(r.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                DurationMs = r.GetInt64(1), Pushed = (int)r.GetInt64(2), Pulled = (int)r.GetInt64(3), Conflicts = (int)r.GetInt64(4),
                Rejected = (int)r.GetInt64(5), BytesUp = r.GetInt64(6), BytesDown = r.GetInt64(7), Result = r.GetString(8),
                Error = r.StringOrNull(9), CorrelationId = r.StringOrNull(10),
            });
        }
        return list;
    }

    private static long ReadLong(DbConnection conn, DbTransaction tx, string key) =>
        long.TryParse(conn.ScalarString("SELECT value FROM _sync_state WHERE key = @k", tx, ("@k", key)), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var v) ? v : 0;
}
