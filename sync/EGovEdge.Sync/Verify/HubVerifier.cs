using System.Data;
using System.Data.Common;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Sync.Verify;

/// <summary>
/// The hub's side of verify: for the township's scope (hub_log.scope is '*' or lists the township), per table the
/// row count and checksum, the bucket checksums when the edge's differ, and the rows of the buckets asked for.
/// Read-only, in one snapshot.
/// </summary>
public static class HubVerifier
{
    public const int MaxTables = 64;

    public static VerifyResponse Answer(HubStore store, string node, VerifyRequest request)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var tables = request.Tables ?? [];
        if (tables.Count > MaxTables) throw new VerifyRequestException($"at most {MaxTables} tables per request");
        var pattern = "%|" + node.Replace("_", "\\_", StringComparison.Ordinal) + "|%";
        using var conn = store.OpenConnection();
        using var tx = BeginSnapshot(conn);
        var answer = new VerifyResponse { HubSequence = conn.ScalarLong("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log", tx) };
        foreach (var q in tables)
        {
            if (q is null) continue;
            if (!store.Schema.Tables.TryGetValue(q.Table ?? "", out var table))
            {
                answer.Tables.Add(new VerifyTableAnswer { Table = q.Table ?? "", Unknown = true });
                continue;
            }
            var columns = Resolve(table, q.Columns);
            HashSet<int>? wanted = null;
            if (q.Buckets is { } buckets)
            {
                if (buckets.Any(b => b is < 0 or >= VerifyHash.BucketCount)) throw new VerifyRequestException("bucket numbers are 0-255");
                wanted = [.. buckets];
            }
            var sums = new TableSums();
            var rows = wanted is null ? null : new List<VerifyRowInfo>();
            using (var cmd = conn.Command($"""
                SELECT {VerifyHash.SelectList(columns, "t")}, l.hub_seq
                FROM hub_log l JOIN {table.Name} t ON t.id = l.row_id
                WHERE l.tbl = @t AND (l.scope = '*' OR l.scope LIKE @p ESCAPE '\')
                """, tx, ("@t", table.Name), ("@p", pattern)))
            using (var r = cmd.ExecuteReader())
            {
                VerifyHash.Scan(r, table.Name, columns, withSeq: true, wantBucket: null, row =>
                {
                    sums.Add(row);
                    if (wanted is not null && wanted.Contains(row.Bucket))
                    {
                        rows!.Add(new VerifyRowInfo { Id = row.Id, Hlc = row.Hlc, Deleted = row.Deleted, Seq = row.Seq, Hash = VerifyHash.Hex(row.Hash) });
                    }
                });
            }
            var same = q.Count == sums.Count && VerifyHash.ParseHex(q.Checksum) == sums.Checksum && q.Checksum is not null;
            answer.Tables.Add(new VerifyTableAnswer
            {
                Table = table.Name,
                Count = sums.Count,
                Checksum = VerifyHash.Hex(sums.Checksum),
                Buckets = wanted is null && !same ? VerifyHash.EncodeBuckets(sums.Buckets) : null,
                Rows = rows,
            });
        }
        tx.Commit();
        return answer;
    }

    /// <summary>The hub's definitions of the columns the edge hashes; a column the hub does not know is an error.</summary>
    private static List<SyncColumn> Resolve(SyncTable table, List<string>? names)
    {
        var list = new List<SyncColumn>();
        foreach (var name in names ?? [])
        {
            var column = table.Columns.FirstOrDefault(c => c.Name == name)
                ?? throw new VerifyRequestException($"table '{table.Name}' has no column '{name}' at the hub (is the township newer than the hub?)");
            list.Add(column);
        }
        return list;
    }

    /// <summary>One consistent read snapshot on either engine (SQLite: deferred; PostgreSQL: repeatable read).</summary>
    private static DbTransaction BeginSnapshot(DbConnection conn) => conn is SqliteConnection sqlite
        ? sqlite.BeginTransaction(deferred: true)
        : conn.BeginTransaction(IsolationLevel.RepeatableRead);
}
