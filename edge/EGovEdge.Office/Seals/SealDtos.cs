using System.Text.Json.Serialization;

namespace EGovEdge.Office.Seals;

/// <summary>A seal in the registry (image, unit, validity, allowed signer, status, the maker's signature).</summary>
public sealed record SealDto
{
    public required string Id { get; init; }
    public required string Unit { get; init; }
    public required string UnitName { get; init; }
    public required string SealCode { get; init; }
    public required string Name { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly ValidTo { get; init; }
    public required string Signer { get; init; }
    public required string SignerPublicKey { get; init; }
    public required string Status { get; init; }
    public string? RequestedBy { get; init; }
    public DateTimeOffset? RequestedUtc { get; init; }
    public string? IssuedBy { get; init; }
    public DateTimeOffset? IssuedUtc { get; init; }
    public string? MakerKeyId { get; init; }
    public string? MakerSignature { get; init; }
    public string? RevokedReason { get; init; }
    public DateTimeOffset? RevokedUtc { get; init; }
    public string? RevokedBy { get; init; }
    public required string OriginNode { get; init; }

    /// <summary>Whether this node holds the seal's signing key (it can apply the seal here).</summary>
    public bool KeyHere { get; init; }

    /// <summary>The SVG drawing; left out of lists (fetch /api/seals/{id}/image.svg).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ImageSvg { get; init; }
}

/// <summary>POST /api/seals: a seal administrator requests a seal for this node's unit (at the hub: optionally issued at once).</summary>
public sealed class SealRequest
{
    public string? Name { get; set; }
    public string? UnitName { get; set; }
    public string? Signer { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>Hub only: request and issue in one step for the hub's own unit.</summary>
    public bool Issue { get; set; }
}

public sealed class SealRevokeRequest
{
    public string? Reason { get; set; }
}

public sealed record SealMakerDto(string Id, string KeyId, string PublicKey, DateTimeOffset CreatedUtc);

public sealed record SealRevocationDto(string SealId, string SealCode, DateTimeOffset RevokedUtc, string? Reason);

/// <summary>
/// A signed seal revocation list (印章撤销列表), numbered by the hub. <see cref="Signature"/> is the seal maker's SM2
/// signature (DER, base64) over <see cref="SignedData"/>, verifiable with the maker's public key of
/// <see cref="MakerKeyId"/> (GET /api/seals/registry lists the keys).
/// </summary>
public sealed record SealRevocationListDto(
    long Number, DateTimeOffset IssuedUtc, DateTimeOffset NextUpdateUtc, IReadOnlyList<SealRevocationDto> Entries, string MakerKeyId, string Signature)
{
    /// <summary>
    /// What the maker signs: "EGovEdge-SealRevocationList/1", the number (decimal), issued and next-update times
    /// (ISO 8601 UTC with 7 fraction digits and Z), the maker key id, the number of entries and each entry's seal id,
    /// seal code, revocation time and reason; every field a 4-byte big-endian length and its UTF-8 bytes (a missing
    /// reason has length 0xFFFFFFFF), the count a 4-byte big-endian integer.
    /// </summary>
    public byte[] SignedData()
    {
        var w = new CanonicalWriter().Add("EGovEdge-SealRevocationList/1")
            .Add(Number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add(SealRows.Utc(IssuedUtc)).Add(SealRows.Utc(NextUpdateUtc)).Add(MakerKeyId).Add(Entries.Count);
        foreach (var e in Entries) w.Add(e.SealId).Add(e.SealCode).Add(SealRows.Utc(e.RevokedUtc)).Add(e.Reason);
        return w.ToArray();
    }

    /// <summary>The entry for a seal, if it is on this list.</summary>
    public SealRevocationDto? Find(string sealId) => Entries.FirstOrDefault(e => e.SealId == sealId);
}

/// <summary>
/// Everything an offline verifier needs: maker keys, issued seals, the revocations the seal rows record and the newest
/// signed revocation list that verifies at this node (null when there is none).
/// </summary>
public sealed record SealRegistryDto(
    IReadOnlyList<SealMakerDto> Makers, IReadOnlyList<SealDto> Seals, IReadOnlyList<SealRevocationDto> Revocations, DateTimeOffset GeneratedUtc,
    SealRevocationListDto? RevocationList = null);

[JsonSerializable(typeof(SealDto))]
[JsonSerializable(typeof(List<SealDto>))]
[JsonSerializable(typeof(SealRequest))]
[JsonSerializable(typeof(SealRevokeRequest))]
[JsonSerializable(typeof(SealRegistryDto))]
[JsonSerializable(typeof(SealRevocationListDto))]
[JsonSerializable(typeof(List<SealUseRecord>))]
[JsonSerializable(typeof(SealCheck))]
[JsonSerializable(typeof(List<string>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class SealJsonContext : JsonSerializerContext;
