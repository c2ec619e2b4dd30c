using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Seals;

/// <summary>
/// The replicated seal tables, all published to every node so a seal can be verified anywhere, offline:
/// <c>seal_maker</c> (the county seal maker's public keys, written by the hub only), <c>seals</c> (the seal registry
/// with each seal's status), <c>seal_uses</c> (用印登记, append-only) and <c>seal_revocation_lists</c> (印章撤销列表:
/// numbered lists signed by the seal maker at the hub, so a verifier can tell a genuine list from an edited one).
/// </summary>
public static class SealTables
{
    public const string Makers = "seal_maker";
    public const string Seals = "seals";
    public const string Uses = "seal_uses";
    public const string RevocationLists = "seal_revocation_lists";

    public const string Requested = "requested";
    public const string Issued = "issued";
    public const string Revoked = "revoked";

    /// <summary>Columns only the seal maker (the hub) writes.</summary>
    public static readonly IReadOnlyList<string> MakerColumns =
        ["issued_by", "issued_utc", "maker_key_id", "maker_sig", "revoked_reason", "revoked_utc", "revoked_by"];

    public static readonly SyncTable MakersDefinition = new(
        Makers,
        [
            new SyncColumn("key_id", Required: true),
            new SyncColumn("public_key", Required: true),
            new SyncColumn("created_utc", Required: true),
        ],
        _ => Scopes.Everyone);

    public static readonly SyncTable SealsDefinition = new(
        Seals,
        [
            new SyncColumn("unit", Required: true),
            new SyncColumn("unit_name", Required: true),
            new SyncColumn("seal_code", Required: true),
            new SyncColumn("name", Required: true),
            new SyncColumn("image_svg", Required: true),
            new SyncColumn("valid_from", Required: true),
            new SyncColumn("valid_to", Required: true),
            new SyncColumn("signer", Required: true),
            new SyncColumn("signer_public_key", Required: true),
            new SyncColumn("status", Required: true),
            new SyncColumn("requested_by"),
            new SyncColumn("requested_utc"),
            new SyncColumn("issued_by"),
            new SyncColumn("issued_utc"),
            new SyncColumn("maker_key_id"),
            new SyncColumn("maker_sig"),
            new SyncColumn("revoked_reason"),
            new SyncColumn("revoked_utc"),
            new SyncColumn("revoked_by"),
        ],
        _ => Scopes.Everyone,
        ["ix_seals_unit(unit, deleted)", "ix_seals_code(seal_code)"]);

    public static readonly SyncTable UsesDefinition = new(
        Uses,
        [
            new SyncColumn("document_id", Required: true),
            new SyncColumn("seal_id", Required: true),
            new SyncColumn("unit", Required: true),
            new SyncColumn("signer", Required: true),
            new SyncColumn("node", Required: true),
            new SyncColumn("at_utc", Required: true),
            new SyncColumn("digest", Required: true),
            new SyncColumn("parts", Required: true),
            new SyncColumn("seal_hash", Required: true),
            new SyncColumn("signature", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_seal_uses_document(document_id)", "ix_seal_uses_seal(seal_id)", "ix_seal_uses_at(at_utc)"]);

    /// <summary>
    /// One signed revocation list per row: number (monotonic), issued_utc, next_update_utc, entries (JSON array of
    /// {seal_id, seal_code, revoked_utc, reason}), maker_key_id and the maker's SM2 signature (base64) over
    /// <see cref="SealRevocationListDto.SignedData"/>. Written by the hub only.
    /// </summary>
    public static readonly SyncTable RevocationListsDefinition = new(
        RevocationLists,
        [
            new SyncColumn("number", SyncColumnType.Integer, Required: true),
            new SyncColumn("issued_utc", Required: true),
            new SyncColumn("next_update_utc", Required: true),
            new SyncColumn("entries", Required: true),
            new SyncColumn("maker_key_id", Required: true),
            new SyncColumn("signature", Required: true),
        ],
        _ => Scopes.Everyone,
        ["ix_seal_revocation_lists_number(number)"]);

    public static readonly IReadOnlyList<SyncTable> All = [MakersDefinition, SealsDefinition, UsesDefinition, RevocationListsDefinition];
}
