using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Seals;

/// <summary>
/// The signed seal revocation lists (印章撤销列表): issued by the seal maker at the hub, read and verified anywhere.
/// A list that does not verify under a published maker key is ignored, so an edited or forged row in a local database
/// cannot hide a revocation or invent one.
/// </summary>
internal static class SealRevocationLists
{
    /// <summary>The newest list whose maker signature verifies under a published maker key; null when there is none.</summary>
    public static SealRevocationListDto? NewestValid(DbConnection conn, DbTransaction? tx)
    {
        var makers = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var m in SealRows.Query(conn, tx, SealTables.MakersDefinition, "1 = 1", "id"))
        {
            if (m.Text("key_id") is { } keyId && SmCrypto.TryFromHex(m.Text("public_key"), out var pub) && SealMakerKeyIds.Matches(keyId, pub))
            {
                makers[keyId] = pub;
            }
        }
        if (makers.Count == 0) return null;
        var t = SealTables.RevocationListsDefinition;
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM {t.Name} WHERE deleted = 0 ORDER BY number DESC, id DESC", tx);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = RowIo.ReadRow(t, r);
            if (Read(row) is { } list && makers.TryGetValue(list.MakerKeyId, out var key)
                && SealRows.TryBase64(list.Signature, out var signature) && SmCrypto.VerifyRemembered(key, list.SignedData(), signature))
            {
                return list;
            }
        }
        return null;
    }

    public static SealRevocationListDto? NewestValid(ILocalStore store)
    {
        using var conn = store.OpenConnection();
        return NewestValid(conn, null);
    }

    /// <summary>The list a row holds; null when a field is missing or malformed (such a list never verifies).</summary>
    public static SealRevocationListDto? Read(SyncRow row)
    {
        if (row.Integer("number") is not { } number
            || SealRows.ParseUtc(row.Text("issued_utc")) is not { } issued
            || SealRows.ParseUtc(row.Text("next_update_utc")) is not { } next
            || row.Text("maker_key_id") is not { } keyId
            || row.Text("signature") is not { } signature)
        {
            return null;
        }
        var entries = new List<SealRevocationDto>();
        try
        {
            if (JsonNode.Parse(row.Text("entries") ?? "") is not JsonArray array) return null;
            foreach (var node in array)
            {
                if (node is not JsonObject e
                    || Str(e, "seal_id") is not { } sealId || Str(e, "seal_code") is not { } code
                    || SealRows.ParseUtc(Str(e, "revoked_utc")) is not { } revoked)
                {
                    return null;
                }
                entries.Add(new SealRevocationDto(sealId, code, revoked, Str(e, "reason")));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
        return new SealRevocationListDto(number, issued, next, entries, keyId, signature);
    }

    /// <summary>What the list must hold now: every revoked seal in the hub's registry, oldest revocation first.</summary>
    public static List<SealRevocationDto> Expected(ILocalWrite write) =>
        SealRows.Query(write.Connection, write.Transaction, SealTables.SealsDefinition, "status = @r", "revoked_utc, id", ("@r", SealTables.Revoked))
            .Select(s => new SealRevocationDto(s.Id, s.Text("seal_code") ?? "",
                SealRows.ParseUtc(s.Text("revoked_utc")) ?? SealRows.ParseUtc(s.Text("requested_utc")) ?? DateTimeOffset.UnixEpoch,
                s.Text("revoked_reason")))
            .ToList();

    /// <summary>Signs and writes the next list (number one above every list present) with <paramref name="entries"/>.</summary>
    public static SealRevocationListDto Issue(ILocalWrite write, ISealMakerKey maker, DateTimeOffset now, TimeSpan validity,
        IReadOnlyList<SealRevocationDto> entries)
    {
        var number = write.Connection.ScalarLong(
            $"SELECT COALESCE(MAX(number), 0) FROM {SealTables.RevocationLists}", write.Transaction) + 1;
        // Times are kept to the 100 ns tick the text form holds, so the signed data reads back byte for byte.
        var issued = SealRows.ParseUtc(SealRows.Utc(now))!.Value;
        var list = new SealRevocationListDto(number, issued, issued + validity, entries, maker.KeyId, "");
        list = list with { Signature = Convert.ToBase64String(maker.Sign(list.SignedData())) };
        write.Insert(SealTables.RevocationLists, new JsonObject
        {
            ["number"] = number,
            ["issued_utc"] = SealRows.Utc(list.IssuedUtc),
            ["next_update_utc"] = SealRows.Utc(list.NextUpdateUtc),
            ["entries"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
            {
                ["seal_id"] = e.SealId,
                ["seal_code"] = e.SealCode,
                ["revoked_utc"] = SealRows.Utc(e.RevokedUtc),
                ["reason"] = e.Reason,
            })]).ToJsonString(),
            ["maker_key_id"] = maker.KeyId,
            ["signature"] = list.Signature,
        });
        return list;
    }

    /// <summary>Whether two entry lists say the same (same seals, times and reasons, in order).</summary>
    public static bool Same(IReadOnlyList<SealRevocationDto> a, IReadOnlyList<SealRevocationDto> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.SealId == p.Second.SealId && p.First.SealCode == p.Second.SealCode
                                                && SealRows.Utc(p.First.RevokedUtc) == SealRows.Utc(p.Second.RevokedUtc)
                                                && p.First.Reason == p.Second.Reason);

    public static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string? Str(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;
}
