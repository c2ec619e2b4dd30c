using System.Globalization;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Seals;

/// <summary>Reads of the seal tables and the canonical encodings that are signed.</summary>
internal static class SealRows
{
    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseUtc(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    public static DateOnly ParseDate(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.MinValue;

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>SES_SealInfo in our encoding: everything the maker vouches for (not the status or revocation).</summary>
    public static byte[] SealInfo(SyncRow s) => new CanonicalWriter()
        .Add("EGovEdge-SESeal/1").Add(s.Id).Add(s.Text("unit")).Add(s.Text("unit_name")).Add(s.Text("seal_code")).Add(s.Text("name"))
        .Add(s.Text("image_svg")).Add(s.Text("valid_from")).Add(s.Text("valid_to")).Add(s.Text("signer")).Add(s.Text("signer_public_key"))
        .Add(s.Text("maker_key_id")).Add(s.Text("issued_utc"))
        .ToArray();

    public static List<SyncRow> Query(ILocalStore store, SyncTable t, string where, string orderBy, params (string, object?)[] args)
    {
        using var conn = store.OpenConnection();
        return Query(conn, null, t, where, orderBy, args);
    }

    public static List<SyncRow> Query(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx, SyncTable t, string where,
        string orderBy, params (string, object?)[] args)
    {
        var rows = new List<SyncRow>();
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM {t.Name} WHERE deleted = 0 AND ({where}) ORDER BY {orderBy}", tx, args);
        using var r = cmd.ExecuteReader();
        while (r.Read()) rows.Add(RowIo.ReadRow(t, r));
        return rows;
    }

    public static SealDto ToDto(SyncRow s, bool keyHere, bool withImage) => new()
    {
        Id = s.Id,
        Unit = s.Text("unit") ?? "",
        UnitName = s.Text("unit_name") ?? "",
        SealCode = s.Text("seal_code") ?? "",
        Name = s.Text("name") ?? "",
        ValidFrom = ParseDate(s.Text("valid_from")),
        ValidTo = ParseDate(s.Text("valid_to")),
        Signer = s.Text("signer") ?? "",
        SignerPublicKey = s.Text("signer_public_key") ?? "",
        Status = s.Text("status") ?? "",
        RequestedBy = s.Text("requested_by"),
        RequestedUtc = ParseUtc(s.Text("requested_utc")),
        IssuedBy = s.Text("issued_by"),
        IssuedUtc = ParseUtc(s.Text("issued_utc")),
        MakerKeyId = s.Text("maker_key_id"),
        MakerSignature = s.Text("maker_sig"),
        RevokedReason = s.Text("revoked_reason"),
        RevokedUtc = ParseUtc(s.Text("revoked_utc")),
        RevokedBy = s.Text("revoked_by"),
        OriginNode = s.Origin,
        KeyHere = keyHere,
        ImageSvg = withImage ? s.Text("image_svg") : null,
    };

    /// <summary>Whether the maker's signature over the seal info verifies under a published maker key.</summary>
    public static bool MakerSignatureValid(SyncRow seal, SyncRow? maker) =>
        maker is not null && !maker.Deleted
        && SmCrypto.TryFromHex(maker.Text("public_key"), out var pub)
        && SealMakerKeyIds.Matches(maker.Text("key_id"), pub) && maker.Text("key_id") == seal.Text("maker_key_id")
        && TryBase64(seal.Text("maker_sig"), out var sig)
        && SmCrypto.VerifyRemembered(pub, SealInfo(seal), sig);

    public static SyncRow? Maker(ILocalStore store, string? keyId) =>
        keyId is null ? null : Query(store, SealTables.MakersDefinition, "key_id = @k", "id", ("@k", keyId)).FirstOrDefault();

    public static SyncRow? Maker(ILocalWrite write, string? keyId) =>
        keyId is null ? null : Query(write.Connection, write.Transaction, SealTables.MakersDefinition, "key_id = @k", "id", ("@k", keyId)).FirstOrDefault();

    public static bool TryBase64(string? s, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(s)) return false;
        try
        {
            bytes = Convert.FromBase64String(s);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

internal static class SealMakerKeyIds
{
    public static bool Matches(string? keyId, byte[] publicKey) => keyId == SoftwareSealMakerKey.MakerKeyId(publicKey);

    /// <summary>The seal_maker row id for a key: a UUID made from the key id, so republishing the same key is a no-op.</summary>
    public static string RowId(string keyId) => new Guid(Convert.FromHexString(keyId.AsSpan(0, 32))).ToString("D");
}
