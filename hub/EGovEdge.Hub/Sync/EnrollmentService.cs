using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EGovEdge.Hub.Configuration;
using EGovEdge.Sync;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Options;

namespace EGovEdge.Hub.Sync;

/// <summary>
/// Township credentials: an administrator issues a one-time enrollment code; the edge exchanges it for its own
/// key; the hub can revoke a township (it then gets 401 and says why) and re-enroll it. Only hashes are stored.
/// Static keys from EGov:Townships:&lt;code&gt;:Key keep working (tests and the demo) unless the township is revoked.
/// </summary>
public sealed class EnrollmentService
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromDays(7);

    private readonly IHubDatabase _db;
    private readonly TimeProvider _time;
    private readonly IOptions<HubOptions> _options;

    public EnrollmentService(IHubDatabase db, TimeProvider time, IOptions<HubOptions> options)
    {
        _db = db;
        _time = time;
        _options = options;
        using var conn = db.OpenConnection();
        conn.Exec("""
            CREATE TABLE IF NOT EXISTS hub_enrollments (
                code_hash TEXT PRIMARY KEY, node TEXT NOT NULL, created_utc TEXT NOT NULL, expires_utc TEXT NOT NULL, used_utc TEXT);
            CREATE TABLE IF NOT EXISTS hub_credentials (
                key_hash TEXT PRIMARY KEY, node TEXT NOT NULL, created_utc TEXT NOT NULL, revoked_utc TEXT);
            CREATE TABLE IF NOT EXISTS hub_revocations (node TEXT PRIMARY KEY, revoked_utc TEXT NOT NULL, reason TEXT NOT NULL);
            """);
    }

    /// <summary>Issues a new one-time code; when it is used, the township's previous credentials stop working (rotation).</summary>
    public (string Code, DateTimeOffset ExpiresUtc) IssueCode(string node)
    {
        if (!NodeIds.IsValid(node) || node == NodeIds.Hub) throw new ArgumentException("not a township code", nameof(node));
        var code = Random(20);
        var now = _time.GetUtcNow();
        using var conn = _db.OpenConnection();
        conn.Exec("INSERT INTO hub_enrollments (code_hash, node, created_utc, expires_utc) VALUES (@h, @n, @c, @e)", null,
            ("@h", Hash(code)), ("@n", node), ("@c", Text(now)), ("@e", Text(now.Add(CodeLifetime))));
        return (code, now.Add(CodeLifetime));
    }

    /// <summary>Exchanges a code for a new township key, once. Null when the code is unknown, expired, used or for another township.</summary>
    public string? Enroll(string node, string code)
    {
        var now = _time.GetUtcNow();
        using var conn = _db.OpenConnection();
        using var tx = _db.BeginWrite(conn);
        var hash = Hash(code);
        using (var cmd = conn.Command("SELECT node, expires_utc, used_utc FROM hub_enrollments WHERE code_hash = @h", tx, ("@h", hash)))
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read() || r.GetString(0) != node || !r.IsDBNull(2)
                || DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture) < now)
            {
                return null;
            }
        }
        var key = Random(32);
        conn.Exec("UPDATE hub_enrollments SET used_utc = @u WHERE code_hash = @h", tx, ("@u", Text(now)), ("@h", hash));
        conn.Exec("UPDATE hub_credentials SET revoked_utc = @u WHERE node = @n AND revoked_utc IS NULL", tx, ("@u", Text(now)), ("@n", node));
        conn.Exec("INSERT INTO hub_credentials (key_hash, node, created_utc) VALUES (@k, @n, @c)", tx, ("@k", Hash(key)), ("@n", node), ("@c", Text(now)));
        conn.Exec("DELETE FROM hub_revocations WHERE node = @n", tx, ("@n", node));
        tx.Commit();
        return key;
    }

    public void Revoke(string node, string reason)
    {
        var now = Text(_time.GetUtcNow());
        using var conn = _db.OpenConnection();
        using var tx = _db.BeginWrite(conn);
        conn.Exec("UPDATE hub_credentials SET revoked_utc = @u WHERE node = @n AND revoked_utc IS NULL", tx, ("@u", now), ("@n", node));
        conn.Exec("""
            INSERT INTO hub_revocations (node, revoked_utc, reason) VALUES (@n, @u, @r)
            ON CONFLICT (node) DO UPDATE SET revoked_utc = excluded.revoked_utc, reason = excluded.reason
            """, tx, ("@n", node), ("@u", now), ("@r", reason));
        tx.Commit();
    }

    /// <summary>Null when the key is good for this township, else why not.</summary>
    public string? Check(string node, string key)
    {
        using var conn = _db.OpenConnection();
        using (var cmd = conn.Command("SELECT revoked_utc, reason FROM hub_revocations WHERE node = @n", null, ("@n", node)))
        using (var r = cmd.ExecuteReader())
        {
            if (r.Read()) return $"the credential of '{node}' was revoked by the county hub at {r.GetString(0)} ({r.GetString(1)}); re-enroll with a new enrollment code";
        }
        if (_options.Value.Townships.TryGetValue(node, out var t) && !string.IsNullOrEmpty(t.Key)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(t.Key)))
        {
            return null;
        }
        var found = conn.ScalarString("SELECT revoked_utc FROM hub_credentials WHERE key_hash = @k AND node = @n", null, ("@k", Hash(key)), ("@n", node));
        return conn.ScalarLong("SELECT COUNT(*) FROM hub_credentials WHERE key_hash = @k AND node = @n AND revoked_utc IS NULL", null,
                ("@k", Hash(key)), ("@n", node)) > 0
            ? null
            : found is null ? $"unknown township '{node}' or wrong key" : $"this credential of '{node}' was replaced at {found}; use the newest one";
    }

    private static string Random(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    private static string Text(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
