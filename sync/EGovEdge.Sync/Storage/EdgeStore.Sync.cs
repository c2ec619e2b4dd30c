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
        using (var lineage = new LineageReader(conn, tx, cursor))
        {
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
                var (prev, chain, _) = lineage.Read(row.Table, row.Id, row.Hlc);
                changes.Add(SyncChange.FromRow(row, prev, chain));
            }
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

    /// <summary>
    /// Reads, row by row, the unacknowledged change-log entries (after <c>cursor</c>) with one command built once:
    /// the version the hub last knew (prev of the first unacknowledged entry), the local versions since, and how
    /// many entries there are (more than 0: the row has a local change the hub has not acknowledged).
    /// </summary>
    private sealed class LineageReader(DbConnection conn, DbTransaction tx, long cursor) : IDisposable
    {
        private DbCommand? _cmd;

        public (string? Prev, List<string>? Chain, int Entries) Read(string table, string id, string currentHlc)
        {
            _cmd ??= conn.Command("SELECT hlc, prev FROM _sync_log WHERE tbl = @t AND row_id = @r AND seq > @c ORDER BY seq", tx,
                ("@t", null), ("@r", null), ("@c", cursor));
            _cmd.Parameters[0].Value = (object?)table ?? DBNull.Value;
            _cmd.Parameters[1].Value = (object?)id ?? DBNull.Value;
            using var r = _cmd.ExecuteReader();
            string? prev = null;
            var entries = 0;
            List<string>? chain = null;
            while (r.Read())
            {
                if (entries++ == 0) prev = r.StringOrNull(1);
                var hlc = r.GetString(0);
                if (hlc != currentHlc) (chain ??= []).Add(hlc);
            }
            return (prev, chain, entries);
        }

        public void Dispose() => _cmd?.Dispose();
    }

    /// <summary>The commands of one ApplyPulled transaction, each built once and reused for every row of the page.</summary>
    private sealed class ApplyContext(DbConnection conn, DbTransaction tx, long pushCursor) : IDisposable
    {
        private readonly Dictionary<SyncTable, RowIo.Batch> _rows = [];
        private DbCommand? _seen;

        public DbConnection Conn { get; } = conn;
        public DbTransaction Tx { get; } = tx;
        public long PushCursor { get; } = pushCursor;
        public LineageReader Lineage { get; } = new(conn, tx, pushCursor);

        /// <summary>
        /// False while the change log holds no entry after the push cursor (nothing local waits to be pushed): then no
        /// row can have an unshared local change and its lineage need not be read. Set again after anything that may
        /// capture (a conflict record).
        /// </summary>
        public bool MayHavePending { get; set; } = true;

        public RowIo.Batch Rows(SyncTable t)
        {
            if (!_rows.TryGetValue(t, out var b)) _rows[t] = b = new RowIo.Batch(Conn, Tx, t);
            return b;
        }

        public void Seen(string table, string id)
        {
            _seen ??= Conn.Command("INSERT OR IGNORE INTO _sync_seen (tbl, row_id) VALUES (@t, @r)", Tx, ("@t", null), ("@r", null));
            _seen.Parameters[0].Value = (object?)table ?? DBNull.Value;
            _seen.Parameters[1].Value = (object?)id ?? DBNull.Value;
            _seen.ExecuteNonQuery();
        }

        public void Dispose()
        {
            foreach (var b in _rows.Values) b.Dispose();
            _seen?.Dispose();
            Lineage.Dispose();
        }
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
        if (page.Changes.Count == 0 && page.NextCursor <= pullCursor)
        {
            // Nothing to apply and no cursor to move (a sync with nothing to do): no write, so no commit to make durable.
            tx.Commit();
            return result;
        }
        conn.Exec("UPDATE _sync_ctx SET applying = 1 WHERE id = 1", tx);
        var rebootstrapping = conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'rebootstrap'", tx) is not null;
        using (var ctx = new ApplyContext(conn, tx, pushCursor))
        {
            ctx.MayHavePending = conn.ScalarLong("SELECT EXISTS (SELECT 1 FROM _sync_log WHERE seq > @c)", tx, ("@c", pushCursor)) != 0;
            foreach (var change in page.Changes)
            {
                if (rebootstrapping) ctx.Seen(change.Table, change.Id);
                if (!Schema.Tables.TryGetValue(change.Table, out var t))
                {
                    // A table of a newer schema (the hub serves N and N-1): kept whole until this node is upgraded.
                    Park(conn, tx, ParkedUnknownTable, change);
                    result.Parked++;
                    continue;
                }
                if (HasUnknownColumns(t, change))
                {
                    // Applied with the columns this node has; kept whole so an upgrade fills in the rest.
                    Park(conn, tx, ParkedUnknownColumns, change);
                    result.Parked++;
                }
                ApplyOne(ctx, t, change, result);
            }
        }
        if (page.NextCursor > pullCursor)
        {
            SetState(conn, tx, "pull_cursor", page.NextCursor.ToString(CultureInfo.InvariantCulture));
        }
        conn.Exec("UPDATE _sync_ctx SET applying = 0 WHERE id = 1", tx);
        tx.Commit();
        return result;
    }

    private void ApplyOne(ApplyContext ctx, SyncTable t, SyncChange change, ApplyResult result)
    {
        var (conn, tx, pushCursor) = (ctx.Conn, ctx.Tx, ctx.PushCursor);
        // Sanitize copies the data it keeps, so the wire object needs no deep copy of its own first (ToRow's).
        var incoming = change.Data is null
            ? change.ToRow()
            : new SyncRow
            {
                Table = change.Table, Id = change.Id, Hlc = change.Hlc, PrevHlc = change.Prev, Origin = change.Origin, Deleted = change.Deleted,
                Data = change.Data,
            };
        incoming.Data = t.Sanitize(incoming.Data, out _);
        Clock.Observe(incoming.Hlc);
        var rows = ctx.Rows(t);
        var local = rows.Get(incoming.Id);
        List<string>? localChain = null;
        var unshared = false;
        if (local is not null && ctx.MayHavePending)
        {
            var (_, chain, entries) = ctx.Lineage.Read(t.Name, local.Id, local.Hlc);
            unshared = entries > 0;
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
                rows.Upsert(incoming);
                ForgetPending(conn, tx, t.Name, incoming.Id, pushCursor, decision == ApplyDecision.FastForward && unshared);
                result.Applied++;
                return;
            case ApplyDecision.IncomingWins:
                SaveConflict(conn, tx, t.Name, incoming, local!, NodeId, NowText());
                ctx.MayHavePending = true; // the conflict record (and its audit entry) may have been captured
                rows.Upsert(incoming);
                // The local loser is kept whole in the conflict record; it no longer waits to be pushed.
                ForgetPending(conn, tx, t.Name, incoming.Id, pushCursor, true);
                result.Applied++;
                result.Conflicts++;
                return;
            case ApplyDecision.LocalWins:
                SaveConflict(conn, tx, t.Name, local!, incoming, NodeId, NowText());
                ctx.MayHavePending = true;
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
