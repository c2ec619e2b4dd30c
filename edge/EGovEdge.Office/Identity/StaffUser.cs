namespace EGovEdge.Office.Identity;

/// <summary>A staff account as the office modules see it (the password hash never leaves the service).</summary>
public sealed class StaffUser
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public required string Unit { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
    public bool Disabled { get; init; }

    /// <summary>True for a node's local break-glass administrator (created from EGov:Admin:Password, not replicated).</summary>
    public bool Local { get; init; }

    internal string PasswordHash { get; init; } = "";
    internal string SecurityStamp { get; init; } = "";
}
