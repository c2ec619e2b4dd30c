using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Sync;
using EGovEdge.Sync.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Identity;

public enum LoginResult
{
    Success,
    BadCredentials,
    LockedOut,
    Disabled,
}

/// <summary>
/// Staff accounts: password check with lockout, creation and role changes (hub), password change. Passwords are
/// hashed with ASP.NET Core Identity's PBKDF2 hasher. Lockout counters are per node and not replicated.
/// </summary>
public sealed partial class UserService
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private readonly ILocalStore _store;
    private readonly TimeProvider _time;
    private readonly IStringLocalizer<Text> _text;
    private readonly PasswordHasher<StaffUser> _hasher = new();
    private readonly IStringLocalizer<NoticeText>? _noticeText;

    public UserService(ILocalStore store, TimeProvider time, IStringLocalizer<Text> text, IStringLocalizer<NoticeText>? noticeText = null)
    {
        _store = store;
        _time = time;
        _text = text;
        _noticeText = noticeText;
        using var conn = store.OpenConnection();
        conn.Exec("""
            CREATE TABLE IF NOT EXISTS auth_lockout (username TEXT PRIMARY KEY, failures BIGINT NOT NULL, locked_until TEXT);
            CREATE TABLE IF NOT EXISTS local_accounts (
                username TEXT PRIMARY KEY, display_name TEXT NOT NULL, unit TEXT NOT NULL, roles TEXT NOT NULL,
                password_hash TEXT NOT NULL, security_stamp TEXT NOT NULL);
            """);
    }

    public bool IsHub => _store.NodeId == NodeIds.Hub;

    public StaffUser? FindByUsername(string username)
    {
        using var conn = _store.OpenConnection();
        using (var cmd = conn.Command($"SELECT {Columns} FROM users WHERE username = @u AND deleted = 0", null, ("@u", username)))
        using (var r = cmd.ExecuteReader())
        {
            if (r.Read()) return Read(r);
        }
        return ReadLocal(username);
    }

    private StaffUser? ReadLocal(string username)
    {
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command("SELECT username, display_name, unit, roles, password_hash, security_stamp FROM local_accounts WHERE username = @u", null, ("@u", username));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return new StaffUser
        {
            Id = "local:" + r.GetString(0), Username = r.GetString(0), DisplayName = r.GetString(1), Unit = r.GetString(2),
            Roles = UsersTable.DecodeRoles(r.GetString(3)), PasswordHash = r.GetString(4), SecurityStamp = r.GetString(5), Local = true,
        };
    }

    private IEnumerable<StaffUser> Candidates(string username)
    {
        if (FindByUsername(username) is { } first)
        {
            yield return first;
            if (!first.Local && LocalAccount(username) is { } local) yield return local;
        }
    }

    private StaffUser? LocalAccount(string username) => FindById("local:" + username);

    public StaffUser? FindById(string id)
    {
        if (id.StartsWith("local:", StringComparison.Ordinal)) return ReadLocal(id[6..]);
        if (!Guid.TryParse(id, out _)) return null;
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command($"SELECT {Columns} FROM users WHERE id = @id AND deleted = 0", null, ("@id", id));
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    public IReadOnlyList<StaffUser> List()
    {
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command($"SELECT {Columns} FROM users WHERE deleted = 0 ORDER BY unit, username");
        using var r = cmd.ExecuteReader();
        var list = new List<StaffUser>();
        while (r.Read()) list.Add(Read(r));
        return list;
    }

    /// <summary>Checks a password; five failures in a row lock the account for 15 minutes on this node.</summary>
    public (LoginResult Result, StaffUser? User) Login(string? username, string? password)
    {
        username = username?.Trim().ToLowerInvariant() ?? "";
        if (username.Length == 0 || string.IsNullOrEmpty(password)) return (LoginResult.BadCredentials, null);
        var now = _time.GetUtcNow();
        using var conn = _store.OpenConnection();
        var lockedUntil = conn.ScalarString("SELECT locked_until FROM auth_lockout WHERE username = @u", null, ("@u", username));
        if (lockedUntil is not null && DateTimeOffset.Parse(lockedUntil, CultureInfo.InvariantCulture) > now) return (LoginResult.LockedOut, null);

        // A node may hold both the replicated account and its own break-glass account of the same name: try both.
        var user = Candidates(username).FirstOrDefault(u => _hasher.VerifyHashedPassword(u, u.PasswordHash, password) != PasswordVerificationResult.Failed);
        var ok = user is not null;
        if (!ok)
        {
            var failures = conn.ScalarLong("SELECT failures FROM auth_lockout WHERE username = @u", null, ("@u", username)) + 1;
            var until = failures >= MaxFailures ? now.Add(LockoutDuration).ToString("O", CultureInfo.InvariantCulture) : null;
            conn.Exec("""
                INSERT INTO auth_lockout (username, failures, locked_until) VALUES (@u, @f, @l)
                ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
                """, null, ("@u", username), ("@f", failures >= MaxFailures ? 0L : failures), ("@l", until));
            return (until is null ? LoginResult.BadCredentials : LoginResult.LockedOut, null);
        }
        conn.Exec("DELETE FROM auth_lockout WHERE username = @u", null, ("@u", username));
        return user!.Disabled ? (LoginResult.Disabled, null) : (LoginResult.Success, user);
    }

    /// <summary>Hub only: creates a staff account.</summary>
    public StaffUser Create(string? username, string? displayName, string? unit, IReadOnlyList<string>? roles, string? password, string? phone = null)
    {
        var errors = new Dictionary<string, string[]>();
        username = username?.Trim().ToLowerInvariant();
        if (username is null || !UsernamePattern().IsMatch(username)) errors["username"] = [_text["Val_Username"]];
        else if (FindByUsername(username) is not null) errors["username"] = [_text["Val_UsernameTaken"]];
        if (string.IsNullOrWhiteSpace(displayName)) errors["displayName"] = [_text["Val_DisplayName"]];
        if (unit is null || !NodeIds.IsValid(unit)) errors["unit"] = [_text["Val_Unit"]];
        if (roles is null || roles.Count == 0 || roles.Any(r => !Roles.IsValid(r))) errors["roles"] = [_text["Val_Roles", string.Join(", ", Roles.All)]];
        if (PasswordProblem(password) is { } p) errors["password"] = [p];
        phone = NormalizePhone(phone, errors);
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        RequireHub();
        var stamp = NewStamp();
        var row = _store.Insert(UsersTable.Name, new JsonObject
        {
            ["username"] = username,
            ["display_name"] = displayName!.Trim(),
            ["unit"] = unit,
            ["roles"] = UsersTable.EncodeRoles(roles!),
            ["password_hash"] = _hasher.HashPassword(null!, password!),
            ["security_stamp"] = stamp,
            ["disabled"] = 0L,
            ["password_changed_utc"] = _time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["phone"] = phone,
        });
        return FindById(row.Id)!;
    }

    /// <summary>Hub only: changes roles, the disabled flag and (when given; "" clears it) the mobile number.</summary>
    public StaffUser? Update(string id, IReadOnlyList<string>? roles, bool? disabled, string? phone = null)
    {
        RequireHub();
        var user = FindById(id);
        if (user is null || user.Local) return null;
        var changes = new JsonObject();
        if (roles is not null)
        {
            if (roles.Count == 0 || roles.Any(r => !Roles.IsValid(r)))
            {
                throw new OfficeValidationException(new Dictionary<string, string[]> { ["roles"] = [_text["Val_Roles", string.Join(", ", Roles.All)]] });
            }
            changes["roles"] = UsersTable.EncodeRoles(roles);
        }
        if (disabled is not null) changes["disabled"] = disabled.Value ? 1L : 0L;
        if (phone is not null)
        {
            var errors = new Dictionary<string, string[]>();
            changes["phone"] = NormalizePhone(phone, errors);
            if (errors.Count > 0) throw new OfficeValidationException(errors);
        }
        changes["security_stamp"] = NewStamp();
        _store.Update(UsersTable.Name, id, changes);
        return FindById(id);
    }

    /// <summary>
    /// A user changes their own password. Works offline at a township for that township's users; the change syncs
    /// to the hub. County-wide accounts change their password at the hub.
    /// </summary>
    public void ChangePassword(StaffUser user, string? current, string? next)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = new Dictionary<string, string[]>();
        if (current is null || _hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            errors["currentPassword"] = [_text["Val_CurrentPassword"]];
        }
        if (PasswordProblem(next) is { } p) errors["newPassword"] = [p];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        SetPassword(user, next!);
    }

    /// <summary>Administrator resets someone's password.</summary>
    public void ResetPassword(StaffUser user, string? next)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (PasswordProblem(next) is { } p) throw new OfficeValidationException(new Dictionary<string, string[]> { ["password"] = [p] });
        SetPassword(user, next!);
    }

    private void SetPassword(StaffUser user, string next)
    {
        var hash = _hasher.HashPassword(user, next);
        if (user.Local)
        {
            using var conn = _store.OpenConnection();
            conn.Exec("UPDATE local_accounts SET password_hash = @h, security_stamp = @s WHERE username = @u", null,
                ("@h", hash), ("@s", NewStamp()), ("@u", user.Username));
            return;
        }
        if (!IsHub && (user.Unit != _store.NodeId || Roles.CountyWide.Any(user.Roles.Contains)))
        {
            throw new OfficeForbiddenException(_text["Val_PasswordAtHub"]);
        }
        _store.Update(UsersTable.Name, user.Id, new JsonObject
        {
            ["password_hash"] = hash,
            ["security_stamp"] = NewStamp(),
            ["password_changed_utc"] = _time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// First start: the hub creates the replicated administrator; an edge creates a local one (it cannot create
    /// replicated accounts). Refuses when no administrator exists and no password is configured.
    /// </summary>
    public void EnsureAdministrator(string? password)
    {
        var existing = FindByUsername("admin");
        if (existing is not null && (IsHub ? !existing.Local : true)) return;
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException(
                "No administrator exists yet: start once with --EGov:Admin:Password=<password> to create user 'admin'. There is no built-in default password.");
        }
        if (PasswordProblem(password) is { } problem) throw new InvalidOperationException($"EGov:Admin:Password: {problem}");
        if (IsHub)
        {
            Create("admin", _text["Admin_DisplayName"], NodeIds.Hub, [Roles.Admin], password);
            return;
        }
        using var conn = _store.OpenConnection();
        conn.Exec("""
            INSERT INTO local_accounts (username, display_name, unit, roles, password_hash, security_stamp)
            VALUES ('admin', @d, @unit, @roles, @h, @s) ON CONFLICT (username) DO NOTHING
            """, null, ("@d", (string)_text["Admin_DisplayName"]), ("@unit", _store.NodeId), ("@roles", UsersTable.EncodeRoles([Roles.Admin])),
            ("@h", _hasher.HashPassword(null!, password)), ("@s", NewStamp()));
    }

    /// <summary>The mobile numbers of the replicated accounts this node holds, by user id.</summary>
    public IReadOnlyDictionary<string, string> Phones()
    {
        using var conn = _store.OpenConnection();
        using var cmd = conn.Command("SELECT id, phone FROM users WHERE deleted = 0 AND phone IS NOT NULL AND phone <> ''");
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read()) map[r.GetString(0)] = r.GetString(1);
        return map;
    }

    /// <summary>Empty means none; otherwise a mainland mobile number (1[3-9] and 9 more digits), spaces and dashes ignored.</summary>
    private string? NormalizePhone(string? phone, Dictionary<string, string[]> errors)
    {
        var p = phone?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (p is { Length: > 3 } && p.StartsWith("+86", StringComparison.Ordinal)) p = p[3..];
        if (string.IsNullOrEmpty(p)) return null;
        if (!EGovEdge.Office.Notices.SmsOutbox.IsMobile(p))
        {
            errors["phone"] = [_noticeText?["Val_Phone"].Value ?? "手机号须为 11 位大陆手机号码 / The mobile number must be 11 digits: 1, then 3-9, then 9 digits"];
            return null;
        }
        return p;
    }

    private string? PasswordProblem(string? password) =>
        password is null || password.Length < 8 || !password.Any(char.IsLetter) || !password.Any(char.IsDigit)
            ? _text["Val_PasswordPolicy"].Value
            : null;

    private void RequireHub()
    {
        if (!IsHub) throw new OfficeForbiddenException(_text["Val_UsersAtHub"]);
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private const string Columns = "id, username, display_name, unit, roles, password_hash, security_stamp, disabled";

    private static StaffUser Read(DbDataReader r) => new()
    {
        Id = r.GetString(0), Username = r.GetString(1), DisplayName = r.GetString(2), Unit = r.GetString(3),
        Roles = UsersTable.DecodeRoles(r.GetString(4)), PasswordHash = r.GetString(5), SecurityStamp = r.GetString(6),
        Disabled = r.LongOrZero(7) != 0,
    };

    [GeneratedRegex("^[a-z][a-z0-9_.-]{1,39}$")]
    private static partial Regex UsernamePattern();
}
