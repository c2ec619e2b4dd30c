using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Townships;
using EGovEdge.Sync;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Seals;

/// <summary>
/// The seal registry at this node: a seal administrator requests a seal for the node's unit (the key pair is made
/// here and the private key stays here), the county seal maker at the hub issues or revokes it, and the signed record
/// syncs to every node. Every revocation also issues the next signed revocation list in the same transaction.
/// </summary>
public sealed class SealRegistry(
    ILocalStore store, ISealKeyStore keys, ISealMakerKey maker, TimeProvider time,
    TownshipDirectory townships, IStringLocalizer<SealText> text, IOptions<SealOptions>? options = null)
{
    private TimeSpan ListValidity => (options?.Value ?? new SealOptions()).RevocationListValidity;

    public const int MaxNameLength = 40;
    public const int MaxReasonLength = 500;

    public string NodeId => store.NodeId;

    public bool IsHub => store.NodeId == NodeIds.Hub;

    public IReadOnlyList<SealDto> List() =>
        SealRows.Query(store, SealTables.SealsDefinition, "1 = 1", "unit, requested_utc DESC, id")
            .Select(s => SealRows.ToDto(s, keys.Has(s.Id), withImage: true)).ToList();

    public SealDto? Get(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        var row = store.Get(SealTables.Seals, id);
        return row is null || row.Deleted ? null : SealRows.ToDto(row, keys.Has(row.Id), withImage: true);
    }

    /// <summary>The unit name this node's seals carry by default (the township's name; empty at the hub).</summary>
    public string DefaultUnitName() => IsHub ? "" : townships.NameOf(store.NodeId);

    /// <summary>Requests a seal for this node's unit; at the hub, <see cref="SealRequest.Issue"/> issues it at once.</summary>
    public SealDto Request(SealRequest input, string requestedBy)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = [text["Val_NameRequired"]];
        else if (name.Length > MaxNameLength) errors["name"] = [text["Val_NameTooLong", MaxNameLength]];
        var unitName = string.IsNullOrWhiteSpace(input.UnitName) ? DefaultUnitName() : input.UnitName.Trim();
        if (string.IsNullOrEmpty(unitName)) errors["unitName"] = [text["Val_UnitNameRequired"]];
        else if (unitName.Length > MaxNameLength) errors["unitName"] = [text["Val_NameTooLong", MaxNameLength]];
        var signer = input.Signer?.Trim();
        if (string.IsNullOrEmpty(signer)) errors["signer"] = [text["Val_SignerRequired"]];
        else if (!UserExists(signer)) errors["signer"] = [text["Val_SignerUnknown", signer]];
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(time.GetUtcNow()).DateTime);
        var from = input.ValidFrom ?? today;
        var to = input.ValidTo ?? from.AddYears(5).AddDays(-1);
        if (to < from) errors["validTo"] = [text["Val_ValidityOrder"]];
        if (input.Issue && !IsHub) errors["issue"] = [text["Val_IssueAtHubOnly"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);

        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("D");
        var code = $"ES-{store.NodeId.ToUpperInvariant()}-{from.Year}-{id[^8..].ToUpperInvariant()}";
        var publicKey = keys.Create(id);
        store.Put(SealTables.Seals, id, new JsonObject
        {
            ["unit"] = store.NodeId,
            ["unit_name"] = unitName,
            ["seal_code"] = code,
            ["name"] = name,
            ["image_svg"] = SealImage.Svg(unitName!, name!, code),
            ["valid_from"] = SealRows.Date(from),
            ["valid_to"] = SealRows.Date(to),
            ["signer"] = signer,
            ["signer_public_key"] = Convert.ToHexStringLower(publicKey),
            ["status"] = SealTables.Requested,
            ["requested_by"] = requestedBy,
            ["requested_utc"] = SealRows.Utc(time.GetUtcNow()),
        });
        return input.Issue ? Issue(id, requestedBy) : Get(id)!;
    }

    /// <summary>The county seal maker signs the seal record (hub only).</summary>
    public SealDto Issue(string id, string issuedBy)
    {
        if (!IsHub) throw new OfficeForbiddenException(text["Val_IssueAtHubOnly"]);
        PublishMakerKey();
        store.Transact(write =>
        {
            var row = Live(write, id);
            if (row.Text("status") != SealTables.Requested) throw Invalid("status", text["Val_NotRequested"]);
            row.Data["issued_by"] = issuedBy;
            row.Data["issued_utc"] = SealRows.Utc(time.GetUtcNow());
            row.Data["maker_key_id"] = maker.KeyId;
            var signature = maker.Sign(SealRows.SealInfo(row));
            return write.Update(SealTables.Seals, id, new JsonObject
            {
                ["status"] = SealTables.Issued,
                ["issued_by"] = issuedBy,
                ["issued_utc"] = row.Text("issued_utc"),
                ["maker_key_id"] = maker.KeyId,
                ["maker_sig"] = Convert.ToBase64String(signature),
            });
        });
        return Get(id)!;
    }

    /// <summary>
    /// Revokes an issued (or withdraws a requested) seal (hub only) and issues the next signed revocation list in the
    /// same transaction; documents sealed before stay valid.
    /// </summary>
    public SealDto Revoke(string id, string? reason, string revokedBy)
    {
        if (!IsHub) throw new OfficeForbiddenException(text["Val_RevokeAtHubOnly"]);
        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why)) throw Invalid("reason", text["Val_ReasonRequired"]);
        if (why.Length > MaxReasonLength) throw Invalid("reason", text["Val_ReasonTooLong", MaxReasonLength]);
        store.Transact(write =>
        {
            var row = Live(write, id);
            if (row.Text("status") == SealTables.Revoked) throw Invalid("status", text["Val_AlreadyRevoked"]);
            write.Update(SealTables.Seals, id, new JsonObject
            {
                ["status"] = SealTables.Revoked,
                ["revoked_reason"] = why,
                ["revoked_utc"] = SealRows.Utc(time.GetUtcNow()),
                ["revoked_by"] = revokedBy,
            });
            return SealRevocationLists.Issue(write, maker, time.GetUtcNow(), ListValidity, SealRevocationLists.Expected(write));
        });
        return Get(id)!;
    }

    /// <summary>
    /// Publishes the maker's public key and issues the first revocation list (hub only; a no-op when both are there).
    /// </summary>
    public void PublishMakerKey()
    {
        if (!IsHub) return;
        var id = SealMakerKeyIds.RowId(maker.KeyId);
        var existing = store.Get(SealTables.Makers, id);
        if (existing is not { Deleted: false })
        {
            store.Put(SealTables.Makers, id, new JsonObject
            {
                ["key_id"] = maker.KeyId,
                ["public_key"] = Convert.ToHexStringLower(maker.PublicKey),
                ["created_utc"] = SealRows.Utc(time.GetUtcNow()),
            });
        }
        store.Transact(write => SealRevocationLists.NewestValid(write.Connection, write.Transaction) is null
            ? SealRevocationLists.Issue(write, maker, time.GetUtcNow(), ListValidity, SealRevocationLists.Expected(write))
            : null);
    }

    /// <summary>
    /// The hub's round (<see cref="SealRevocationListRenewal"/>): issues the next list, same entries, once the newest
    /// is past half its validity, and at once when there is none or it differs from the registry's revocations.
    /// Returns how many lists it wrote (0 at a township, and on a second round right after).
    /// </summary>
    public int RenewRevocationList()
    {
        if (!IsHub) return 0;
        if (SealRows.Maker(store, maker.KeyId) is null) return 0; // PublishMakerKey issues the first list
        return store.Transact(write =>
        {
            var now = time.GetUtcNow();
            var newest = SealRevocationLists.NewestValid(write.Connection, write.Transaction);
            var expected = SealRevocationLists.Expected(write);
            var due = newest is null
                      || newest.MakerKeyId != maker.KeyId
                      || !SealRevocationLists.Same(newest.Entries, expected)
                      || now >= newest.NextUpdateUtc - (newest.NextUpdateUtc - newest.IssuedUtc) / 2;
            if (!due) return 0;
            SealRevocationLists.Issue(write, maker, now, ListValidity, expected);
            return 1;
        });
    }

    /// <summary>The newest revocation list that verifies at this node (null when none does).</summary>
    public SealRevocationListDto? RevocationList() => SealRevocationLists.NewestValid(store);

    /// <summary>Whether <paramref name="list"/> is past its next update (verifiers then warn that their knowledge is old).</summary>
    public bool IsStale(SealRevocationListDto list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return time.GetUtcNow() > list.NextUpdateUtc;
    }

    /// <summary>用印登记, newest first, optionally for one document or seal.</summary>
    public IReadOnlyList<SealUseRecord> Uses(string? documentId = null, string? sealId = null, int limit = 200)
    {
        var where = "1 = 1";
        var args = new List<(string, object?)>();
        if (!string.IsNullOrEmpty(documentId)) { where += " AND document_id = @d"; args.Add(("@d", documentId)); }
        if (!string.IsNullOrEmpty(sealId)) { where += " AND seal_id = @s"; args.Add(("@s", sealId)); }
        var rows = SealRows.Query(store, SealTables.UsesDefinition, where, $"at_utc DESC, id DESC LIMIT {Math.Clamp(limit, 1, 1000)}", [.. args]);
        var names = SealRows.Query(store, SealTables.SealsDefinition, "1 = 1", "id").ToDictionary(s => s.Id, s => s.Text("name") ?? "");
        return rows.Select(r => SealService.ToRecord(r, names.GetValueOrDefault(r.Text("seal_id") ?? "", ""))).ToList();
    }

    /// <summary>Maker keys, issued seals, revocations and the newest valid signed list: what an offline verifier caches.</summary>
    public SealRegistryDto Registry()
    {
        var makers = SealRows.Query(store, SealTables.MakersDefinition, "1 = 1", "id")
            .Select(m => new SealMakerDto(m.Id, m.Text("key_id") ?? "", m.Text("public_key") ?? "", SealRows.ParseUtc(m.Text("created_utc")) ?? default))
            .ToList();
        var seals = SealRows.Query(store, SealTables.SealsDefinition, "status <> @r", "id", ("@r", SealTables.Requested))
            .Select(s => SealRows.ToDto(s, false, withImage: true)).ToList();
        var revocations = seals.Where(s => s.Status == SealTables.Revoked)
            .Select(s => new SealRevocationDto(s.Id, s.SealCode, s.RevokedUtc ?? default, s.RevokedReason)).ToList();
        return new SealRegistryDto(makers, seals, revocations, time.GetUtcNow(), RevocationList());
    }

    private bool UserExists(string username)
    {
        using var conn = store.OpenConnection();
        return conn.ScalarLong($"SELECT COUNT(*) FROM {UsersTable.Name} WHERE deleted = 0 AND username = @u AND COALESCE(disabled, 0) = 0",
            null, ("@u", username)) > 0;
    }

    private Sync.Schema.SyncRow Live(ILocalWrite write, string id)
    {
        var row = Guid.TryParse(id, out _) ? write.Get(SealTables.Seals, id) : null;
        if (row is null || row.Deleted) throw Invalid("id", text["Val_SealUnknown"]);
        return row;
    }

    private static OfficeValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
