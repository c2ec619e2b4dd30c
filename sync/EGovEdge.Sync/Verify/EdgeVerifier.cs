using System.Diagnostics;
using System.Globalization;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Sync.Verify;

/// <summary>
/// The edge's side of verify. Reads one snapshot of every replicated table here, sends the hub one count and checksum
/// per table, compares bucket checksums only for tables that differ, and lists the rows only of buckets that differ.
/// In sync, that is one request of a few hundred bytes each way.
/// </summary>
public sealed class EdgeVerifier(EdgeStore store, IVerifyTransport transport, int schemaVersion)
{
    /// <summary>Buckets asked for in one request (bounds the size of an answer to about 1/8 of a table).</summary>
    public const int BucketsPerRequest = 32;

    public async Task<VerifyReport> RunAsync(CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var watch = Stopwatch.StartNew();
        var correlationId = Guid.CreateVersion7().ToString("N");
        var local = Snapshot();
        int requests = 0;
        long up = 0, down = 0;

        var tables = store.Schema.Tables.Values.ToList();
        var first = await transport.VerifyAsync(new VerifyRequest
        {
            NodeId = store.NodeId,
            SchemaVersion = schemaVersion,
            Tables = [.. tables.Select(t => new VerifyTableQuery
            {
                Table = t.Name,
                Columns = [.. t.Columns.Select(c => c.Name)],
                Count = local.Tables[t.Name].Sums.Count,
                Checksum = VerifyHash.Hex(local.Tables[t.Name].Sums.Checksum),
            })],
        }, correlationId, ct).ConfigureAwait(false);
        requests++;
        up += first.BytesUp;
        down += first.BytesDown;
        var answers = first.Value.Tables.ToDictionary(a => a.Table, StringComparer.Ordinal);

        // Buckets to list, per table.
        var differing = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var t in tables)
        {
            var mine = local.Tables[t.Name].Sums;
            if (!answers.TryGetValue(t.Name, out var hub) || hub.Unknown)
            {
                if (mine.Count > 0) differing[t.Name] = [.. Enumerable.Range(0, VerifyHash.BucketCount)];
                continue;
            }
            if (hub.Buckets is null) continue;
            var theirs = VerifyHash.DecodeBuckets(hub.Buckets);
            var list = Enumerable.Range(0, VerifyHash.BucketCount).Where(b => theirs[b] != mine.Buckets[b]).ToList();
            if (list.Count > 0) differing[t.Name] = list;
        }

        var hubRows = new Dictionary<string, Dictionary<string, VerifyRowInfo>>(StringComparer.Ordinal);
        var queries = differing
            .Where(d => answers.TryGetValue(d.Key, out var a) && !a.Unknown)
            .SelectMany(d => d.Value.Chunk(BucketsPerRequest).Select(chunk => (Table: d.Key, Buckets: chunk)))
            .ToList();
        foreach (var batch in Batches(queries))
        {
            var res = await transport.VerifyAsync(new VerifyRequest
            {
                NodeId = store.NodeId,
                SchemaVersion = schemaVersion,
                Tables = [.. batch.Select(q => new VerifyTableQuery
                {
                    Table = q.Table,
                    Columns = [.. store.Schema[q.Table].Columns.Select(c => c.Name)],
                    Buckets = [.. q.Buckets],
                })],
            }, correlationId, ct).ConfigureAwait(false);
            requests++;
            up += res.BytesUp;
            down += res.BytesDown;
            foreach (var answer in res.Value.Tables)
            {
                if (!hubRows.TryGetValue(answer.Table, out var byId)) hubRows[answer.Table] = byId = new(StringComparer.Ordinal);
                foreach (var row in answer.Rows ?? []) byId[row.Id] = row;
            }
        }

