namespace EGovEdge.FaultTests.Support;

/// <summary>What a sync request may change at the hub, read from hub.db: the hub sequence, rows, and the township's push state.</summary>
internal sealed record HubState(long LogRows, long MaxSeq, long Documents, long PushAcked, string? StoreId, long ChangesReceived, long Rejected, long Conflicts)
{
    public static HubState Of(HubNode hub, string township)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var db = hub.Db;
        var node = db.Rows("SELECT push_acked, store_id, changes_received FROM hub_nodes WHERE node = @n", ("@n", township));
        return new HubState(
            db.Long("SELECT COUNT(*) FROM hub_log"),
            db.Long("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log"),
            db.Long("SELECT COUNT(*) FROM documents"),
            node.Count == 0 ? 0 : Convert.ToInt64(node[0]["push_acked"] ?? 0L, System.Globalization.CultureInfo.InvariantCulture),
            node.Count == 0 ? null : node[0]["store_id"] as string,
            node.Count == 0 ? 0 : Convert.ToInt64(node[0]["changes_received"] ?? 0L, System.Globalization.CultureInfo.InvariantCulture),
            db.Long("SELECT COUNT(*) FROM hub_rejected"),
            db.Long("SELECT COUNT(*) FROM hub_conflicts"));
    }
}
