using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Seals;
using EGovEdge.Sync;

namespace EGovEdge.Office.Tests.Seals;

/// <summary>Seal issue, use and verification over real SQLite stores and real SM2/SM3, synced in-process.</summary>
public sealed class SealServiceTests : IDisposable
{
    private const string Gs = "guangshun";
    private readonly SealWorld _w = new();

    public SealServiceTests()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        _w.AddUser("wang", Gs, "clerk");
        _w.AddUser("li", Gs, "clerk");
    }

    public void Dispose() => _w.Dispose();

    [Fact]
    public void RequestAtTownship_IssueAtHub_SyncsBackSignedAndUsableOffline()
    {
        var requested = _w.Registry(Gs).Request(new SealRequest { Name = "公章", UnitName = "广顺镇人民政府", Signer = "wang" }, "sealadmin");
        Assert.Equal(SealTables.Requested, requested.Status);
        Assert.True(requested.KeyHere);
        var keyFile = Path.Combine(_w.Env(Gs).DataDir, "keys", "seals", requested.Id + ".key");
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Empty(_w.Seals(Gs).UsableBy("wang"));

        _w.World.Sync(Gs);
        var hub = _w.Registry(NodeIds.Hub);
        Assert.False(Assert.Single(hub.List()).KeyHere); // the private key stays at the township
        hub.PublishMakerKey();
        hub.Issue(requested.Id, "countyadmin");
        var makerFile = Path.Combine(_w.Env(NodeIds.Hub).DataDir, "keys", "seal-maker.key");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(makerFile));
        _w.World.Sync(Gs);

        var issued = _w.Registry(Gs).Get(requested.Id)!;
        Assert.Equal(SealTables.Issued, issued.Status);
        Assert.Equal("countyadmin", issued.IssuedBy);
        Assert.NotNull(issued.MakerSignature);
        var usable = Assert.Single(_w.Seals(Gs).UsableBy("wang"));
        Assert.Equal(requested.Id, usable.SealId);
        Assert.Empty(_w.Seals(Gs).UsableBy("li"));
        Assert.Single(_w.Registry(Gs).Registry().Makers);
    }

    [Fact]
    public void ApplyAndVerify_ValidAtTownshipHubAndAnotherTownship()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-1");

        var use = _w.Apply(Gs, seal.Id, subject, "wang");

        Assert.Equal(64, use.DigestHex.Length);
        Assert.Equal(Convert.ToHexStringLower(SealService.Digest(subject)), use.DigestHex);
        var here = _w.Seals(Gs).Verify(subject);
        Assert.True(here.Valid, here.Reason);
        Assert.Equal(("wang", Gs, "广顺镇人民政府公章"), (here.Use!.Signer, here.Use.Node, here.Use.SealName));
        _w.World.Sync(Gs);
        _w.World.Sync("malu");
        Assert.True(_w.Seals(NodeIds.Hub).Verify(subject).Valid);
        var elsewhere = _w.Seals("malu").Verify(subject);
        Assert.True(elsewhere.Valid, elsewhere.Reason);
        Assert.Single(_w.Registry("malu").Uses(documentId: "doc-1"));
    }

    [Fact]
    public void Verify_NoSealUse_NotSealed()
    {
        var check = _w.Seals(Gs).Verify(SealWorld.Subject("doc-none"));
        Assert.False(check.Sealed);
        Assert.False(check.Valid);
        Assert.Equal("该公文未加盖电子印章", check.Reason);
    }

    [Theory]
    [InlineData("content", "盖章后公文内容被改动")]
    [InlineData("pdf", "盖章后版式文件（PDF）被改动")]
    [InlineData("attachment", "盖章后附件“附件1.pdf”被改动")]
    [InlineData("renamed", "盖章后附件“附件1.pdf”被改动")]
    [InlineData("removed", "盖章后附件“附件1.pdf”被删除")]
    [InlineData("added", "盖章后增加了附件“附件2.pdf”")]
    public void Verify_AnyChangeAfterSealing_BrokenWithThePart(string change, string reason)
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-2");
        _w.Apply(Gs, seal.Id, subject, "wang");

        var changed = change switch
        {
            "content" => subject with { Content = Encoding.UTF8.GetBytes("关于做好冬春森林防火工作的通知|正文。") },
            "pdf" => subject with { Pdf = [.. subject.Pdf, (byte)' '] },
            "attachment" => subject with { Attachments = [new SealedAttachment("附件1.pdf", Encoding.UTF8.GetBytes("attachment 0ne"))] },
            "renamed" => subject with { Attachments = [new SealedAttachment("附件一.pdf", subject.Attachments[0].Data)] },
            "removed" => subject with { Attachments = [] },
            _ => subject with { Attachments = [.. subject.Attachments, new SealedAttachment("附件2.pdf", [1, 2, 3])] },
        };
        var check = _w.Seals(Gs).Verify(changed);

        Assert.True(check.Sealed);
        Assert.False(check.Valid);
        Assert.Equal(reason, check.Reason);
        Assert.True(_w.Seals(Gs).Verify(subject).Valid);
    }

    [Fact]
    public void Verify_SealUseRecordTampered_SignatureBroken()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-3");
        var use = _w.Apply(Gs, seal.Id, subject, "wang");
        var forged = SealWorld.Subject("doc-3", content: "被篡改的正文");
        // Someone with database access rewrites the recorded digest to match the changed document.
        _w.Store(Gs).Update(SealTables.Uses, use.Id, new JsonObject
        {
            ["digest"] = Convert.ToHexStringLower(SealService.Digest(forged)),
        });

        var check = _w.Seals(Gs).Verify(forged);

        Assert.False(check.Valid);
        Assert.Equal("电子签章签名值无效", check.Reason);
    }

    [Fact]
    public void Verify_SealRecordAlteredLocally_MakerSignatureInvalid()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-4");
        _w.Apply(Gs, seal.Id, subject, "wang");
        _w.Store(Gs).Update(SealTables.Seals, seal.Id, new JsonObject { ["valid_to"] = "2099-12-31" });

        var check = _w.Seals(Gs).Verify(subject);

        Assert.False(check.Valid);
        Assert.Equal("印章数据的制章者签名无效（印章被伪造或篡改）", check.Reason);
    }

    [Fact]
    public void Revocation_AfterSealingStillValidWithNote_BeforeSealingBroken_AndBlocksNewUse()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-5");
        _w.Apply(Gs, seal.Id, subject, "wang");
        _w.World.Sync(Gs);
        _w.World.Time.Advance(TimeSpan.FromHours(1));
        _w.Registry(NodeIds.Hub).Revoke(seal.Id, "印章遗失", "countyadmin");
        _w.World.Sync(Gs);

        var after = _w.Seals(Gs).Verify(subject);
        Assert.True(after.Valid);
        Assert.Contains("注销（印章遗失），用印时有效", after.Reason, StringComparison.Ordinal);
        var blocked = Assert.Throws<OfficeValidationException>(() => _w.Apply(Gs, seal.Id, SealWorld.Subject("doc-6"), "wang"));
        Assert.Contains("该印章尚未制发或已注销", blocked.Message, StringComparison.Ordinal);
        Assert.Empty(_w.Seals(Gs).UsableBy("wang"));

        // A revocation dated before the use (e.g. a key reported stolen at that time) breaks it.
        _w.Store(NodeIds.Hub).Update(SealTables.Seals, seal.Id, new JsonObject { ["revoked_utc"] = "2026-01-01T00:00:00.0000000Z" });
        _w.World.Sync(Gs);
        var before = _w.Seals(Gs).Verify(subject);
        Assert.False(before.Valid);
        Assert.StartsWith("用印时该印章已注销", before.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NotTheAllowedSigner_ForbiddenAndNothingWritten()
    {
        var seal = _w.IssuedSeal(Gs, "wang");

        var ex = Assert.Throws<OfficeForbiddenException>(() => _w.Apply(Gs, seal.Id, SealWorld.Subject("doc-7"), "li"));

        Assert.Equal("“li”不是该印章的授权用印人", ex.Message);
        Assert.Empty(_w.Registry(Gs).Uses());
    }

    [Fact]
    public void Apply_AtAnotherNode_ForbiddenThere()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        _w.World.Sync("malu");

        Assert.Throws<OfficeForbiddenException>(() => _w.Apply("malu", seal.Id, SealWorld.Subject("doc-8"), "wang"));
    }

    [Fact]
    public void Apply_OutsideValidity_Refused()
    {
        var seal = _w.IssuedSeal(Gs, "wang", from: new DateOnly(2025, 1, 1), to: new DateOnly(2026, 6, 30));

        var ex = Assert.Throws<OfficeValidationException>(() => _w.Apply(Gs, seal.Id, SealWorld.Subject("doc-9"), "wang"));

        Assert.Contains("有效期", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_CallerTransactionFails_NoSealUseRecorded()
    {
        var seal = _w.IssuedSeal(Gs, "wang");

        Assert.Throws<InvalidOperationException>(() => _w.Store(Gs).Transact<int>(w =>
        {
            _w.Seals(Gs).Apply(w, seal.Id, SealWorld.Subject("doc-10"), "wang");
            throw new InvalidOperationException("workflow step failed");
        }));

        Assert.Empty(_w.Registry(Gs).Uses());
        Assert.False(_w.Seals(Gs).Verify(SealWorld.Subject("doc-10")).Sealed);
    }

    [Fact]
    public void Digest_LengthPrefixed_PartBoundariesMatter()
    {
        var a = new SealSubject("d", "ab"u8.ToArray(), "c"u8.ToArray(), []);
        var b = new SealSubject("d", "a"u8.ToArray(), "bc"u8.ToArray(), []);
        var c = new SealSubject("d", "a"u8.ToArray(), "b"u8.ToArray(), [new SealedAttachment("x", "y"u8.ToArray())]);
        var d = new SealSubject("d", "a"u8.ToArray(), "b"u8.ToArray(), [new SealedAttachment("xy", [])]);

        Assert.NotEqual(SealService.Digest(a), SealService.Digest(b));
        Assert.NotEqual(SealService.Digest(c), SealService.Digest(d));
        Assert.Equal(SealService.Digest(a), SealService.Digest(a with { }));
        Assert.Equal(32, SealService.Digest(a).Length);
    }

    [Fact]
    public void VerifyPdf_SamePdfMatches_OtherPdfBroken()
    {
        var seal = _w.IssuedSeal(Gs, "wang");
        var subject = SealWorld.Subject("doc-11");
        var use = _w.Apply(Gs, seal.Id, subject, "wang");

        Assert.True(_w.Seals(Gs).VerifyPdf(use.Id, subject.Pdf).Valid);
        Assert.Equal("盖章后版式文件（PDF）被改动", _w.Seals(Gs).VerifyPdf(use.Id, [.. subject.Pdf, 0]).Reason);
    }

    [Fact]
    public void HubRequestAndIssueInOneStep_ForItsOwnUnit()
    {
        _w.AddUser("zhang", NodeIds.Hub, "clerk");
        var seal = _w.Registry(NodeIds.Hub).Request(
            new SealRequest { Name = "县政府办公室公章", UnitName = "长顺县人民政府办公室", Signer = "zhang", Issue = true }, "countyadmin");

        Assert.Equal(SealTables.Issued, seal.Status);
        var subject = SealWorld.Subject("doc-hub");
        _w.Apply(NodeIds.Hub, seal.Id, subject, "zhang");
        _w.World.Sync(Gs);
        Assert.True(_w.Seals(Gs).Verify(subject).Valid);
    }

    [Fact]
    public void Request_Invalid_FieldErrorsAndNoRow()
    {
        var ex = Assert.Throws<OfficeValidationException>(() => _w.Registry(Gs).Request(
            new SealRequest { Name = "", Signer = "nobody", ValidFrom = new DateOnly(2027, 1, 1), ValidTo = new DateOnly(2026, 1, 1) }, "x"));

        Assert.Equal(["name", "signer", "validTo"], ex.Errors.Keys.Order(StringComparer.Ordinal).Where(k => k != "unitName").ToArray());
        Assert.Empty(_w.Registry(Gs).List());
        Assert.Throws<OfficeForbiddenException>(() => _w.Registry(Gs).Issue(Guid.NewGuid().ToString(), "x"));
    }

    [Fact]
    public void SealImage_DeterministicSvgWithCircleStarAndUnitName()
    {
        var a = SealImage.Svg("广顺镇人民政府", "公章", "ES-GUANGSHUN-2026-ABCD1234");
        var b = SealImage.Svg("广顺镇人民政府", "公章", "ES-GUANGSHUN-2026-ABCD1234");

        Assert.Equal(a, b);
        var svg = System.Xml.Linq.XDocument.Parse(a).Root!;
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(SealImage.Red, svg.Element(ns + "circle")!.Attribute("stroke")!.Value);
        Assert.Equal(10, svg.Descendants(ns + "polygon").Single().Attribute("points")!.Value.Split(' ').Length);
        var arc = svg.Descendants(ns + "text").Where(t => t.Attribute("transform") is not null).Select(t => t.Value);
        Assert.Equal("广顺镇人民政府", string.Concat(arc));
        Assert.StartsWith("data:image/svg+xml;base64,", SealImage.DataUri(a), StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRemembered_RemembersOnlySuccesses_AndNeverAcceptsOtherBytes()
    {
        var (priv, pub) = SmCrypto.GenerateKeyPair();
        var (_, otherPub) = SmCrypto.GenerateKeyPair();
        var data = Encoding.UTF8.GetBytes("长顺县广顺镇人民政府公章 " + Guid.NewGuid());
        var signature = SmCrypto.Sign(priv, data);
        var forged = (byte[])signature.Clone();
        forged[^1] ^= 0x01;

        // A failure is not remembered: the same wrong triple fails again, and the right one still verifies.
        Assert.False(SmCrypto.VerifyRemembered(pub, data, forged));
        Assert.False(SmCrypto.VerifyRemembered(pub, data, forged));
        Assert.True(SmCrypto.VerifyRemembered(pub, data, signature));
        Assert.True(SmCrypto.VerifyRemembered(pub, data, signature));

        // A remembered success says nothing about other data, another key or another signature.
        Assert.False(SmCrypto.VerifyRemembered(pub, [.. data, (byte)'!'], signature));
        Assert.False(SmCrypto.VerifyRemembered(otherPub, data, signature));
        Assert.False(SmCrypto.VerifyRemembered(pub, data, forged));
        Assert.Equal(SmCrypto.Verify(pub, data, signature), SmCrypto.VerifyRemembered(pub, data, signature));
    }
}
