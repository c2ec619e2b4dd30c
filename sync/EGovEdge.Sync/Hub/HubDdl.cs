namespace EGovEdge.Sync.Hub;

internal static class HubDdl
{
    /// <summary>The hub's own tables; <paramref name="serial"/> and <paramref name="bigint"/> differ per engine.</summary>
    public static string Meta(string serial, string bigint) => $"""
        CREATE TABLE IF NOT EXISTS hub_log (
            hub_seq {serial}, tbl TEXT NOT NULL, row_id TEXT NOT NULL, writer TEXT NOT NULL, scope TEXT NOT NULL,
            UNIQUE (tbl, row_id));
        CREATE TABLE IF NOT EXISTS hub_nodes (
            node TEXT PRIMARY KEY, push_acked {bigint} NOT NULL DEFAULT 0, pull_cursor {bigint} NOT NULL DEFAULT 0,
            changes_received {bigint} NOT NULL DEFAULT 0, changes_sent {bigint} NOT NULL DEFAULT 0,
            last_push_utc TEXT, last_pull_utc TEXT, schema_version {bigint} NOT NULL DEFAULT 0, store_id TEXT,
            must_rebootstrap {bigint} NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS hub_conflicts (
            id TEXT PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, winner_hlc TEXT NOT NULL, loser_hlc TEXT NOT NULL,
            winner_json TEXT NOT NULL, loser_json TEXT NOT NULL, detected_utc TEXT NOT NULL, detected_node TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open');
        CREATE TABLE IF NOT EXISTS hub_rejected (
            id TEXT PRIMARY KEY, node TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, hlc TEXT NOT NULL,
            reason TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'invalid', row_json TEXT, rejected_utc TEXT NOT NULL);
        """;
}
