using System.Data.Common;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Conflicts;

/// <summary>Builds the replicated conflict record written next to the local one, inside the applying transaction.</summary>
internal static class ConflictLog
{
    public static SyncRow? Record(SyncSchema schema, string node, string hlc, string nowUtc, SyncRow winner, SyncRow loser)
    {
        if (!schema.Tables.TryGetValue(ConflictTables.Conflicts, out var conflicts) || !schema.Tables.TryGetValue(winner.Table, out var table))
        {
            return null;
        }
        var pair = ConflictRecord.MakeId(winner.Table, winner.Id, winner.Hlc, loser.Hlc);
        // Both versions' audiences may review it: the row's scope now and as the loser saw it.
        var scope = MergeScopes(table.Scope(winner), table.Scope(loser), node);
        return new SyncRow
        {
            Table = conflicts.Name,
            Id = ConflictTables.StableId(pair + "@" + node),
            Hlc = hlc,
            Origin = node,
            Data = new JsonObject
            {
                ["pair_id"] = pair,
                ["tbl"] = winner.Table,
                ["row_id"] = winner.Id,
                ["winner_hlc"] = winner.Hlc,
                ["loser_hlc"] = loser.Hlc,
                ["winner_json"] = RowIo.ToJson(winner),
                ["loser_json"] = RowIo.ToJson(loser),
                ["detected_utc"] = nowUtc,
                ["detected_node"] = node,
                ["scope"] = scope,
            },
        };
    }

    public static bool Exists(DbConnection conn, DbTransaction tx, string id) =>
        conn.ScalarLong("SELECT COUNT(*) FROM conflicts WHERE id = @id", tx, ("@id", id)) > 0;

    private static string MergeScopes(string a, string b, string node)
    {
        if (a == Scopes.Everyone || b == Scopes.Everyone) return Scopes.Everyone;
        var nodes = (a + b).Split('|', StringSplitOptions.RemoveEmptyEntries).Append(node).Where(n => n != NodeIds.Hub);
        return Scopes.Of(nodes);
    }
}
