using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Seals;

/// <summary>What a seal protects: the document's final content (canonical bytes of its fields), its PDF and its attachments.</summary>
public sealed record SealSubject(string DocumentId, byte[] Content, byte[] Pdf, IReadOnlyList<SealedAttachment> Attachments);

public sealed record SealedAttachment(string Name, byte[] Data);

/// <summary>A seal this user may apply at this node.</summary>
public sealed record UsableSeal(string SealId, string Name, string Unit, string SealCode);

/// <summary>One 用印登记 entry: who applied which seal to which document, when and where.</summary>
public sealed record SealUseRecord(string Id, string DocumentId, string SealId, string SealName, string Signer, string Node, DateTimeOffset AtUtc, string DigestHex);

/// <summary>The outcome of verifying a document's seal offline from the cached registry and revocation list.</summary>
/// <param name="Sealed">Whether the document carries a seal at all.</param>
/// <param name="Valid">True only when every check passed.</param>
/// <param name="Reason">
/// Localised reason when not valid (tampered content, revoked or expired seal, unknown signer, bad signature...); when
/// valid, the notes (a revocation after the use, an out-of-date revocation list), else null.
/// </param>
/// <param name="ListNumber">The number of the signed revocation list the check used (null: none verified at this node).</param>
/// <param name="ListIssuedUtc">When that list was issued.</param>
/// <param name="ListNote">A warning about the list (past its next update, or none at all); never makes the check invalid.</param>
public sealed record SealCheck(bool Sealed, bool Valid, string? Reason, SealUseRecord? Use,
    long? ListNumber = null, DateTimeOffset? ListIssuedUtc = null, string? ListNote = null);

/// <summary>Electronic seals (GB/T 38540 model): applying a seal to a document and verifying it anywhere, offline.</summary>
public interface ISealService
{
    /// <summary>Seals this user may apply at this node now (valid, not revoked, signer bound to the user).</summary>
    IReadOnlyList<UsableSeal> UsableBy(string username);

    /// <summary>
    /// Signs the SM3 digest of <paramref name="subject"/> with the seal's signing key and records the use, inside the
    /// caller's transaction (so the workflow step and the seal use commit together).
    /// Throws OfficeValidationException/OfficeForbiddenException (nothing written) when the seal cannot be used.
    /// </summary>
    SealUseRecord Apply(ILocalWrite write, string sealId, SealSubject subject, string username);

    /// <summary>Verifies the seal use recorded for <see cref="SealSubject.DocumentId"/> against the subject as it is now.</summary>
    SealCheck Verify(SealSubject subject);
}
