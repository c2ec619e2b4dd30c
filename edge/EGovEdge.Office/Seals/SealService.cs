using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Seals;

/// <summary>
/// Applies seals (电子签章) and verifies them offline from the local seal tables, following GB/T 38540's model: the
/// signature covers the SM3 digest of the document (content, PDF, attachments) together with the seal's identity, the
/// signer, the node and the time; the seal record itself is signed by the county seal maker, and so is the revocation
/// list a verification consults (the newest that verifies; how fresh it is goes with the result).
/// </summary>
public sealed class SealService(ILocalStore store, ISealKeyStore keys, TimeProvider time, IStringLocalizer<SealText> text) : ISealService
{
    public const int MaxAttachments = 100;

    public IReadOnlyList<UsableSeal> UsableBy(string username)
    {
        var now = time.GetUtcNow();
        var list = SealRevocationLists.NewestValid(store);
        return SealRows.Query(store, SealTables.SealsDefinition, "unit = @u AND signer = @s AND status = @i", "name, id",
                ("@u", store.NodeId), ("@s", username), ("@i", SealTables.Issued))
            .Where(s => WithinValidity(s, now) && keys.Has(s.Id) && list?.Find(s.Id) is null
                        && SealRows.MakerSignatureValid(s, SealRows.Maker(store, s.Text("maker_key_id"))))
            .Select(s => new UsableSeal(s.Id, s.Text("name") ?? "", s.Text("unit_name") ?? "", s.Text("seal_code") ?? ""))
            .ToList();
    }

    public SealUseRecord Apply(ILocalWrite write, string sealId, SealSubject subject, string username)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(subject);
        if (string.IsNullOrWhiteSpace(subject.DocumentId)) throw Invalid("documentId", text["Val_DocumentRequired"]);
        if (subject.Attachments.Count > MaxAttachments) throw Invalid("attachments", text["Val_TooManyAttachments", MaxAttachments]);
        var seal = Guid.TryParse(sealId, out _) ? write.Get(SealTables.Seals, sealId) : null;
        if (seal is null || seal.Deleted) throw Invalid("sealId", text["Val_SealUnknown"]);
        if (seal.Text("unit") != write.NodeId) throw new OfficeForbiddenException(text["Apply_OtherUnit"]);
        if (seal.Text("signer") != username) throw new OfficeForbiddenException(text["Apply_NotSigner", username]);
        var now = time.GetUtcNow();
        if (seal.Text("status") != SealTables.Issued) throw Invalid("sealId", text["Apply_NotIssued"]);
        if (!WithinValidity(seal, now)) throw Invalid("sealId", text["Apply_OutOfValidity"]);
        if (!SealRows.MakerSignatureValid(seal, SealRows.Maker(write, seal.Text("maker_key_id")))) throw Invalid("sealId", text["Check_MakerSignatureInvalid"]);
        if (SealRevocationLists.NewestValid(write.Connection, write.Transaction)?.Find(seal.Id) is { } listed)
        {
            throw Invalid("sealId", text["Apply_Listed", ChinaTime.Format(listed.RevokedUtc), listed.Reason ?? ""]);
        }
        if (!keys.Has(seal.Id)) throw Invalid("sealId", text["Apply_NoKey"]);