        var rows = new List<VerifyRowReport>();
        var tableReports = new List<VerifyTableReport>();
        foreach (var t in tables)
        {
            var mine = local.Tables[t.Name];
            answers.TryGetValue(t.Name, out var hub);
            int differences = 0, pending = 0, incoming = 0;
            if (differing.TryGetValue(t.Name, out var buckets))
            {
                var theirs = hubRows.GetValueOrDefault(t.Name) ?? [];
                var wanted = buckets.ToHashSet();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var here in mine.Rows.Values.Where(r => wanted.Contains(r.Bucket)).OrderBy(r => r.Id, StringComparer.Ordinal))
                {
                    seen.Add(here.Id);
                    theirs.TryGetValue(here.Id, out var there);
                    if (there is not null && VerifyHash.ParseHex(there.Hash) == here.Hash) continue;
                    var kind = Classify(t.Name, here, there, local);
                    rows.Add(new VerifyRowReport
                    {
                        Table = t.Name, Id = here.Id, Kind = kind,
                        Here = new VerifyRowVersion(here.Hlc, here.Deleted),
                        Hub = there is null ? null : new VerifyRowVersion(there.Hlc, there.Deleted, there.Seq),
                    });
                    Count(kind, ref differences, ref pending, ref incoming);
                }
                foreach (var there in theirs.Values.Where(r => !seen.Contains(r.Id)).OrderBy(r => r.Id, StringComparer.Ordinal))
                {
                    var kind = Classify(t.Name, null, there, local);
                    rows.Add(new VerifyRowReport { Table = t.Name, Id = there.Id, Kind = kind, Hub = new VerifyRowVersion(there.Hlc, there.Deleted, there.Seq) });
                    Count(kind, ref differences, ref pending, ref incoming);
                }
            }
            tableReports.Add(new VerifyTableReport
            {
                Table = t.Name,
                HereCount = mine.Sums.Count,
                HereChecksum = VerifyHash.Hex(mine.Sums.Checksum),
                HubCount = hub is { Unknown: false } ? hub.Count : 0,
                HubChecksum = hub is { Unknown: false } ? hub.Checksum : VerifyHash.Hex(0),
                BucketsDiffering = buckets?.Count ?? 0,
                Differences = differences,
                Pending = pending,
                Incoming = incoming,
            });
        }

        return new VerifyReport
        {
            NodeId = store.NodeId,
            Differences = tableReports.Sum(t => t.Differences),
            Pending = tableReports.Sum(t => t.Pending),
            Incoming = tableReports.Sum(t => t.Incoming),
            HubSequence = first.Value.HubSequence,
            PullCursor = local.PullCursor,
            PushCursor = local.PushCursor,
            Tables = tableReports,
            Rows = [.. rows.OrderBy(r => r.IsDifference ? 0 : 1)],
            Requests = requests,
            BytesUp = up,
            BytesDown = down,
            DurationMs = watch.ElapsedMilliseconds,
        };
    }

    private static void Count(string kind, ref int differences, ref int pending, ref int incoming)
    {
        switch (kind)
        {
            case VerifyKinds.Pending:
                pending++;
                break;
            case VerifyKinds.Incoming:
                incoming++;
                break;
            default:
                differences++;
                break;
        }
    }

    /// <summary>Why a row is not the same on both sides.</summary>
    private static string Classify(string table, ScannedRow? here, VerifyRowInfo? there, LocalSnapshot local)
    {
        var key = (table, here?.Id ?? there!.Id);
        if (local.Pending.Contains(key)) return VerifyKinds.Pending;
        if (there is not null && there.Seq > local.PullCursor) return VerifyKinds.Incoming;
        if (local.Rejected.Contains(key)) return VerifyKinds.Rejected;
        if (here is null) return VerifyKinds.MissingHere;
        if (there is null) return VerifyKinds.MissingAtHub;
        return here.Value.Hlc == there.Hlc && here.Value.Deleted == there.Deleted ? VerifyKinds.ContentDiffers : VerifyKinds.VersionDiffers;
    }

    /// <summary>Groups bucket queries so that one request asks for at most <see cref="BucketsPerRequest"/> buckets.</summary>
    private static IEnumerable<List<(string Table, int[] Buckets)>> Batches(List<(string Table, int[] Buckets)> queries)
    {
        var batch = new List<(string, int[])>();
        var size = 0;
        foreach (var q in queries)
        {
            if (size > 0 && size + q.Buckets.Length > BucketsPerRequest)
            {
                yield return batch;
                batch = [];
                size = 0;
            }
            batch.Add(q);
            size += q.Buckets.Length;
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>Every replicated row here, with cursors, pending and rejected rows, read in one snapshot.</summary>
    private LocalSnapshot Snapshot()
    {
        using var conn = (SqliteConnection)store.OpenConnection();
        using var tx = conn.BeginTransaction(deferred: true);
        var snapshot = new LocalSnapshot
        {
            PushCursor = ReadLong(conn, tx, "push_cursor"),
            PullCursor = ReadLong(conn, tx, "pull_cursor"),
        };
        using (var cmd = conn.Command("SELECT DISTINCT tbl, row_id FROM _sync_log WHERE seq > @c", tx, ("@c", snapshot.PushCursor)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) snapshot.Pending.Add((r.GetString(0), r.GetString(1)));
        }
        using (var cmd = conn.Command("SELECT DISTINCT tbl, row_id FROM _sync_rejected", tx))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) snapshot.Rejected.Add((r.GetString(0), r.GetString(1)));
        }
        foreach (var t in store.Schema.Tables.Values)
        {
            var table = new LocalTable();
            using var cmd = conn.Command($"SELECT {VerifyHash.SelectList(t.Columns)} FROM {t.Name}", tx);
            using var r = cmd.ExecuteReader();
            VerifyHash.Scan(r, t.Name, t.Columns, withSeq: false, wantBucket: null, row =>
            {
                table.Sums.Add(row);
                table.Rows[row.Id] = row;
            });
            snapshot.Tables[t.Name] = table;
        }
        tx.Commit();
        return snapshot;
    }

    private static long ReadLong(SqliteConnection conn, SqliteTransaction tx, string key) =>
        long.TryParse(conn.ScalarString("SELECT value FROM _sync_state WHERE key = @k", tx, ("@k", key)), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var v) ? v : 0;

    private sealed class LocalSnapshot
    {
        public long PushCursor { get; init; }
        public long PullCursor { get; init; }
        public HashSet<(string, string)> Pending { get; } = [];
        public HashSet<(string, string)> Rejected { get; } = [];
        public Dictionary<string, LocalTable> Tables { get; } = new(StringComparer.Ordinal);
    }

    private sealed class LocalTable
    {
        public TableSums Sums { get; } = new();
        public Dictionary<string, ScannedRow> Rows { get; } = new(StringComparer.Ordinal);
    }
}
