using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Seals;
using EGovEdge.Sync;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace EGovEdge.Office.Tests.Seals;

/// <summary>
/// The signed seal revocation list (印章撤销列表) over real SQLite stores, real SM2/SM3 and in-process sync: issued by
/// the hub with each revocation and by its renewal round, used by offline verification only when its signature verifies.
/// </summary>
public sealed class SealRevocationListTests : IDisposable
{
    private const string Gs = "guangshun";
    private readonly SealWorld _w = new();

    public SealRevocationListTests()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _w.AddUser("wang", Gs, "clerk");
    }

    public void Dispose() => _w.Dispose();

    private int ListCount(string node)
    {
        using var conn = _w.Store(node).OpenConnection();
        return (int)conn.ScalarLong($"SELECT COUNT(*) FROM {SealTables.RevocationLists} WHERE deleted = 0");
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private SealRevocationListRenewal Renewal(string node) =>
        new(_w.Registry(node), _w.World.Time, NullLogger<SealRevocationListRenewal>.Instance);

    private byte[] MakerPublicKey() => new SoftwareSealMakerKey(_w.Env(NodeIds.Hub)).PublicKey;

    /// <summary>Writes a list row straight into a node's database, bypassing the store (what someone with file access could do).</summary>
    private void RawInsertList(string node, long number, JsonArray entries, string makerKeyId, string signature, DateTimeOffset issued)
    {
        using var conn = _w.Store(node).OpenConnection();
        conn.Exec($"""
            INSERT INTO {SealTables.RevocationLists} (id, hlc, prev_hlc, origin, deleted, number, issued_utc, next_update_utc, entries, maker_key_id, signature)
            VALUES (@id, '0000000000000001.00000@hub', NULL, 'hub', 0, @n, @i, @u, @e, @k, @s)
            """, null,
            ("@id", Guid.CreateVersion7().ToString()), ("@n", number), ("@i", Utc(issued)), ("@u", Utc(issued.AddDays(7))),
            ("@e", entries.ToJsonString()), ("@k", makerKeyId), ("@s", signature));
    }

    /// <summary>Sets a seal row back to issued in a node's database, as if someone hid its revocation there (with a newer hlc, as the triggers require).</summary>
    private void RawUnrevoke(string node, string sealId)
    {
        using var conn = _w.Store(node).OpenConnection();
        Assert.Equal(1, conn.Exec($"UPDATE {SealTables.Seals} SET status = 'issued', revoked_utc = NULL, revoked_reason = NULL, hlc = @h WHERE id = @id",
            null, ("@id", sealId), ("@h", "9999999999999999.00000@" + node)));
    }

    [Fact]
    public void Revoke_IssuesNextSignedList_SyncedToTownship_VerifiedThereOfflineFromTheList()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var first = _w.Registry(NodeIds.Hub).RevocationList();
        Assert.NotNull(first);
        Assert.Empty(first.Entries); // issued with the maker key
        var subject = SealWorld.Subject("doc-crl-1");
        _w.Apply(Gs, seal.Id, subject, "wang");
        _w.World.Sync(Gs);
        _w.World.Time.Advance(TimeSpan.FromHours(1));

        _w.Registry(NodeIds.Hub).Revoke(seal.Id, "印章遗失", "countyadmin");

        var list = _w.Registry(NodeIds.Hub).RevocationList()!;
        Assert.Equal(first.Number + 1, list.Number);
        var entry = Assert.Single(list.Entries);
        Assert.Equal((seal.Id, seal.SealCode, "印章遗失"), (entry.SealId, entry.SealCode, entry.Reason));
        Assert.Equal(_w.World.Time.GetUtcNow(), entry.RevokedUtc);
        Assert.Equal(list.IssuedUtc.AddDays(7), list.NextUpdateUtc);
        Assert.True(SmCrypto.Verify(MakerPublicKey(), list.SignedData(), Convert.FromBase64String(list.Signature)));

        _w.World.Sync(Gs);
        Assert.Equal(2, ListCount(Gs));
        // From here on the township is offline; even with its seal row edited back to "issued", the signed list names the revocation.
        RawUnrevoke(Gs, seal.Id);
        var check = _w.Seals(Gs).Verify(subject);

        Assert.True(check.Valid, check.Reason);
        Assert.Contains("注销（印章遗失），用印时有效", check.Reason, StringComparison.Ordinal);
        Assert.Equal(list.Number, check.ListNumber);
        Assert.Equal(list.IssuedUtc, check.ListIssuedUtc);
        Assert.Null(check.ListNote);
    }

    [Fact]
    public void ForgedLists_EditedOrSignedWithAnotherKey_Ignored()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-crl-2");
        _w.World.Time.Advance(TimeSpan.FromHours(1));
        _w.Registry(NodeIds.Hub).Revoke(seal.Id, "印章被盗", "countyadmin");
        _w.World.Sync(Gs);
        var genuine = _w.Registry(Gs).RevocationList()!;
        Assert.Single(genuine.Entries);

        // 1. The genuine list's signature on a copy with the entry removed and a higher number.
        RawInsertList(Gs, genuine.Number + 1, [], genuine.MakerKeyId, genuine.Signature, genuine.IssuedUtc);
        // 2. An empty list properly signed, but with a key that is not the seal maker's.
        var (otherKey, _) = SmCrypto.GenerateKeyPair();
        var other = new SealRevocationListDto(genuine.Number + 2, _w.World.Time.GetUtcNow(), _w.World.Time.GetUtcNow().AddDays(7), [], genuine.MakerKeyId, "");
        RawInsertList(Gs, other.Number, [], other.MakerKeyId, Convert.ToBase64String(SmCrypto.Sign(otherKey, other.SignedData())), other.IssuedUtc);
        // 3. No signature at all.
        RawInsertList(Gs, genuine.Number + 3, [], genuine.MakerKeyId, "", genuine.IssuedUtc);
        RawUnrevoke(Gs, seal.Id);
        Assert.Equal(genuine.Number + 3, ListCountMaxNumber(Gs));

        Assert.Equal(genuine.Number, _w.Registry(Gs).RevocationList()!.Number);
        Assert.Empty(_w.Seals(Gs).UsableBy("wang"));
        var refused = Assert.Throws<OfficeValidationException>(() => _w.Apply(Gs, seal.Id, subject, "wang"));
        Assert.Contains("已列入印章撤销列表", refused.Message, StringComparison.Ordinal);
        Assert.Contains("印章被盗", refused.Message, StringComparison.Ordinal);
    }

    private long ListCountMaxNumber(string node)
    {
        using var conn = _w.Store(node).OpenConnection();
        return conn.ScalarLong($"SELECT MAX(number) FROM {SealTables.RevocationLists}");
    }

    [Fact]
    public void StaleList_WarningNote_DocumentStaysValid_UntilTheHubReissues()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-crl-3");
        _w.Apply(Gs, seal.Id, subject, "wang");
        var list = _w.Registry(Gs).RevocationList()!;
        Assert.Null(_w.Seals(Gs).Verify(subject).ListNote);

        _w.World.Time.Advance(TimeSpan.FromDays(8)); // the hub was not reachable for over a week

        var check = _w.Seals(Gs).Verify(subject);
        Assert.True(check.Valid);
        var expected = $"撤销列表已过期：最新列表为第{list.Number}号，应于{ChinaTime.Format(list.NextUpdateUtc)}前更新；请在联网后同步";
        Assert.Equal(expected, check.ListNote);
        Assert.Equal(expected, check.Reason);
        Assert.Equal(list.Number, check.ListNumber);
        Assert.True(_w.Registry(Gs).IsStale(list));

        using (var renewal = Renewal(NodeIds.Hub)) Assert.Equal(1, renewal.RunOnce());
        _w.World.Sync(Gs);
        var fresh = _w.Seals(Gs).Verify(subject);
        Assert.True(fresh.Valid);
        Assert.Null(fresh.Reason);
        Assert.Null(fresh.ListNote);
        Assert.Equal(list.Number + 1, fresh.ListNumber);
    }

    [Fact]
    public void RevokedBeforeUse_Invalid_RevokedAfterUse_ValidWithNote()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var early = SealWorld.Subject("doc-crl-4");
        _w.Apply(Gs, seal.Id, early, "wang");
        _w.World.Sync(Gs);
        _w.World.Time.Advance(TimeSpan.FromHours(1));
        _w.Registry(NodeIds.Hub).Revoke(seal.Id, "密钥泄露", "countyadmin");
        _w.World.Time.Advance(TimeSpan.FromHours(1));
        // The township has not synced since: it does not know yet and seals another document.
        var late = SealWorld.Subject("doc-crl-5");
        _w.Apply(Gs, seal.Id, late, "wang");
        _w.World.Sync(Gs);

        var before = _w.Seals(Gs).Verify(early);
        Assert.True(before.Valid, before.Reason);
        Assert.StartsWith("该印章已于", before.Reason, StringComparison.Ordinal);
        Assert.Contains("注销（密钥泄露），用印时有效", before.Reason, StringComparison.Ordinal);
        var after = _w.Seals(Gs).Verify(late);
        Assert.False(after.Valid);
        Assert.StartsWith("用印时该印章已注销", after.Reason, StringComparison.Ordinal);
        Assert.Contains("密钥泄露", after.Reason, StringComparison.Ordinal);
        Assert.Equal(2, after.ListNumber);
        Assert.False(_w.Seals(NodeIds.Hub).Verify(late).Valid);
    }

    [Fact]
    public void RowRevokedButNotInAValidList_StillRevoked()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-crl-6");
        _w.Apply(Gs, seal.Id, subject, "wang");
        _w.World.Sync(Gs);
        // The hub's row says revoked since before the use; no list names it (the row is hub-written, so it counts).
        _w.Store(NodeIds.Hub).Update(SealTables.Seals, seal.Id, new JsonObject
        {
            ["status"] = SealTables.Revoked, ["revoked_utc"] = "2026-01-01T00:00:00.0000000Z", ["revoked_reason"] = "撤销",
        });
        _w.World.Sync(Gs);

        var check = _w.Seals(Gs).Verify(subject);

        Assert.Empty(_w.Registry(Gs).RevocationList()!.Entries);
        Assert.False(check.Valid);
        Assert.StartsWith("用印时该印章已注销", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TownshipCannotPushAList_HubRuleRefuses()
    {
        var row = new SyncRow
        {
            Table = SealTables.RevocationLists, Id = Guid.CreateVersion7().ToString(), Hlc = "0000000000000001.00000@" + Gs, Origin = Gs,
            Data = new JsonObject { ["number"] = 99, ["issued_utc"] = "x", ["next_update_utc"] = "x", ["entries"] = "[]", ["maker_key_id"] = "k", ["signature"] = "AA==" },
        };
        Assert.Equal("only the county seal maker at the hub issues the seal revocation list",
            new SealsModule().CheckWrite(Gs, SealTables.RevocationListsDefinition, null, row));

        _w.IssuedSeal(Gs, "wang");
        var atHub = ListCount(NodeIds.Hub);
        var hubNumber = _w.Registry(NodeIds.Hub).RevocationList()!.Number;
        _w.Store(Gs).Insert(SealTables.RevocationLists, new JsonObject
        {
            ["number"] = 1000, ["issued_utc"] = Utc(_w.World.Time.GetUtcNow()), ["next_update_utc"] = Utc(_w.World.Time.GetUtcNow().AddDays(7)),
            ["entries"] = "[]", ["maker_key_id"] = "k", ["signature"] = "AA==",
        });

        _w.World.Sync(Gs);

        Assert.Equal(atHub, ListCount(NodeIds.Hub));
        Assert.Equal(hubNumber, _w.Registry(NodeIds.Hub).RevocationList()!.Number);
        Assert.Equal(hubNumber, _w.Registry(Gs).RevocationList()!.Number);
    }

    [Fact]
    public void HubRound_ReissuesBeforeExpiry_SameEntries_Idempotent_NeverStale()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        _w.Registry(NodeIds.Hub).Revoke(seal.Id, "机构撤并", "countyadmin");
        using var renewal = Renewal(NodeIds.Hub);
        var first = _w.Registry(NodeIds.Hub).RevocationList()!;
        var lists = ListCount(NodeIds.Hub);

        Assert.Equal(0, renewal.RunOnce());
        _w.World.Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, renewal.RunOnce());
        Assert.Equal(lists, ListCount(NodeIds.Hub));

        _w.World.Time.Advance(TimeSpan.FromDays(1)); // past half of the 7 days
        Assert.Equal(1, renewal.RunOnce());
        Assert.Equal(0, renewal.RunOnce()); // a second round right after writes nothing
        var next = _w.Registry(NodeIds.Hub).RevocationList()!;
        Assert.Equal(first.Number + 1, next.Number);
        Assert.Equal(first.Entries, next.Entries);
        Assert.Equal(_w.World.Time.GetUtcNow().AddDays(7), next.NextUpdateUtc);
        Assert.Equal(lists + 1, ListCount(NodeIds.Hub));

        // Hourly rounds over 30 days: the hub's newest list is never past its next update.
        for (var hour = 0; hour < 30 * 24; hour += 6)
        {
            _w.World.Time.Advance(TimeSpan.FromHours(6));
            renewal.RunOnce();
            var newest = _w.Registry(NodeIds.Hub).RevocationList()!;
            Assert.False(_w.Registry(NodeIds.Hub).IsStale(newest));
            Assert.Single(newest.Entries);
        }
        using var atTownship = Renewal(Gs);
        Assert.Equal(0, atTownship.RunOnce());
    }

    [Fact]
    public void RevocationListDays_Configured_SetsNextUpdate()
    {
        var hub = _w.Registry(NodeIds.Hub, new SealOptions { RevocationListDays = 2 });
        hub.PublishMakerKey();
        var list = hub.RevocationList()!;
        Assert.Equal(list.IssuedUtc.AddDays(2), list.NextUpdateUtc);
        hub.PublishMakerKey();
        Assert.Equal(1, ListCount(NodeIds.Hub)); // publishing again issues nothing

        _w.World.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, hub.RenewRevocationList());
        Assert.Equal(0, hub.RenewRevocationList());
        Assert.Equal(2, hub.RevocationList()!.Number);
    }

    [Fact]
    public void Apply_SealOnTheList_Refused_NothingWritten()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        _w.Registry(NodeIds.Hub).Revoke(seal.Id, "印章遗失", "countyadmin");
        _w.World.Sync(Gs);
        RawUnrevoke(Gs, seal.Id);

        var ex = Assert.Throws<OfficeValidationException>(() => _w.Apply(Gs, seal.Id, SealWorld.Subject("doc-crl-7"), "wang"));

        Assert.Equal("sealId", Assert.Single(ex.Errors.Keys));
        Assert.StartsWith("该印章已列入印章撤销列表", ex.Errors["sealId"][0], StringComparison.Ordinal);
        Assert.Empty(_w.Registry(Gs).Uses());
        Assert.Empty(_w.Seals(Gs).UsableBy("wang"));
    }
}
