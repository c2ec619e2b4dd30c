using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Seals;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Archives;

/// <summary>The item (or the document) was not found here.</summary>
public sealed class ArchiveNotFoundException(string message) : Exception(message);

/// <summary>
/// 归档 at this node: what is ready (发文 after 核发 at the issuing node, 收文 after 答复 at the recipient), filing with a
/// 档号 whose 件号 is allocated gap-free per 全宗, 年度 (of the 成文日期) and 保管期限 in one serialised transaction, the
/// archival package and its 四性检测.
/// </summary>
public sealed class ArchiveService(ILocalStore store, TimeProvider time, IStringLocalizer<ArchiveText> text, IOptions<ArchiveOptions> options,
    WorkflowService workflow, OrganDirectory organs, ISealService? seals = null)
{
    /// <summary>Most documents filed in one request.</summary>
    public const int MaxBatch = 100;

    private static readonly CultureInfo Chinese = new("zh-CN");

    public string NodeId => store.NodeId;

    /// <summary>全宗号 of this node: EGov:Archive:FondsCode, else the node id in capitals.</summary>
    public string Fonds => options.Value.FondsCode is { Length: > 0 } f ? f.Trim() : ArchiveCodes.DefaultFonds(store.NodeId);

    /// <summary>The retention the schedule gives a document type here.</summary>
    public string RetentionFor(string? docType) => RetentionSchedule.For(docType, options.Value.Retention);

    /// <summary>Clerks (公文收发员, who also keep the files) and administrators file documents.</summary>
    public static bool MayFile(WorkflowActor actor) => actor is not null && actor.HasAny([Roles.Clerk, Roles.Admin]);

    public ScheduleDto Schedule()
    {
        var configured = options.Value.Retention;
        return new ScheduleDto
        {
            Fonds = Fonds,
            Types = DocumentTypes.Names.Select(t => new ScheduleEntryDto
            {
                DocType = t,
                Retention = RetentionFor(t),
                Configured = configured.Keys.Any(k => (DocumentTypes.Normalize(k) ?? k.Trim()) == t && RetentionSchedule.Parse(configured[k]) is not null),
            }).ToList(),
        };
    }

    // ---------------------------------------------------------------- ready (待归档)

    /// <summary>Documents this node may file now and has not filed yet, finished last first.</summary>
    public List<ReadyItemDto> Ready()
    {
        var me = store.NodeId;
        var list = new List<ReadyItemDto>();
        using var conn = store.OpenConnection();
        var filed = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = conn.Command($"SELECT document_id FROM {ArchiveTables.Items} WHERE node = @me AND deleted = 0", null, ("@me", me)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) filed.Add(r.GetString(0));
        }
        var own = BookingEngine.Select(conn, null, DocumentsTable.Definition, "WHERE r.deleted = 0 AND r.origin = @me AND r.wf_state = @s",
            ("@me", me), ("@s", nameof(OutgoingState.Dispatched))).Where(d => !filed.Contains(d.Id)).ToList();
        var ownSteps = WorkflowData.StepsOf(conn, own.Select(d => d.Id).ToList());
        foreach (var doc in own)
        {
            var steps = ownSteps.GetValueOrDefault(doc.Id) ?? [];
            if (WorkflowData.StateOf(doc, steps) != OutgoingState.Dispatched) continue;
            var done = steps.LastOrDefault(s => s.Kind == StepKinds.Dispatch && s.Node == doc.Origin);
            list.Add(ToReady(doc, ArchiveTables.DirectionOut, done?.AtUtc ?? DateTimeOffset.MinValue));
        }
        var replied = workflow.Inbox().Where(i => i.State == nameof(IncomingState.Replied) && !filed.Contains(i.DocumentId)).ToList();
        var inSteps = WorkflowData.StepsOf(conn, replied.Select(i => i.DocumentId).ToList());
        foreach (var item in replied)
        {
            if (store.Get(DocumentsTable.Name, item.DocumentId) is not { Deleted: false } doc) continue;
            var done = (inSteps.GetValueOrDefault(doc.Id) ?? []).LastOrDefault(s => s.Kind == StepKinds.Reply && s.Recipient == me && s.Node == me);
            list.Add(ToReady(doc, ArchiveTables.DirectionIn, done?.AtUtc ?? DateTimeOffset.MinValue));
        }
        return list.OrderByDescending(r => r.FinishedUtc).ThenBy(r => r.DocumentId, StringComparer.Ordinal).ToList();
    }

    private ReadyItemDto ToReady(SyncRow doc, string direction, DateTimeOffset finished) => new()
    {
        DocumentId = doc.Id,
        Direction = direction,
        Title = doc.Text("title") ?? "",
        DocType = doc.Text("doc_type"),
        DocNumber = doc.Text("doc_number"),
        DateWritten = doc.Text("date_written"),
        Issuer = organs.NameOf(doc.Origin),
        Retention = RetentionFor(doc.Text("doc_type")),
        FinishedUtc = finished,
    };

    // ---------------------------------------------------------------- filing (归档)

    /// <summary>
    /// Files the documents (all or none): each gets the next 件号 of its 全宗, 年度 and 保管期限 and its package SM3, in one
    /// serialised transaction at this node. A document already filed here, not finished here, classified or without a
    /// 成文日期 is refused with a message naming it.
    /// </summary>
    public List<ArchiveItemDto> File(FileInput input, WorkflowActor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayFile(actor)) throw new OfficeForbiddenException(text["Err_Role"]);
        var ids = (input.DocumentIds ?? []).Select(i => i?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        var errors = new Dictionary<string, string[]>();
        if (ids.Count == 0) errors["documentIds"] = [text["Val_NoDocuments"]];
        else if (ids.Count > MaxBatch) errors["documentIds"] = [text["Val_TooMany", MaxBatch]];
        else if (ids.Any(i => !Guid.TryParse(i, out _))) errors["documentIds"] = [text["Val_BadId"]];
        string? chosen = null;
        if (!string.IsNullOrWhiteSpace(input.Retention) && (chosen = RetentionSchedule.Parse(input.Retention)) is null) errors["retention"] = [text["Val_Retention"]];
        var reason = input.Reason?.Trim() ?? "";
        if (reason.Length > 200) errors["reason"] = [text["Val_TooLong", 200]];
        var note = input.Note?.Trim() ?? "";
        if (note.Length > 500) errors["note"] = [text["Val_TooLong", 500]];
        if (!ArchiveCodes.IsValidFonds(Fonds)) errors["fonds"] = [text["Val_Fonds", Fonds]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);

        var me = store.NodeId;
        var fonds = Fonds;
        var rows = store.Transact(w =>
        {
            var problems = new List<string>();
            var reasonMissing = false;
            var inserted = new List<SyncRow>();
            var now = time.GetUtcNow();
            var filedUtc = Iso(now);
            foreach (var id in ids)
            {
                var doc = w.Get(DocumentsTable.Name, id);
                if (doc is null || doc.Deleted) { problems.Add(text["Err_DocNotFound", id]); continue; }
                var title = doc.Text("title") ?? "";
                var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
                var direction = doc.Origin == me ? ArchiveTables.DirectionOut : ArchiveTables.DirectionIn;
                if (direction == ArchiveTables.DirectionOut && WorkflowData.StateOf(doc, steps) != OutgoingState.Dispatched)
                {
                    problems.Add(text["Err_NotDispatched", title]);
                    continue;
                }
                if (direction == ArchiveTables.DirectionIn && WorkflowRules.Incoming(me, steps) != IncomingState.Replied)
                {
                    problems.Add(text["Err_NotReplied", title]);
                    continue;
                }
                if (!WorkflowData.IsUnclassified(doc.Text("secrecy"))) { problems.Add(text["Err_Classified", title]); continue; }
                var already = w.Connection.ScalarString($"SELECT archival_code FROM {ArchiveTables.Items} WHERE document_id = @d AND node = @me AND deleted = 0",
                    w.Transaction, ("@d", id), ("@me", me));
                if (already is not null) { problems.Add(text["Err_AlreadyFiled", title, already]); continue; }
                if (!DateOnly.TryParseExact(doc.Text("date_written"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var written))
                {
                    problems.Add(text["Err_NoDateWritten", title]);
                    continue;
                }
                var schedule = RetentionFor(doc.Text("doc_type"));
                var retention = chosen ?? schedule;
                if (retention != schedule && reason.Length == 0) { reasonMissing = true; continue; }
                var year = (long)written.Year;
                var itemNo = w.Connection.ScalarLong(
                    $"SELECT COALESCE(MAX(item_no), 0) FROM {ArchiveTables.Items} WHERE node = @me AND fonds = @f AND year = @y AND retention = @r AND deleted = 0",
                    w.Transaction, ("@me", me), ("@f", fonds), ("@y", year), ("@r", retention)) + 1;
                var data = new JsonObject
                {
                    ["document_id"] = id,
                    ["direction"] = direction,
                    ["node"] = me,
                    ["fonds"] = fonds,
                    ["year"] = year,
                    ["retention"] = retention,
                    ["retention_default"] = retention == schedule ? null : schedule,
                    ["retention_reason"] = retention == schedule ? null : reason,
                    ["item_no"] = itemNo,
                    ["archival_code"] = ArchiveCodes.Format(fonds, year, retention, itemNo),
                    ["title"] = title,
                    ["doc_type"] = doc.Text("doc_type"),
                    ["doc_number"] = doc.Text("doc_number"),
                    ["date_written"] = written.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["issuer"] = organs.NameOf(doc.Origin),
                    ["secrecy"] = string.IsNullOrWhiteSpace(doc.Text("secrecy")) ? "无" : doc.Text("secrecy")!.Trim(),
                    ["filed_by"] = actor.Username,
                    ["filed_by_name"] = actor.DisplayName,
                    ["filed_utc"] = filedUtc,
                    ["note"] = note.Length == 0 ? null : note,
                    ["package_version"] = (long)ArchivePackage.CurrentVersion,
                };
                var subject = workflow.Subject(w.Connection, w.Transaction, doc);
                data["handling"] = Encoding.UTF8.GetString(ArchivePackage.ToJson(Handling(doc, direction, steps, me, organs)));
                data["seal_result"] = Encoding.UTF8.GetString(ArchivePackage.ToJson(SealResult(subject, filedUtc)));
                var built = ArchivePackage.Build(InputOf(data, subject));
                data["manifest"] = built.ManifestJson;
                data["package_sm3"] = built.Sm3;
                inserted.Add(w.Insert(ArchiveTables.Items, data));
            }
            var errs = new Dictionary<string, string[]>();
            if (problems.Count > 0) errs["documentIds"] = [.. problems];
            if (reasonMissing) errs["reason"] = [text["Val_ReasonRequired"]];
            if (errs.Count > 0) throw new OfficeValidationException(errs);
            return inserted;
        });
        return rows.Select(ToDto).ToList();
    }

    /// <summary>The steps that make the 文件处理单: the issuer's 发文 steps; for 收文 the sender's 核发 and this node's steps.</summary>
    private static HandlingSheet Handling(SyncRow doc, string direction, List<StepRecord> steps, string me, OrganDirectory organs)
    {
        var picked = direction == ArchiveTables.DirectionOut
            ? steps.Where(s => StepKinds.Outgoing.Contains(s.Kind) && (s.Node == doc.Origin || s.Kind == StepKinds.CounterSign))
            : steps.Where(s => (s.Kind == StepKinds.Dispatch && s.Node == doc.Origin) || s.Recipient == me);
        var labels = WorkflowData.DefaultText;
        var known = organs.All();
        using var culture = CultureScope.Use(Chinese);
        return new HandlingSheet
        {
            DocumentId = doc.Id,
            Title = doc.Text("title") ?? "",
            Direction = direction,
            Urgency = doc.Text("urgency"),
            Steps = picked.Select(s => new HandlingStep
            {
                Id = s.Id, Kind = s.Kind, KindName = labels["Wf_Kind_" + s.Kind], Node = s.Node, NodeName = organs.NameOf(s.Node, known), Recipient = s.Recipient, Actor = s.Actor,
                ActorName = s.ActorName, AtUtc = Iso(s.AtUtc), Opinion = s.Opinion,
            }).ToList(),
        };
    }

    private SealRecord SealResult(SealSubject subject, string verifiedUtc)
    {
        var check = Verify(subject);
        return new SealRecord
        {
            Sealed = check.Sealed, Valid = check.Valid, Reason = check.Reason, SealId = check.Use?.SealId, SealName = check.Use?.SealName,
            Signer = check.Use?.Signer, Node = check.Use?.Node, SealedUtc = check.Use is { } u ? Iso(u.AtUtc) : null, DigestSm3 = check.Use?.DigestHex,
            VerifiedUtc = verifiedUtc,
        };
    }

    private SealCheck Verify(SealSubject subject)
    {
        if (seals is null) return new SealCheck(false, false, text["Check_NoSeals"], null);
        try
        {
            return seals.Verify(subject);
        }
        catch (Exception ex) when (ex is OfficeValidationException or OfficeForbiddenException or InvalidOperationException or FormatException)
        {
            return new SealCheck(true, false, ex.Message, null);
        }
    }

    private static PackageInput InputOf(JsonObject data, SealSubject subject)
    {
        string? S(string k) => data[k]?.GetValue<string>();
        long L(string k) => data[k]?.GetValue<long>() ?? 0;
        return Input(S, L, subject);
    }

    private static PackageInput InputOf(SyncRow row, SealSubject subject) => Input(row.Text, k => row.Integer(k) ?? 0, subject);

    private static PackageInput Input(Func<string, string?> s, Func<string, long> l, SealSubject subject)
    {
        var retention = s("retention") ?? "";
        var filed = s("filed_utc") ?? "";
        var metadata = new PackageMetadata
        {
            ArchivalCode = s("archival_code") ?? "",
            Fonds = s("fonds") ?? "",
            Year = l("year"),
            Retention = retention,
            RetentionName = RetentionSchedule.NameOf(retention),
            RetentionDefault = s("retention_default"),
            RetentionReason = s("retention_reason"),
            ItemNo = l("item_no"),
            Title = s("title") ?? "",
            DocType = s("doc_type"),
            DocNumber = s("doc_number"),
            DateWritten = s("date_written") ?? "",
            Secrecy = s("secrecy") ?? "",
            Issuer = s("issuer"),
            Direction = s("direction") ?? "",
            Node = s("node") ?? "",
            DocumentId = s("document_id") ?? "",
            FiledBy = s("filed_by") ?? "",
            FiledByName = s("filed_by_name"),
            FiledUtc = filed,
            Note = s("note"),
        };
        // Items filed before the package layout was versioned record none: they are rebuilt in the layout they were filed with.
        var version = l("package_version") is > 0 and var v ? (int)v : ArchivePackage.LegacyVersion;
        return new PackageInput(metadata, s("handling") ?? "", s("seal_result") ?? "", subject, WorkflowData.ParseUtc(filed), version);
    }

    // ---------------------------------------------------------------- reading

    /// <summary>Items filed here (at the hub: every node's), newest 年度 first, then by 档号.</summary>
    public List<ArchiveItemDto> List(int? year = null, string? retention = null, string? search = null, int limit = 500)
    {
        var where = new StringBuilder("WHERE r.deleted = 0");
        var args = new List<(string, object?)>();
        if (year is { } y) { where.Append(" AND r.year = @y"); args.Add(("@y", (long)y)); }
        if (RetentionSchedule.Parse(retention) is { } code) { where.Append(" AND r.retention = @r"); args.Add(("@r", code)); }
        where.Append(" ORDER BY r.year DESC, r.node, r.retention, r.item_no");
        using var conn = store.OpenConnection();
        var rows = BookingEngine.Select(conn, null, ArchiveTables.ItemsDefinition, where.ToString(), [.. args]);
        IEnumerable<SyncRow> found = rows;
        if (!string.IsNullOrWhiteSpace(search))
        {
            var q = search.Trim();
            found = rows.Where(r => (r.Text("title") ?? "").Contains(q, StringComparison.OrdinalIgnoreCase)
                                    || (r.Text("archival_code") ?? "").Contains(q, StringComparison.OrdinalIgnoreCase)
                                    || (r.Text("doc_number") ?? "").Contains(q, StringComparison.OrdinalIgnoreCase));
        }
        return found.Take(limit).Select(ToDto).ToList();
    }

    /// <summary>The 年度 for which items are held here, newest first.</summary>
    public List<int> Years()
    {
        using var conn = store.OpenConnection();
        var years = new List<int>();
        using var cmd = conn.Command($"SELECT DISTINCT year FROM {ArchiveTables.Items} WHERE deleted = 0 ORDER BY year DESC");
        using var r = cmd.ExecuteReader();
        while (r.Read()) years.Add((int)r.GetInt64(0));
        return years;
    }

    public ArchiveItemDto? Get(string id) => Row(id) is { } row ? ToDto(row) : null;

    /// <summary>Number of documents waiting to be filed here (home page).</summary>
    public int ReadyCount() => Ready().Count;

    private SyncRow? Row(string id) =>
        Guid.TryParse(id, out _) && store.Get(ArchiveTables.Items, id) is { Deleted: false } row ? row : null;

    private static ArchiveItemDto ToDto(SyncRow r) => new()
    {
        Id = r.Id,
        DocumentId = r.Text("document_id") ?? "",
        Direction = r.Text("direction") ?? "",
        Node = r.Text("node") ?? r.Origin,
        Fonds = r.Text("fonds") ?? "",
        Year = r.Integer("year") ?? 0,
        Retention = r.Text("retention") ?? "",
        RetentionDefault = r.Text("retention_default"),
        RetentionReason = r.Text("retention_reason"),
        ItemNo = r.Integer("item_no") ?? 0,
        ArchivalCode = r.Text("archival_code") ?? "",
        Title = r.Text("title") ?? "",
        DocType = r.Text("doc_type"),
        DocNumber = r.Text("doc_number"),
        DateWritten = r.Text("date_written") ?? "",
        Issuer = r.Text("issuer"),
        FiledBy = r.Text("filed_by") ?? "",
        FiledByName = r.Text("filed_by_name"),
        FiledUtc = WorkflowData.ParseUtc(r.Text("filed_utc")),
        PackageSm3 = r.Text("package_sm3") ?? "",
        Note = r.Text("note"),
    };

    // ---------------------------------------------------------------- package and 四性检测

    /// <summary>The archival package of an item, rebuilt from the item and the document's files (same bytes as at filing).</summary>
    public (string FileName, byte[] Zip)? Package(string id)
    {
        var row = Row(id);
        if (row is null) return null;
        var built = Rebuild(row, out _);
        return (FileNameOf(row), built.Zip);
    }

    private static string FileNameOf(SyncRow row) => (row.Text("archival_code") ?? row.Id).Replace('·', '.') + ".zip";

    private BuiltPackage Rebuild(SyncRow row, out SealSubject subject)
    {
        var docId = row.Text("document_id") ?? "";
        var doc = store.Get(DocumentsTable.Name, docId);
        using var conn = store.OpenConnection();
        subject = doc is null ? new SealSubject(docId, [], [], []) : workflow.Subject(conn, null, doc);
        return ArchivePackage.Build(InputOf(row, subject));
    }

    /// <summary>
    /// 四性检测 basics (DA/T 70-2018): 真实性 the seal verifies now; 完整性 the rebuilt package has the SM3 recorded at filing,
    /// every manifest entry matches and every handling step is still there unchanged; 可用性 the 正本 is a PDF and the
    /// metadata is complete; 安全性 no 密级. Each failure comes with a message.
    /// </summary>
    public ArchiveCheckDto Check(string id)
    {
        var row = Row(id) ?? throw new ArchiveNotFoundException(text["Err_NotFound"]);
        var built = Rebuild(row, out var subject);
        var doc = store.Get(DocumentsTable.Name, row.Text("document_id") ?? "");

        var authenticity = new List<string>();
        if (doc is null || doc.Deleted) authenticity.Add(text["Check_DocMissing"]);
        else
        {
            var seal = Verify(subject);
            if (!seal.Sealed) authenticity.Add(text["Check_NotSealed"]);
            else if (!seal.Valid) authenticity.Add(text["Check_SealInvalid", seal.Reason ?? ""]);
        }

        var integrity = new List<string>();
        var stored = row.Text("package_sm3") ?? "";
        if (!string.Equals(stored, built.Sm3, StringComparison.Ordinal)) integrity.Add(text["Check_PackageChanged"]);
        var manifest = ArchivePackage.FromJson<PackageManifest>(row.Text("manifest"));
        if (manifest is null) integrity.Add(text["Check_ManifestMissing"]);
        else
        {
            var now = built.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
            foreach (var f in manifest.Files)
            {
                if (!now.TryGetValue(f.Path, out var e)) integrity.Add(text["Check_FileMissing", f.Path]);
                else if (e.Sm3 != f.Sm3 || e.Size != f.Size) integrity.Add(text["Check_FileChanged", f.Path]);
            }
            foreach (var e in built.Entries.Where(e => manifest.Files.All(f => f.Path != e.Path))) integrity.Add(text["Check_FileExtra", e.Path]);
        }
        var handling = ArchivePackage.FromJson<HandlingSheet>(row.Text("handling"));
        if (handling is null) integrity.Add(text["Check_HandlingMissing"]);
        else
        {
            using var conn = store.OpenConnection();
            var steps = WorkflowData.Steps(conn, null, row.Text("document_id") ?? "").ToDictionary(s => s.Id, StringComparer.Ordinal);
            foreach (var s in handling.Steps)
            {
                if (!steps.TryGetValue(s.Id, out var now) || now.Kind != s.Kind || now.Actor != s.Actor || now.Node != s.Node
                    || Iso(now.AtUtc) != s.AtUtc || now.Opinion != s.Opinion)
                {
                    integrity.Add(text["Check_StepChanged", s.KindName, s.ActorName ?? s.Actor]);
                }
            }
        }

        var usability = new List<string>();
        if (subject.Pdf.Length == 0) usability.Add(text["Check_NoPdf"]);
        else if (!subject.Pdf.AsSpan().StartsWith("%PDF"u8)) usability.Add(text["Check_NotPdf"]);
        foreach (var (column, key) in new[] { ("title", "Col_Title"), ("archival_code", "Col_Code"), ("date_written", "Col_DateWritten"), ("issuer", "Col_Issuer") })
        {
            if (string.IsNullOrWhiteSpace(row.Text(column))) usability.Add(text["Check_MetadataMissing", text[key]]);
        }
        if (row.Text("direction") == ArchiveTables.DirectionOut && string.IsNullOrWhiteSpace(row.Text("doc_number"))) usability.Add(text["Check_MetadataMissing", text["Col_DocNumber"]]);

        var security = new List<string>();
        var secrecy = doc?.Text("secrecy");
        if (!WorkflowData.IsUnclassified(secrecy) || !WorkflowData.IsUnclassified(row.Text("secrecy"))) security.Add(text["Check_Classified", secrecy ?? row.Text("secrecy") ?? ""]);

        ArchiveCheckItemDto Item(string key, List<string> messages) => new() { Key = key, Name = text["Check_" + key], Passed = messages.Count == 0, Messages = messages };
        var checks = new List<ArchiveCheckItemDto>
        {
            Item("authenticity", authenticity), Item("integrity", integrity), Item("usability", usability), Item("security", security),
        };
        return new ArchiveCheckDto
        {
            Id = row.Id,
            ArchivalCode = row.Text("archival_code") ?? "",
            Passed = checks.All(c => c.Passed),
            CheckedUtc = time.GetUtcNow(),
            PackageSm3 = stored,
            ComputedSm3 = built.Sm3,
            Checks = checks,
        };
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