        var data = new JsonObject
        {
            ["document_id"] = subject.DocumentId,
            ["seal_id"] = seal.Id,
            ["unit"] = seal.Text("unit"),
            ["signer"] = username,
            ["node"] = write.NodeId,
            ["at_utc"] = SealRows.Utc(now),
            ["digest"] = Convert.ToHexStringLower(Digest(subject)),
            ["parts"] = Parts(subject),
            ["seal_hash"] = SmCrypto.Sm3Hex(SealRows.SealInfo(seal)),
        };
        data["signature"] = Convert.ToBase64String(keys.Sign(seal.Id, ToBeSigned(data)));
        var row = write.Insert(SealTables.Uses, data);
        return ToRecord(row, seal.Text("name") ?? "");
    }

    public SealCheck Verify(SealSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var use = SealRows.Query(store, SealTables.UsesDefinition, "document_id = @d", "at_utc DESC, id DESC LIMIT 1", ("@d", subject.DocumentId))
            .FirstOrDefault();
        if (use is null) return new SealCheck(false, false, text["Check_NotSealed"], null);
        return Check(use, subject);
    }

    /// <summary>Verifies one recorded use; with a <paramref name="subject"/> also compares the document, else only the seal and signature.</summary>
    public SealCheck VerifyUse(string useId, SealSubject? subject)
    {
        var use = Guid.TryParse(useId, out _) ? store.Get(SealTables.Uses, useId) : null;
        if (use is null || use.Deleted) return new SealCheck(false, false, text["Check_NotSealed"], null);
        return Check(use, subject);
    }

    /// <summary>Checks a PDF someone holds against a recorded use: the seal chain and the PDF's digest.</summary>
    public SealCheck VerifyPdf(string useId, byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var check = VerifyUse(useId, null);
        if (!check.Valid || check.Use is null) return check;
        var parts = JsonNode.Parse(store.Get(SealTables.Uses, useId)!.Text("parts") ?? "{}") as JsonObject;
        return parts?["pdf"]?.GetValue<string>() == SmCrypto.Sm3Hex(pdf)
            ? check
            : check with { Valid = false, Reason = text["Check_PdfChanged"] };
    }

    private SealCheck Check(SyncRow use, SealSubject? subject)
    {
        var list = SealRevocationLists.NewestValid(store);
        var listNote = list is null ? text["Check_NoList"].Value
            : time.GetUtcNow() > list.NextUpdateUtc ? text["Check_ListStale", SealRevocationLists.Number(list.Number), ChinaTime.Format(list.NextUpdateUtc)].Value
            : null;
        var checkedSeal = Checked(use, subject, list);
        return checkedSeal with
        {
            Reason = checkedSeal.Valid && listNote is not null
                ? string.Join("；", new[] { checkedSeal.Reason, listNote }.Where(n => !string.IsNullOrEmpty(n)))
                : checkedSeal.Reason,
            ListNumber = list?.Number,
            ListIssuedUtc = list?.IssuedUtc,
            ListNote = listNote,
        };
    }

    private SealCheck Checked(SyncRow use, SealSubject? subject, SealRevocationListDto? list)
    {
        var seal = store.Get(SealTables.Seals, use.Text("seal_id") ?? "");
        var record = ToRecord(use, seal?.Text("name") ?? "");
        SealCheck Fail(string reason) => new(true, false, reason, record);
        if (seal is null || seal.Deleted) return Fail(text["Check_SealUnknown"]);
        var maker = SealRows.Maker(store, seal.Text("maker_key_id"));
        if (seal.Text("status") == SealTables.Requested || string.IsNullOrEmpty(seal.Text("maker_sig"))) return Fail(text["Check_SealNotIssued"]);
        if (maker is null) return Fail(text["Check_MakerUnknown"]);
        if (!SealRows.MakerSignatureValid(seal, maker)) return Fail(text["Check_MakerSignatureInvalid"]);
        if (use.Text("seal_hash") != SmCrypto.Sm3Hex(SealRows.SealInfo(seal))) return Fail(text["Check_SealChanged"]);

        var at = SealRows.ParseUtc(use.Text("at_utc"));
        if (at is null) return Fail(text["Check_BadRecord"]);
        if (SealRows.ParseUtc(seal.Text("issued_utc")) is not { } issued || issued > at) return Fail(text["Check_SealNotIssued"]);
        // The signed list decides; a row that says revoked counts too (it is written by the hub only), the earlier
        // revocation winning, so neither an edited row nor a missing list entry makes a revoked seal valid.
        var revocation = list?.Find(seal.Id);
        if (seal.Text("status") == SealTables.Revoked)
        {
            var rowRevoked = SealRows.ParseUtc(seal.Text("revoked_utc")) ?? DateTimeOffset.MinValue;
            if (revocation is null || rowRevoked < revocation.RevokedUtc)
            {
                revocation = new SealRevocationDto(seal.Id, seal.Text("seal_code") ?? "", rowRevoked, seal.Text("revoked_reason"));
            }
        }
        string? note = null;
        if (revocation is not null)
        {
            if (revocation.RevokedUtc <= at) return Fail(text["Check_RevokedAtSigning", ChinaTime.Format(revocation.RevokedUtc), revocation.Reason ?? ""]);
            note = text["Check_RevokedSince", ChinaTime.Format(revocation.RevokedUtc), revocation.Reason ?? ""];
        }
        if (!WithinValidity(seal, at.Value)) return Fail(text["Check_OutOfValidity", seal.Text("valid_from") ?? "", seal.Text("valid_to") ?? ""]);
        if (use.Text("signer") != seal.Text("signer")) return Fail(text["Check_SignerNotAllowed", use.Text("signer") ?? ""]);
        if (use.Text("unit") != seal.Text("unit")) return Fail(text["Check_UnitMismatch"]);
        if (!SmCrypto.TryFromHex(seal.Text("signer_public_key"), out var publicKey)
            || !SealRows.TryBase64(use.Text("signature"), out var signature)
            || !SmCrypto.VerifyRemembered(publicKey, ToBeSigned(use.Data), signature))
        {
            return Fail(text["Check_BadSignature"]);
        }
        if (subject is not null)
        {
            if (subject.DocumentId != use.Text("document_id")) return Fail(text["Check_OtherDocument"]);
            if (Convert.ToHexStringLower(Digest(subject)) != use.Text("digest")) return Fail(Changed(use, subject));
        }
        return new SealCheck(true, true, note, record);
    }

    /// <summary>Names the part that changed after sealing, from the per-part digests recorded at sealing.</summary>
    private string Changed(SyncRow use, SealSubject subject)
    {
        if (JsonNode.Parse(use.Text("parts") ?? "{}") is not JsonObject parts) return text["Check_ContentChanged"];
        if (parts["content"]?.GetValue<string>() != SmCrypto.Sm3Hex(subject.Content)) return text["Check_ContentChanged"];
        if (parts["pdf"]?.GetValue<string>() != SmCrypto.Sm3Hex(subject.Pdf)) return text["Check_PdfChanged"];
        var sealedAttachments = (parts["attachments"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(a => (Name: a["name"]?.GetValue<string>() ?? "", Sm3: a["sm3"]?.GetValue<string>() ?? "")).ToList();
        for (var i = 0; i < Math.Max(sealedAttachments.Count, subject.Attachments.Count); i++)
        {
            if (i >= subject.Attachments.Count) return text["Check_AttachmentRemoved", sealedAttachments[i].Name];
            if (i >= sealedAttachments.Count) return text["Check_AttachmentAdded", subject.Attachments[i].Name];
            var now = subject.Attachments[i];
            if (now.Name != sealedAttachments[i].Name || SmCrypto.Sm3Hex(now.Data) != sealedAttachments[i].Sm3)
            {
                return text["Check_AttachmentChanged", sealedAttachments[i].Name];
            }
        }
        return text["Check_ContentChanged"];
    }

    /// <summary>
    /// The document digest: SM3 over "EGovEdge-SealSubject/1", the document id, the content, the PDF, the number of
    /// attachments and each attachment's name and bytes, every field length-prefixed (4 bytes, big-endian).
    /// </summary>
    public static byte[] Digest(SealSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var w = new CanonicalWriter().Add("EGovEdge-SealSubject/1").Add(subject.DocumentId).Add(subject.Content).Add(subject.Pdf)
            .Add(subject.Attachments.Count);
        foreach (var a in subject.Attachments) w.Add(a.Name).Add(a.Data);
        return SmCrypto.Sm3(w.ToArray());
    }

    /// <summary>Per-part SM3 digests (to tell which part changed), stored with the use and covered by its signature.</summary>
    private static string Parts(SealSubject subject) => new JsonObject
    {
        ["content"] = SmCrypto.Sm3Hex(subject.Content),
        ["pdf"] = SmCrypto.Sm3Hex(subject.Pdf),
        ["attachments"] = new JsonArray([.. subject.Attachments.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["sm3"] = SmCrypto.Sm3Hex(a.Data) })]),
    }.ToJsonString();

    /// <summary>TBS_Sign in our encoding: what the seal's key signs.</summary>
    private static byte[] ToBeSigned(JsonObject use)
    {
        string? T(string c) => use.TryGetPropertyValue(c, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;
        return new CanonicalWriter().Add("EGovEdge-SealSignature/1").Add(T("document_id")).Add(T("seal_id")).Add(T("seal_hash"))
            .Add(T("unit")).Add(T("signer")).Add(T("node")).Add(T("at_utc")).Add(T("digest")).Add(T("parts")).ToArray();
    }

    private static bool WithinValidity(SyncRow seal, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(ChinaTime.ToChina(at).DateTime);
        return day >= SealRows.ParseDate(seal.Text("valid_from")) && day <= SealRows.ParseDate(seal.Text("valid_to"));
    }

    internal static SealUseRecord ToRecord(SyncRow use, string sealName) => new(
        use.Id, use.Text("document_id") ?? "", use.Text("seal_id") ?? "", sealName, use.Text("signer") ?? "", use.Text("node") ?? "",
        SealRows.ParseUtc(use.Text("at_utc")) ?? DateTimeOffset.MinValue, use.Text("digest") ?? "");

    private static OfficeValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
