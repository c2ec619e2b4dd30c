using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Seals;

/// <summary>
/// What a township may push into the seal tables (the hub itself writes anything): a seal request for its own unit
/// (and changes to it while it is still a request), and 用印登记 entries for its own unit's seals as itself. Issuing,
/// revoking, the seal maker's keys and the signed revocation lists belong to the hub.
/// </summary>
public static class SealWriteRules
{
    public static string? Check(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        return table.Name switch
        {
            SealTables.Makers => "only the county hub publishes the seal maker's keys",
            SealTables.Seals => CheckSeal(node, existing, incoming),
            SealTables.Uses => CheckUse(node, existing, incoming),
            SealTables.RevocationLists => "only the county seal maker at the hub issues the seal revocation list",
            _ => $"unknown seal table '{table.Name}'",
        };
    }

    private static string? CheckSeal(string node, SyncRow? existing, SyncRow incoming)
    {
        if (incoming.Origin != node) return $"node '{node}' may not write a seal on behalf of '{incoming.Origin}'";
        if (existing is not null)
        {
            if (existing.Origin != incoming.Origin) return "the origin of a row cannot change";
            if (existing.Text("status") != SealTables.Requested || HasMakerFields(existing))
            {
                return "a seal is issued, revoked and changed only by the county seal maker at the hub";
            }
            if (existing.Text("unit") != incoming.Text("unit")) return "the unit of a seal cannot change";
        }
        if (incoming.Text("unit") != node) return "a township requests seals for its own unit only";
        if (incoming.Text("status") != SealTables.Requested || HasMakerFields(incoming))
        {
            return "only the county seal maker at the hub issues or revokes seals";
        }
        return null;
    }

    private static string? CheckUse(string node, SyncRow? existing, SyncRow incoming)
    {
        if (existing is not null || incoming.Deleted) return "用印登记 is append-only";
        if (incoming.Origin != node || incoming.Text("node") != node) return "a township records only its own seal uses";
        if (incoming.Text("unit") != node) return "a township applies only its own unit's seals";
        return null;
    }

    private static bool HasMakerFields(SyncRow row) =>
        SealTables.MakerColumns.Any(c => !string.IsNullOrEmpty(row.Text(c)));
}
