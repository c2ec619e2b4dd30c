using System.Data.Common;
using System.Globalization;
using EGovEdge.Sync.Clock;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Hub;

/// <summary>
/// The county hub's store: accepts pushed batches (idempotently, authorised per row), serves pulls by hub
/// sequence and scope, and takes the hub's own writes. Every accepted row version gets a new hub sequence.
/// </summary>
public sealed partial class HubStore : LocalStoreBase
{
    private readonly IHubDatabase _db;

    public HubStore(IHubDatabase db, SyncSchema schema, TimeProvider time, IHubWriteRules? rules = null)
        : base(NodeIds.Hub, schema, time)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        Rules = rules ?? new OwnRowsOnlyRules();
        _db.EnsureSchema(schema);
        using var conn = _db.OpenConnection();
        SeedClock(conn);
    }

    public IHubWriteRules Rules { get; }

    public string Provider => _db.Provider;

    public override DbConnection OpenConnection() => _db.OpenConnection();

    protected override DbTransaction BeginWrite(DbConnection conn) => _db.BeginWrite(conn);

    protected override void AfterLocalWrite(DbConnection conn, DbTransaction tx, SyncTable table, SyncRow row) =>
        AppendLog(conn, tx, table, row);

    private static void AppendLog(DbConnection conn, DbTransaction tx, SyncTable table, SyncRow row)
    {
        conn.Exec("DELETE FROM hub_log WHERE tbl = @t AND row_id = @r", tx, ("@t", table.Name), ("@r", row.Id));
        var writer = Hlc.TryParse(row.Hlc, out var h) ? h.Node : row.Origin;
        conn.Exec("INSERT INTO hub_log (tbl, row_id, writer, scope) VALUES (@t, @r, @w, @s)", tx,
            ("@t", table.Name), ("@r", row.Id), ("@w", writer), ("@s", table.Scope(row)));
    }

    public long MaxSequence()
    {
        using var conn = OpenConnection();
        return conn.ScalarLong("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log");
    }

    public IReadOnlyList<HubNodeInfo> Nodes()
    {
        using var conn = OpenConnection();
        var max = conn.ScalarLong("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log");
        using var cmd = conn.Command("""
            SELECT node, push_acked, pull_cursor, changes_received, changes_sent, last_push_utc, last_pull_utc, schema_version,
                   (SELECT COUNT(*) FROM hub_rejected r WHERE r.node = n.node)
            FROM hub_nodes n ORDER BY node
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<HubNodeInfo>();
        while (r.Read())
        {
            list.Add(new HubNodeInfo
            {
                Node = r.GetString(0), PushAcked = r.LongOrZero(1), PullCursor = r.LongOrZero(2),
                ChangesReceived = r.LongOrZero(3), ChangesSent = r.LongOrZero(4),
                LastPushUtc = ParseTime(r.StringOrNull(5)), LastPullUtc = ParseTime(r.StringOrNull(6)),
                SchemaVersion = (int)r.LongOrZero(7), Rejected = r.LongOrZero(8), HubSequence = max,
            });
        }
        return list;
    }

    public long OpenConflictCount()
    {
        using var conn = OpenConnection();
        return conn.ScalarLong("SELECT COUNT(*) FROM hub_conflicts WHERE status = 'open'");
    }

    private static DateTimeOffset? ParseTime(string? s) =>
        s is null ? null : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private string NowText() => Time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
