using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Identity;

/// <summary>
/// Staff accounts, replicated from the hub so a township can log in while offline. A township user's row goes to
/// that township; county-wide roles (supervisor, technician, admin) go to every node.
/// </summary>
public static class UsersTable
{
    public const string Name = "users";

    public static readonly SyncTable Definition = new(
        Name,
        [
            new SyncColumn("username", Required: true),
            new SyncColumn("display_name", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("roles", Required: true),
            new SyncColumn("password_hash", Required: true),
            new SyncColumn("security_stamp", Required: true),
            new SyncColumn("disabled", SyncColumnType.Integer),
            new SyncColumn("password_changed_utc"),
            new SyncColumn("phone"),
        ],
        row => Scope(row.Text("unit"), row.Text("roles")),
        ["ix_users_username(username)"]);

    public static string Scope(string? unit, string? roles)
    {
        var list = DecodeRoles(roles);
        if (list.Any(r => Roles.CountyWide.Contains(r))) return Scopes.Everyone;
        return unit is null ? Scopes.Of([]) : Scopes.Of([unit]);
    }

    public static IReadOnlyList<string> DecodeRoles(string? stored) => (stored ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static string EncodeRoles(IEnumerable<string> roles) => "|" + string.Join('|', roles.Distinct().Order(StringComparer.Ordinal)) + "|";
}
