using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EGovEdge.Office.Archives;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Tests.Printing;
using EGovEdge.Office.Tests.Workflow;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Archives;

/// <summary>Filing at the owning node on real SQLite stores: 档号, retention, refusals, the package and its checks.</summary>
public sealed class ArchiveServiceTests : IDisposable
{
    private readonly ArchiveWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void File_DispatchedNotice_GetsTheArchivalCodeOfItsFondsYearAndScheduleRetention()
    {
        var doc = _w.Dispatched();
        var archive = _w.Archive("guangshun", new ArchiveOptions { FondsCode = "GS01" });
        var ready = Assert.Single(archive.Ready());
        Assert.Equal(doc.Id, ready.DocumentId);
        Assert.Equal(ArchiveTables.DirectionOut, ready.Direction);
        Assert.Equal(RetentionSchedule.Years30, ready.Retention);

        var item = Assert.Single(archive.File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));

        Assert.Equal("GS01-WS·2026-D30-0001", item.ArchivalCode);
        Assert.Equal(("GS01", 2026L, "D30", 1L), (item.Fonds, item.Year, item.Retention, item.ItemNo));
        Assert.Equal("2026-11-27", item.DateWritten);
        Assert.Equal("广顺镇人民政府", item.Issuer);
        Assert.Equal("广府发〔2026〕1号", item.DocNumber);
        Assert.Equal("clerk", item.FiledBy);
        Assert.Null(item.RetentionReason);
        Assert.Empty(archive.Ready());
        Assert.Equal(item.Id, Assert.Single(archive.List(2026, "D30", "森林防火")).Id);
        Assert.Empty(archive.List(2026, "Y", null));
        Assert.Equal(item.Id, Assert.Single(archive.List(null, null, "GS01-WS·2026")).Id);
        Assert.Equal([2026], archive.Years());
        using var conn = _w.Store("guangshun").OpenConnection();
        Assert.Equal(1, conn.ScalarLong("SELECT COUNT(*) FROM audit WHERE entity = @e", null, ("@e", "archive_items:" + item.Id))); // audited with the write
    }

    [Fact]
    public void File_YearIsTheYearOfTheSignOffDate_NotOfTheDraft_AndTheDefaultFondsIsTheNodeCode()
    {
        var doc = _w.Wf.Draft("guangshun", "关于2027年春耕生产的通知");
        _w.Wf.World.Time.Advance(TimeSpan.FromDays(40)); // drafted 2026-11-27, signed off 2027-01-06
        _w.Wf.ToDispatched("guangshun", doc.Id);

        var item = Assert.Single(_w.Archive("guangshun").File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));

        Assert.Equal("2027-01-06", item.DateWritten);
        Assert.Equal("GUANGSHUN-WS·2027-D30-0001", item.ArchivalCode);
    }

    [Fact]
    public void Retention_ComesFromConfiguration_ByDocumentType_WithDefaultsForTheRest()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EGov:Archive:FondsCode"] = "GS01",
            ["EGov:Archive:Retention:通知"] = "Y",
            ["EGov:Archive:Retention:命令"] = "d10",
        }).Build());
        new ArchiveModule().AddServices(services);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        Assert.Equal("GS01", options.FondsCode);
        Assert.Equal("Y", RetentionSchedule.For("通知", options.Retention));
        Assert.Equal("D10", RetentionSchedule.For("命令(令)", options.Retention)); // 命令 is the type 命令(令)
        Assert.Equal("Y", RetentionSchedule.For("纪要", options.Retention)); // default
        Assert.Equal("Y", RetentionSchedule.For("决议", options.Retention)); // default
        Assert.Equal("D30", RetentionSchedule.For("报告", options.Retention));
        Assert.Equal("D10", RetentionSchedule.For("函", options.Retention));

        var doc = _w.Dispatched();
        var item = Assert.Single(_w.Archive("guangshun", options).File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));
        Assert.Equal("GS01-WS·2026-Y-0001", item.ArchivalCode);

        var bad = new ServiceCollection();
        bad.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EGov:Archive:Retention:纪要"] = "长期" }).Build());
        new ArchiveModule().AddServices(bad);
        using var badProvider = bad.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IOptions<ArchiveOptions>>().Value);
        Assert.Contains("EGov:Archive:Retention:纪要 is '长期'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retention_OverriddenByTheClerk_NeedsAReason_AndIsRecordedWithTheScheduleValue()
    {
        var doc = _w.Dispatched(docType: "函", title: "关于商请支持森林防火物资的函");
        var archive = _w.Archive("guangshun");
        var missing = Assert.Throws<OfficeValidationException>(() => archive.File(new FileInput { DocumentIds = [doc.Id], Retention = "Y" }, ArchiveWorld.Clerk));
        Assert.Equal("调整保管期限须填写理由", missing.Errors["reason"][0]);
        Assert.Empty(archive.List());
        var badCode = Assert.Throws<OfficeValidationException>(() => archive.File(new FileInput { DocumentIds = [doc.Id], Retention = "长期" }, ArchiveWorld.Clerk));
        Assert.True(badCode.Errors.ContainsKey("retention"));

        var item = Assert.Single(archive.File(new FileInput { DocumentIds = [doc.Id], Retention = "y", Reason = "涉及重大项目，须永久保存" }, ArchiveWorld.Clerk));

        Assert.Equal("GUANGSHUN-WS·2026-Y-0001", item.ArchivalCode);
        Assert.Equal("D10", item.RetentionDefault);
        Assert.Equal("涉及重大项目，须永久保存", item.RetentionReason);
    }

    [Fact]
    public void File_RefusesUnfinishedDocuments_DoubleFiling_AndStaffWhoAreNotClerks()
    {
        var draft = _w.Wf.Draft("guangshun", "关于报送年度工作总结的通知");
        _w.Wf.ToReChecked("guangshun", draft.Id);
        var done = _w.Dispatched();
        var archive = _w.Archive("guangshun");

        var early = Assert.Throws<OfficeValidationException>(() => archive.File(new FileInput { DocumentIds = [draft.Id, done.Id] }, ArchiveWorld.Clerk));
        Assert.Equal("《关于报送年度工作总结的通知》尚未核发，不能归档", Assert.Single(early.Errors["documentIds"]));
        Assert.Empty(archive.List()); // all or none: the finished one was not filed either

        Assert.Throws<OfficeForbiddenException>(() => archive.File(new FileInput { DocumentIds = [done.Id] }, WorkflowWorld.Leader));
        var first = Assert.Single(archive.File(new FileInput { DocumentIds = [done.Id] }, ArchiveWorld.Clerk));
        var again = Assert.Throws<OfficeValidationException>(() => archive.File(new FileInput { DocumentIds = [done.Id] }, ArchiveWorld.Clerk));
        Assert.Equal($"《关于做好冬春森林防火工作的通知》已归档，档号 {first.ArchivalCode}", Assert.Single(again.Errors["documentIds"]));
        Assert.Single(archive.List());
        Assert.Throws<OfficeValidationException>(() => archive.File(new FileInput { DocumentIds = [] }, ArchiveWorld.Clerk));
        Assert.Throws<OfficeValidationException>(() => archive.File(new FileInput { DocumentIds = ["not-a-guid"] }, ArchiveWorld.Clerk));

        // The recipient cannot file the issuer's document as 发文; it files its own 收文 copy once replied to.
        _w.Wf.Sync();
        var malu = _w.Archive("malu");
        Assert.Empty(malu.Ready());
        var notReplied = Assert.Throws<OfficeValidationException>(() => malu.File(new FileInput { DocumentIds = [done.Id] }, ArchiveWorld.Clerk));
        Assert.Contains("尚未答复", notReplied.Errors["documentIds"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void IncomingDocument_RepliedAtTheRecipient_IsFiledThereUnderItsOwnFonds()
    {
        var doc = _w.Dispatched();
        _w.Wf.Sync();
        _w.ToReplied("malu", doc.Id);
        var malu = _w.Archive("malu");
        var ready = Assert.Single(malu.Ready());
        Assert.Equal(ArchiveTables.DirectionIn, ready.Direction);
        Assert.Equal("广顺镇人民政府", ready.Issuer);

        var item = Assert.Single(malu.File(new FileInput { DocumentIds = [doc.Id], Note = "已落实" }, ArchiveWorld.Clerk));

        Assert.Equal("MALU-WS·2026-D30-0001", item.ArchivalCode);
        Assert.Equal(ArchiveTables.DirectionIn, item.Direction);
        var files = ArchiveWorld.Unzip(malu.Package(item.Id)!.Value.Zip);
        var sheet = JsonNode.Parse(files[ArchivePackage.HandlingEntry])!;
        Assert.Equal(["dispatch", "signfor", "in_register", "screen", "assign", "reply"],
            sheet["steps"]!.AsArray().Select(s => s!["kind"]!.GetValue<string>()));
        Assert.Equal("已按要求落实", sheet["steps"]![5]!["opinion"]!.GetValue<string>());
        Assert.Equal("malu", sheet["steps"]![5]!["node"]!.GetValue<string>());
        Assert.True(malu.Check(item.Id).Passed);
    }

    [Fact]
    public void ItemNumbers_AreGapFreePerRetention_WhenClerksFileInParallel()
    {
        var notices = Enumerable.Range(1, 6).Select(i => _w.Dispatched(title: $"关于第{i}批防火检查的通知")).ToList();
        var letters = Enumerable.Range(1, 4).Select(i => _w.Dispatched(title: $"关于第{i}批物资调拨的函", docType: "函")).ToList();
        var store = _w.Store("guangshun");
        var results = new System.Collections.Concurrent.ConcurrentBag<ArchiveItemDto>();

        Parallel.ForEach(notices.Concat(letters), new ParallelOptions { MaxDegreeOfParallelism = 8 }, doc =>
        {
            foreach (var item in _w.Archive("guangshun").File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk)) results.Add(item);
        });

        Assert.Equal(10, results.Count);
        Assert.Equal([1L, 2, 3, 4, 5, 6], results.Where(r => r.Retention == "D30").Select(r => r.ItemNo).Order());
        Assert.Equal([1L, 2, 3, 4], results.Where(r => r.Retention == "D10").Select(r => r.ItemNo).Order());
        Assert.Equal(10, results.Select(r => r.ArchivalCode).Distinct().Count());
        Assert.Equal(10, results.Select(r => r.DocumentId).Distinct().Count());
        using var conn = store.OpenConnection();
        Assert.Equal(10, conn.ScalarLong("SELECT COUNT(DISTINCT archival_code) FROM archive_items WHERE deleted = 0"));

        // The same document filed by two clerks at once: exactly one succeeds.
        var contested = _w.Dispatched(title: "关于争抢归档的通知");
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, _ =>
        {
            try
            {
                outcomes.Add(_w.Archive("guangshun").File(new FileInput { DocumentIds = [contested.Id] }, ArchiveWorld.Clerk)[0].ArchivalCode);
            }
            catch (OfficeValidationException)
            {
                outcomes.Add("refused");
            }
        });
        Assert.Equal("GUANGSHUN-WS·2026-D30-0007", Assert.Single(outcomes, o => o != "refused"));
        Assert.Equal(3, outcomes.Count(o => o == "refused"));
    }

    [Fact]
    public void Package_HoldsPdfAttachmentsHandlingSheetSealAndMetadata_WithAManifestOfSm3_AndIsDeterministic()
    {
        var attachment = Encoding.UTF8.GetBytes("一、防火责任区划分\n二、值班安排");
        var doc = _w.Dispatched(attachment: attachment);
        var archive = _w.Archive("guangshun");
        var item = Assert.Single(archive.File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));

        var first = archive.Package(item.Id)!.Value;
        _w.Wf.World.Time.Advance(TimeSpan.FromDays(3));
        var second = _w.Archive("guangshun").Package(item.Id)!.Value;

        Assert.Equal(first.Zip, second.Zip);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(first.Zip)))
        {
            Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength)); // stored, so the bytes never depend on a deflate implementation
            Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2026, 11, 27, 9, 0, 0), e.LastWriteTime.DateTime)); // the filing time in China
        }
        Assert.Equal(item.PackageSm3, SmCrypto.Sm3Hex(first.Zip));
        Assert.Equal("GUANGSHUN-WS.2026-D30-0001.zip", first.FileName);
        var files = ArchiveWorld.Unzip(first.Zip);
        Assert.Equal(["metadata.json", "文件处理单.json", "文件处理单.pdf", "seal.json", "正本.pdf", "附件/01-森林防火预案.txt", "manifest.json"], files.Keys);
        var pdf = _w.Wf.Workflow("guangshun").Pdf(doc.Id)!.Value.Data;
        Assert.Equal(pdf, files["正本.pdf"]);
        Assert.Equal(attachment, files["附件/01-森林防火预案.txt"]);

        var manifest = JsonNode.Parse(files["manifest.json"])!;
        Assert.Equal("SM3", manifest["algorithm"]!.GetValue<string>());
        var listed = manifest["files"]!.AsArray().ToDictionary(f => f!["path"]!.GetValue<string>(), f => f!["sm3"]!.GetValue<string>());
        Assert.Equal(6, listed.Count);
        foreach (var (path, sm3) in listed) Assert.Equal(SmCrypto.Sm3Hex(files[path]), sm3);

        var meta = JsonNode.Parse(files["metadata.json"])!;
        Assert.Equal("GUANGSHUN-WS·2026-D30-0001", meta["archivalCode"]!.GetValue<string>());
        Assert.Equal("定期30年", meta["retentionName"]!.GetValue<string>());
        Assert.Equal("2026-11-27", meta["dateWritten"]!.GetValue<string>());
        Assert.Equal("无", meta["secrecy"]!.GetValue<string>());
        Assert.Equal("广顺镇人民政府", meta["issuer"]!.GetValue<string>());
        Assert.Equal(item.DocNumber, meta["docNumber"]!.GetValue<string>());
        Assert.Equal("clerk", meta["filedBy"]!.GetValue<string>());

        var sheet = JsonNode.Parse(files["文件处理单.json"])!["steps"]!.AsArray();
        Assert.Equal(["submit", "approve", "signoff", "recheck", "register", "print", "seal", "dispatch"], sheet.Select(s => s!["kind"]!.GetValue<string>()));
        var signOff = sheet[2]!;
        Assert.Equal("签发", signOff["kindName"]!.GetValue<string>());
        Assert.Equal("陈刚", signOff["actorName"]!.GetValue<string>());
        Assert.Equal("同意印发", signOff["opinion"]!.GetValue<string>());
        Assert.Equal("guangshun", signOff["node"]!.GetValue<string>());

        var seal = JsonNode.Parse(files["seal.json"])!;
        Assert.True(seal["valid"]!.GetValue<bool>());
        Assert.Equal("广顺镇人民政府公章", seal["sealName"]!.GetValue<string>());
        Assert.Null(archive.Package(Guid.NewGuid().ToString()));
    }

    [Fact]
    public void Check_PassesForAnUntouchedItem_AndNamesWhatChanged_WhenTheRowOrAFileIsTampered()
    {
        var doc = _w.Dispatched(attachment: Encoding.UTF8.GetBytes("附件内容"));
        var archive = _w.Archive("guangshun");
        var item = Assert.Single(archive.File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));
        var clean = archive.Check(item.Id);
        Assert.True(clean.Passed, JsonSerializer.Serialize(clean.Checks.SelectMany(c => c.Messages)));
        Assert.Equal(["authenticity", "integrity", "usability", "security"], clean.Checks.Select(c => c.Key));
        Assert.Equal(["真实性", "完整性", "可用性", "安全性"], clean.Checks.Select(c => c.Name));
        Assert.Equal(item.PackageSm3, clean.ComputedSm3);

        var store = _w.Store("guangshun");
        store.Update(ArchiveTables.Items, item.Id, new JsonObject { ["title"] = "关于做好冬春森林防火工作的通知（改）" });
        var rowTampered = archive.Check(item.Id);
        Assert.False(rowTampered.Passed);
        Assert.True(rowTampered.Checks.Single(c => c.Key == "authenticity").Passed);
        var integrity = rowTampered.Checks.Single(c => c.Key == "integrity");
        Assert.False(integrity.Passed);
        Assert.Contains("归档包的 SM3 与归档时记录的不一致", integrity.Messages);
        Assert.Contains("metadata.json 的 SM3 与清单不一致，内容已被改动", integrity.Messages);
        store.Update(ArchiveTables.Items, item.Id, new JsonObject { ["title"] = item.Title });
        Assert.True(archive.Check(item.Id).Passed);

        var pdfFile = _w.Wf.Workflow("guangshun").Files(doc.Id).Single(f => f.Kind == FilesTable.KindPdf);
        store.Update(FilesTable.Name, pdfFile.Id, new JsonObject { ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("not a pdf any more")) });
        var fileTampered = archive.Check(item.Id);
        Assert.False(fileTampered.Passed);
        Assert.NotEqual(item.PackageSm3, fileTampered.ComputedSm3);
        var authenticity = fileTampered.Checks.Single(c => c.Key == "authenticity");
        Assert.Equal("电子印章验证未通过：内容已被篡改", Assert.Single(authenticity.Messages));
        Assert.Contains("正本.pdf 的 SM3 与清单不一致，内容已被改动", fileTampered.Checks.Single(c => c.Key == "integrity").Messages);
        Assert.Equal("正本不是有效的 PDF 文件", Assert.Single(fileTampered.Checks.Single(c => c.Key == "usability").Messages));
        Assert.True(fileTampered.Checks.Single(c => c.Key == "security").Passed);
        Assert.Throws<ArchiveNotFoundException>(() => archive.Check(Guid.NewGuid().ToString()));
    }

    [Fact]
    public void Package_HoldsTheHandlingSheetAsAPdf_ListedInTheManifestWithItsSm3_WithTheHeaderAndEveryStep()
    {
        var doc = _w.Dispatched();
        var archive = _w.Archive("guangshun");
        var item = Assert.Single(archive.File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));
        var row = _w.Store("guangshun").Get(ArchiveTables.Items, item.Id)!;
        Assert.Equal(ArchivePackage.CurrentVersion, row.Integer("package_version"));

        var files = ArchiveWorld.Unzip(archive.Package(item.Id)!.Value.Zip);
        var pdf = files[ArchivePackage.HandlingPdfEntry];
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        var listed = JsonNode.Parse(files[ArchivePackage.ManifestEntry])!["files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == "文件处理单.pdf")!;
        Assert.Equal(SmCrypto.Sm3Hex(pdf), listed["sm3"]!.GetValue<string>());
        Assert.Equal(pdf.LongLength, listed["size"]!.GetValue<long>());
        Assert.Equal("handling-pdf", listed["kind"]!.GetValue<string>());
        Assert.Contains(SmCrypto.Sm3Hex(pdf), row.Text("manifest"), StringComparison.Ordinal);

        // The PDF shows what 文件处理单.json holds: every step's name and actor, in order, under the document's header.
        var text = string.Concat(PdfText.Pages(pdf));
        var sheet = JsonNode.Parse(files[ArchivePackage.HandlingEntry])!;
        Assert.Equal(doc.Urgency, sheet["urgency"]!.GetValue<string>());
        Assert.Equal("广顺镇人民政府", sheet["steps"]![0]!["nodeName"]!.GetValue<string>());
        var expected = new List<string> { "发文稿纸", "广顺镇人民政府", item.DocNumber!, item.Title, doc.Urgency, "2026年11月27日", item.ArchivalCode };
        foreach (var step in sheet["steps"]!.AsArray())
        {
            expected.Add(step!["kindName"]!.GetValue<string>());
            expected.Add(step["actorName"]?.GetValue<string>() ?? step["actor"]!.GetValue<string>());
        }
        Assert.Equal(8, sheet["steps"]!.AsArray().Count);
        var at = 0;
        foreach (var part in expected)
        {
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' missing after position {at} in: {text}");
            at = found + part.Length;
        }
        Assert.Contains("同意印发", text, StringComparison.Ordinal);

        // Deterministic: rebuilt later by another service instance, the PDF and the whole package are the same bytes.
        _w.Wf.World.Time.Advance(TimeSpan.FromDays(30));
        var again = _w.Archive("guangshun").Package(item.Id)!.Value.Zip;
        Assert.Equal(pdf, ArchiveWorld.Unzip(again)[ArchivePackage.HandlingPdfEntry]);
        Assert.Equal(item.PackageSm3, SmCrypto.Sm3Hex(again));
        var check = archive.Check(item.Id);
        Assert.True(check.Passed, JsonSerializer.Serialize(check.Checks.SelectMany(c => c.Messages)));
    }

    [Fact]
    public void IncomingItem_HandlingSheetPdf_IsA收文处理单_WithTheSendingOrgan()
    {
        var doc = _w.Dispatched();
        _w.Wf.Sync();
        _w.ToReplied("malu", doc.Id);
        var malu = _w.Archive("malu");
        var item = Assert.Single(malu.File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));
        var text = string.Concat(PdfText.Pages(ArchiveWorld.Unzip(malu.Package(item.Id)!.Value.Zip)[ArchivePackage.HandlingPdfEntry]));
        Assert.StartsWith("收文处理单", text, StringComparison.Ordinal);
        Assert.Contains("来文机关广顺镇人民政府", text, StringComparison.Ordinal);
        Assert.Contains("已按要求落实", text, StringComparison.Ordinal);
        Assert.Contains("王明", text, StringComparison.Ordinal);
        Assert.Contains("马路乡", text, StringComparison.Ordinal);
        Assert.True(malu.Check(item.Id).Passed);
    }

    [Fact]
    public void ItemFiledWithTheOldLayout_WithoutAVersion_IsRebuiltWithoutThePdf_AndStillChecksIntact()
    {
        var doc = _w.Dispatched(attachment: Encoding.UTF8.GetBytes("附件内容"));
        var archive = _w.Archive("guangshun");
        var item = Assert.Single(archive.File(new FileInput { DocumentIds = [doc.Id] }, ArchiveWorld.Clerk));
        var store = _w.Store("guangshun");
        var current = ArchiveWorld.Unzip(archive.Package(item.Id)!.Value.Zip);

        // The row as filed before the layout was versioned: a handling sheet without urgency and organ names, no version,
        // and the manifest and SM3 of the package without 文件处理单.pdf.
        var handling = JsonNode.Parse(store.Get(ArchiveTables.Items, item.Id)!.Text("handling")!)!.AsObject();
        handling.Remove("urgency");
        foreach (var step in handling["steps"]!.AsArray()) step!.AsObject().Remove("nodeName");
        var oldHandling = handling.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        SealSubject subject;
        using (var conn = store.OpenConnection()) subject = _w.Wf.Workflow("guangshun").Subject(conn, null, store.Get(DocumentsTable.Name, doc.Id)!);
        var old = ArchivePackage.Build(new PackageInput(
            ArchivePackage.FromJson<PackageMetadata>(Encoding.UTF8.GetString(current["metadata.json"]))!, oldHandling,
            Encoding.UTF8.GetString(current["seal.json"]), subject, item.FiledUtc, ArchivePackage.LegacyVersion));
        Assert.Equal(["metadata.json", "文件处理单.json", "seal.json", "正本.pdf", "附件/01-森林防火预案.txt"], old.Entries.Select(e => e.Path));
        store.Update(ArchiveTables.Items, item.Id, new JsonObject
        {
            ["handling"] = oldHandling, ["manifest"] = old.ManifestJson, ["package_sm3"] = old.Sm3, ["package_version"] = null,
        });

        var rebuilt = archive.Package(item.Id)!.Value.Zip;
        Assert.Equal(old.Zip, rebuilt);
        Assert.DoesNotContain(ArchivePackage.HandlingPdfEntry, ArchiveWorld.Unzip(rebuilt).Keys);
        var check = archive.Check(item.Id);
        Assert.True(check.Passed, JsonSerializer.Serialize(check.Checks.SelectMany(c => c.Messages)));
        Assert.Equal(old.Sm3, check.ComputedSm3);
        Assert.Equal(old.Sm3, archive.Get(item.Id)!.PackageSm3);

        // The version decides the layout: the same row claiming the current layout no longer matches its recorded SM3.
        store.Update(ArchiveTables.Items, item.Id, new JsonObject { ["package_version"] = ArchivePackage.CurrentVersion });
        var claimed = archive.Check(item.Id).Checks.Single(c => c.Key == "integrity");
        Assert.False(claimed.Passed);
        Assert.Contains("文件处理单.pdf", string.Join("|", claimed.Messages), StringComparison.Ordinal);
    }
}
