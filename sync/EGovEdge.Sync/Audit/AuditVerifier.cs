using System.Data.Common;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Audit;

/// <summary>
/// Checks every audit chain held by a node (sequence without gaps, each entry's prev_hash, each entry's own hash)
/// and that every stored row version written by a node whose chain is here matches its audit entry's digest.
/// </summary>
public static class AuditVerifier
{
    public static AuditReport Verify(ILocalStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var report = new AuditReport();
        using var conn = store.OpenConnection();
        var t = AuditTable.Definition;
        ChainReport? chain = null;
        string prevHash = AuditTable.Genesis;
        long expected = 1;
        using (var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM audit ORDER BY node, seq"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var row = RowIo.ReadRow(t, r);
                var node = row.Text("node") ?? "";
                if (chain is null || chain.Node != node)
                {
                    chain = new ChainReport { Node = node };
                    report.Chains.Add(chain);
                    prevHash = AuditTable.Genesis;
                    expected = 1;
                }
                chain.Entries++;
                if (chain.FirstBreak is not null) continue;
                var seq = row.Integer("seq") ?? 0;
                if (seq != expected)
                {
                    chain.FirstBreak = new AuditBreak(node, expected, seq > expected ? $"entry {expected} is missing (next is {seq})" : $"entry {seq} appears twice");
                }
                else if (row.Text("prev_hash") != prevHash)
                {
                    chain.FirstBreak = new AuditBreak(node, seq, "prev_hash does not match the hash of the entry before");
                }
                else if (AuditTable.EntryHash(row.Data) != row.Text("hash"))
                {
                    chain.FirstBreak = new AuditBreak(node, seq, "entry content does not match its hash (altered)");
                }
                prevHash = row.Text("hash") ?? "";
                expected = seq + 1;
            }
        }

        var chains = report.Chains.Select(c => c.Node).ToHashSet(StringComparer.Ordinal);
        foreach (var table in store.Schema.Tables.Values.Where(x => x.Name != AuditTable.Name))
        {
            CheckRows(conn, table, chains, report);
        }
        return report;
    }

    private static void CheckRows(DbConnection conn, SyncTable table, HashSet<string> chains, AuditReport report)
    {
        var rows = new List<SyncRow>();
        using (var cmd = conn.Command($"SELECT {RowIo.SelectList(table)} FROM {table.Name}"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) rows.Add(RowIo.ReadRow(table, r));
        }
        foreach (var row in rows)
        {
            if (!Hlc.TryParse(row.Hlc, out var hlc) || !chains.Contains(hlc.Node)) continue;
            report.RowsChecked++;
            var digest = conn.ScalarString("SELECT after_digest FROM audit WHERE entity = @e AND version = @v", null,
                ("@e", table.Name + ":" + row.Id), ("@v", row.Hlc));
            if (digest is null)
            {
                report.Rows.Add(new RowMismatch(table.Name, row.Id, "no audit entry for the stored version"));
            }
            else if (digest != AuditTable.RowDigest(row))
            {
                report.Rows.Add(new RowMismatch(table.Name, row.Id, "stored row differs from the version the audit trail recorded (altered outside the application)"));
            }
        }
    }
}

public sealed class AuditReport
{
    public bool Ok => Chains.All(c => c.FirstBreak is null) && Rows.Count == 0;
    public List<ChainReport> Chains { get; } = [];
    public long RowsChecked { get; set; }
    public List<RowMismatch> Rows { get; } = [];
}

public sealed class ChainReport
{
    public required string Node { get; init; }
    public long Entries { get; set; }
    public AuditBreak? FirstBreak { get; set; }
}

public sealed record AuditBreak(string Node, long Seq, string Reason);

public sealed record RowMismatch(string Table, string Id, string Reason);
