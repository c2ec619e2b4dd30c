namespace EGovEdge.Office.Seals;

/// <summary>
/// <c>EGov:Seals</c>: <c>RevocationListDays</c> (default 7), how long a signed seal revocation list is current
/// (its next_update_utc); the hub re-issues the list well before then.
/// </summary>
public sealed class SealOptions
{
    public const string Section = "EGov:Seals";

    public const int MaxRevocationListDays = 366;

    public int RevocationListDays { get; set; } = 7;

    /// <summary>The list's validity, 1 to <see cref="MaxRevocationListDays"/> days.</summary>
    public TimeSpan RevocationListValidity => TimeSpan.FromDays(Math.Clamp(RevocationListDays, 1, MaxRevocationListDays));
}
