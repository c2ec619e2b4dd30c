using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Notices;
using EGovEdge.Office.Printing;
using EGovEdge.Office.Seals;
using EGovEdge.Sync;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Workflow;

/// <summary>
/// The official document workflow at this node: 发文 (核稿 → 会签 → 签发 → 复核 → 登记 → 印制 → 用印 → 核发) and 收文
/// (签收 → 登记 → 初审 (or 退文) → 拟办 → 批办 → 承办 → 传阅/催办 → 答复). Every step is an appended row, checked and written in one serialised
/// transaction with the document's cached state.
/// </summary>
public sealed class WorkflowService(ILocalStore store, TimeProvider time, IStringLocalizer<WorkflowText> text, OrganDirectory organs,
    IDocumentRenderer? renderer = null, ISealService? seals = null, INoticeSender? notices = null,
    IOptions<DocumentReminderOptions>? reminderOptions = null)
{
    /// <summary>Largest attachment accepted (each).</summary>
    public const int MaxAttachmentBytes = 10 * 1024 * 1024;

    public const int MaxAttachments = 20;

    public string NodeId => store.NodeId;

    public bool CanPrint => renderer is not null;

    public bool CanSeal => seals is not null;

    public IReadOnlyList<UsableSeal> UsableSeals(string username) => seals?.UsableBy(username) ?? [];

    /// <summary>Active accounts of this unit (for 承办 and 传阅), as (username, display name).</summary>
    public IReadOnlyList<(string Username, string DisplayName)> Staff()
    {
        var list = new List<(string, string)>();
        using var conn = store.OpenConnection();
        using var cmd = conn.Command("SELECT username, display_name FROM users WHERE deleted = 0 AND unit = @u AND (disabled IS NULL OR disabled = 0) ORDER BY username",
            null, ("@u", store.NodeId));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    // ---------------------------------------------------------------- outgoing (发文)

    public StepDto Submit(string id, WorkflowActor actor, string? opinion = null) => Issuer(id, StepKinds.Submit, actor, opinion);

    public StepDto Approve(string id, WorkflowActor actor, string? opinion = null) => Issuer(id, StepKinds.Approve, actor, opinion);

    public StepDto Return(string id, WorkflowActor actor, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw Invalid("opinion", text["Wf_Val_ReasonRequired"]);
        return Issuer(id, StepKinds.Return, actor, reason);
    }

    /// <summary>签发: the leader's opinion, name and date; the date becomes 成文日期.</summary>
    public StepDto SignOff(string id, WorkflowActor actor, string? opinion = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Issuer(id, StepKinds.SignOff, actor, string.IsNullOrWhiteSpace(opinion) ? text["Wf_DefaultAgree"] : opinion.Trim(), (_, _, now) =>
            (new JsonObject { ["signers"] = actor.DisplayName, ["date_written"] = ChinaDate(now) }, null));
    }

    public StepDto ReCheck(string id, WorkflowActor actor, string? opinion = null) => Issuer(id, StepKinds.ReCheck, actor, opinion);

    /// <summary>登记: allocates the 发文字号 (机关代字〔年份〕序号), gap-free per organ and year, at the organ's own node only.</summary>
    public StepDto Register(string id, WorkflowActor actor) => Issuer(id, StepKinds.Register, actor, null, (w, doc, now) =>
    {
        var organ = w.Get(OrgansTable.Name, OrgansTable.IdFor(store.NodeId)) is { Deleted: false } o ? OrganDirectory.FromRow(o) : null;
        if (organ is null) throw new OfficeForbiddenException(text["Wf_Err_NoOrgan"]);
        var year = (long)ChinaTime.ToChina(now).Year;
        var seq = w.Connection.ScalarLong(
            "SELECT COALESCE(MAX(doc_seq), 0) FROM documents WHERE origin = @me AND doc_prefix = @p AND doc_year = @y", w.Transaction,
            ("@me", store.NodeId), ("@p", organ.DocPrefix), ("@y", year)) + 1;
        var number = FormatNumber(organ.DocPrefix, year, seq);
        return (new JsonObject { ["doc_prefix"] = organ.DocPrefix, ["doc_year"] = year, ["doc_seq"] = seq, ["doc_number"] = number },
            new JsonObject { ["number"] = number }.ToJsonString());
    });

    /// <summary>印制: renders the final document (GB/T 9704-2012) and stores the PDF so it syncs.</summary>
    public StepDto Print(string id, WorkflowActor actor)
    {
        if (renderer is null) throw new OfficeForbiddenException(text["Wf_Err_NoRenderer"]);
        return Issuer(id, StepKinds.Print, actor, null, (w, doc, now) =>
        {
            var printedDate = ChinaDate(now);
            var final = doc.Clone();
            final.Data["printed_date"] = printedDate;
            var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
            var printable = Printable(w.Connection, w.Transaction, final, steps);
            var pdf = renderer.RenderPdf(printable);
            var name = (doc.Text("doc_number") ?? doc.Text("title") ?? "document") + ".pdf";
            w.Insert(FilesTable.Name, FileRow(doc, FilesTable.KindPdf, 0, name, "application/pdf", pdf, now));
            return (new JsonObject { ["printed_date"] = printedDate }, new JsonObject { ["sha256"] = Hex(pdf), ["size"] = pdf.Length }.ToJsonString());
        });
    }

    /// <summary>用印: applies the e-seal to the final content, PDF and attachments, in the same transaction as the step.</summary>
    public StepDto Seal(string id, WorkflowActor actor, string? sealId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (seals is null) throw new OfficeForbiddenException(text["Wf_Err_NoSeals"]);
        if (string.IsNullOrWhiteSpace(sealId)) throw Invalid("sealId", text["Wf_Val_SealRequired"]);
        return Issuer(id, StepKinds.Seal, actor, null, (w, doc, _) =>
        {
            var subject = Subject(w.Connection, w.Transaction, doc);
            var use = seals.Apply(w, sealId, subject, actor.Username);
            return (null, new JsonObject { ["sealId"] = use.SealId, ["sealName"] = use.SealName, ["useId"] = use.Id, ["digest"] = use.DigestHex }.ToJsonString());
        });
    }

    public StepDto Dispatch(string id, WorkflowActor actor) => Issuer(id, StepKinds.Dispatch, actor, null);

    /// <summary>会签 by a co-issuing organ's leader, at that organ's node.</summary>
    public StepDto CounterSign(string id, WorkflowActor actor, bool agree, string? opinion)
    {
        RequireRole(StepKinds.CounterSign, actor);
        if (!agree && string.IsNullOrWhiteSpace(opinion)) throw Invalid("opinion", text["Wf_Val_ReasonRequired"]);
        return store.Transact(w =>
        {
            var doc = LoadDoc(w, id);
            var me = store.NodeId;
            if (doc.Origin == me || !WorkflowData.CoIssuers(doc).Contains(me)) throw new OfficeForbiddenException(text["Wf_Err_NotCoIssuer"]);
            var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
            var state = WorkflowData.StateOf(doc, steps);
            if (state != OutgoingState.CounterSign || CounterSignedThisRound(doc, steps).Contains(me))
            {
                throw new OfficeForbiddenException(text["Wf_Err_StepOrder", StateLabel(state), KindLabel(StepKinds.CounterSign)]);
            }
            var now = Now();
            var opinionText = string.IsNullOrWhiteSpace(opinion) ? text["Wf_DefaultAgree"].Value : opinion.Trim();
            var row = AppendStep(w, doc, StepKinds.CounterSign, actor, me, opinionText, new JsonObject { ["agree"] = agree }.ToJsonString(), now);
            return StepDto.From(WorkflowData.ToStep(row));
        });
    }

    // ---------------------------------------------------------------- incoming (收文)

    public StepDto SignFor(string id, WorkflowActor actor) => Addressee(id, StepKinds.SignFor, actor, null, null);

    public StepDto RegisterIncoming(string id, WorkflowActor actor) => Addressee(id, StepKinds.InRegister, actor, null, null);

    /// <summary>
    /// 初审 after 登记: is the document for us, does it follow the sending and format rules. Passing leads on to 拟办, 批办
    /// or 承办; with <paramref name="agree"/> false the document is returned to the sender (退文) with the reason in
    /// <paramref name="opinion"/> (required), which ends it here. The step reaches the sender like the receipts, and the
    /// sending organ gets a notice, written in the same transaction.
    /// </summary>
    public StepDto Screen(string id, WorkflowActor actor, bool agree, string? opinion)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!agree && string.IsNullOrWhiteSpace(opinion)) throw Invalid("opinion", text["Wf_Val_RejectReasonRequired"]);
        var data = new JsonObject { ["agree"] = agree }.ToJsonString();
        if (agree) return Addressee(id, StepKinds.Screen, actor, opinion, data);
        var from = organs.NameOf(store.NodeId);
        return Addressee(id, StepKinds.Screen, actor, opinion, data, (w, doc) => NotifyRejected(w, doc, from, opinion!.Trim(), actor));
    }

    /// <summary>拟办: the office proposes how the document should be handled (required text).</summary>
    public StepDto Propose(string id, WorkflowActor actor, string? opinion)
    {
        if (string.IsNullOrWhiteSpace(opinion)) throw Invalid("opinion", text["Wf_Val_ProposalRequired"]);
        return Addressee(id, StepKinds.Propose, actor, opinion.Trim(), null);
    }

    /// <summary>批办: the leader's instruction on the document (required text).</summary>
    public StepDto Instruct(string id, WorkflowActor actor, string? opinion)
    {
        if (string.IsNullOrWhiteSpace(opinion)) throw Invalid("opinion", text["Wf_Val_InstructionRequired"]);
        return Addressee(id, StepKinds.Instruct, actor, opinion.Trim(), null);
    }

    /// <summary>Tells the sending organ that this node returned its document at 初审 (stored text: default language).</summary>
    private void NotifyRejected(ILocalWrite w, SyncRow doc, string from, string reason, WorkflowActor actor)
    {
        if (notices is null) return;
        using var culture = CultureScope.Use(CultureInfo.GetCultureInfo("zh-CN"));
        var title = doc.Text("title") ?? "";
        if (title.Length > 100) title = title[..99] + "…";
        notices.Send(w, new NoticeMessage(NoticeKinds.Notice, text["Wf_Notice_RejectedTitle", title, from], text["Wf_Notice_RejectedBody", reason],
            [doc.Origin], [], 1, "/documents/" + doc.Id, doc.Id), actor.Username);
    }

    /// <summary>承办: a handler at this node (an account of this unit) and an optional deadline.</summary>
    public StepDto Assign(string id, WorkflowActor actor, string? handler, string? deadline, string? opinion = null)
    {
        if (string.IsNullOrWhiteSpace(handler)) throw Invalid("handler", text["Wf_Val_HandlerRequired"]);
        DateOnly? due = null;
        if (!string.IsNullOrWhiteSpace(deadline))
        {
            if (!DateOnly.TryParseExact(deadline.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                throw Invalid("deadline", text["Wf_Val_Deadline"]);
            }
            due = d;
        }
        var name = UserName(handler.Trim()) ?? throw Invalid("handler", text["Wf_Val_HandlerUnknown", handler.Trim()]);
        var data = new JsonObject { ["handler"] = handler.Trim(), ["handlerName"] = name };
        if (due is { } dd) data["deadline"] = dd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Addressee(id, StepKinds.Assign, actor, opinion, data.ToJsonString());
    }

    /// <summary>传阅: the accounts that should read the document; each marks it read.</summary>
    public StepDto Circulate(string id, WorkflowActor actor, IReadOnlyCollection<string>? readers)
    {
        var list = (readers ?? []).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) throw Invalid("readers", text["Wf_Val_ReadersRequired"]);
        if (list.FirstOrDefault(r => UserName(r) is null) is { } unknown) throw Invalid("readers", text["Wf_Val_HandlerUnknown", unknown]);
        return Addressee(id, StepKinds.Circulate, actor, null, new JsonObject { ["readers"] = new JsonArray([.. list.Select(r => (JsonNode)r)]) }.ToJsonString());
    }

    /// <summary>阅毕: this user has read the circulated document.</summary>
    public StepDto MarkRead(string id, WorkflowActor actor) => Addressee(id, StepKinds.Read, actor, null, null);

    /// <summary>催办: at the recipient (chasing its handler) or, with <paramref name="recipient"/>, by the sender chasing a recipient organ.</summary>
    public StepDto Remind(string id, WorkflowActor actor, string? note, string? recipient = null)
    {
        RequireRole(StepKinds.Remind, actor);
        var doc = store.Get(DocumentsTable.Name, id);
        if (doc is not null && doc.Origin == store.NodeId)
        {
            if (string.IsNullOrWhiteSpace(recipient)) throw Invalid("recipient", text["Wf_Val_RecipientRequired"]);
            return store.Transact(w =>
            {
                var d = LoadDoc(w, id);
                var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
                if (WorkflowData.StateOf(d, steps) != OutgoingState.Dispatched) throw new OfficeForbiddenException(text["Wf_Err_NotDispatched"]);
                if (!Addressees(w.Connection, w.Transaction, d).Any(a => a.Code == recipient)) throw Invalid("recipient", text["Wf_Val_RecipientRequired"]);
                var there = WorkflowRules.Incoming(recipient, steps);
                if (there == IncomingState.Replied) throw new OfficeForbiddenException(text["Wf_Err_AlreadyReplied"]);
                if (there == IncomingState.Rejected) throw new OfficeForbiddenException(text["Wf_Err_Rejected"]);
                var row = AppendStep(w, d, StepKinds.Remind, actor, recipient, note, null, Now());
                return StepDto.From(WorkflowData.ToStep(row));
            });
        }
        return Addressee(id, StepKinds.Remind, actor, note, null);
    }

    /// <summary>The <c>auto</c> value of a system 催办 written because the deadline nears.</summary>
    public const string AutoNear = "near";

    /// <summary>The <c>auto</c> value of a system 催办 written because the deadline has passed.</summary>
    public const string AutoOverdue = "overdue";

    /// <summary>
    /// 自动催办 at this node: for every document addressed to this node that is in handling with a deadline (the latest
    /// 承办 here), appends one 催办 step by "system" and notifies the handler when the deadline nears (within
    /// <see cref="DocumentReminderOptions.Lead"/> of the end of the deadline day, China time), and one more, with an
    /// SMS, once it has passed. The key (<c>{"auto":"near","deadline":"2026-12-01"}</c>) is in the step's data and is
    /// checked in the same transaction as the write, so each level is written at most once per document and deadline;
    /// a new deadline (a new 承办) gets its own. Only this node's own receipts are looked at. Returns the steps written.
    /// </summary>
    public int RunDeadlineReminders()
    {
        using var audit = AuditActor.Use("document-reminders");
        // The step's note and the notice are stored text: written in the default language whatever the thread's.
        using var culture = CultureScope.Use(CultureInfo.GetCultureInfo("zh-CN"));
        var me = store.NodeId;
        var lead = (reminderOptions?.Value ?? new DocumentReminderOptions()).Lead;
        var written = 0;
        foreach (var id in AssignedHere())
        {
            var now = time.GetUtcNow();
            using (var conn = store.OpenConnection())
            {
                if (DueReminder(WorkflowData.Steps(conn, null, id), me, now, lead) is null) continue;
            }
            written += store.Transact(w =>
            {
                var doc = w.Get(DocumentsTable.Name, id);
                if (doc is null || doc.Deleted || doc.Origin == me) return 0;
                var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
                if (WorkflowData.StateOf(doc, steps) != OutgoingState.Dispatched) return 0;
                if (!Addressees(w.Connection, w.Transaction, doc).Any(a => a.Code == me)) return 0;
                if (DueReminder(steps, me, now, lead) is not { } due) return 0;
                var data = new JsonObject { ["auto"] = due.Level, ["deadline"] = due.Deadline }.ToJsonString();
                AppendStep(w, doc, StepKinds.Remind, WorkflowActor.System, me, AutoReminderNote(data, text), data, Iso(now));
                if (notices is not null && due.Handler is { Length: > 0 } handler)
                {
                    var title = doc.Text("title") ?? "";
                    if (title.Length > 100) title = title[..99] + "…";
                    var overdue = due.Level == AutoOverdue;
                    notices.Send(w, new NoticeMessage(NoticeKinds.Reminder, text[overdue ? "Wf_Notice_OverdueTitle" : "Wf_Notice_NearTitle", title],
                        text["Wf_Notice_Body", DeadlineText(due.Date)], [], [handler], overdue ? 1 : 0, "/documents/" + id, id, Sms: overdue),
                        WorkflowActor.System.Username);
                }
                return 1;
            });
        }
        return written;
    }

    /// <summary>The note of an automatic 催办 in the current UI language (from its data); null for any other step data.</summary>
    public static string? AutoReminderNote(string? data, IStringLocalizer<WorkflowText> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var level = ReadData(data, "auto");
        if (level is not (AutoNear or AutoOverdue)) return null;
        if (!DateOnly.TryParseExact(ReadData(data, "deadline"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return null;
        return text[level == AutoNear ? "Wf_Auto_Near" : "Wf_Auto_Overdue", DeadlineText(date)];
    }

    private static string DeadlineText(DateOnly date) =>
        date.ToString(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? "yyyy年M月d日" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Documents with a 承办 recorded at this node for itself and no 答复 here yet.</summary>
    private List<string> AssignedHere()
    {
        var list = new List<string>();
        using var conn = store.OpenConnection();
        using var cmd = conn.Command("""
            SELECT DISTINCT s.document_id FROM document_steps s
            WHERE s.deleted = 0 AND s.kind = @assign AND s.recipient = @me AND s.node = @me
              AND NOT EXISTS (SELECT 1 FROM document_steps r WHERE r.document_id = s.document_id AND r.deleted = 0
                              AND r.kind = @reply AND r.recipient = @me AND r.node = @me)
            ORDER BY s.document_id
            """, null, ("@assign", StepKinds.Assign), ("@reply", StepKinds.Reply), ("@me", store.NodeId));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    private sealed record DueReminderLevel(string Level, string Deadline, DateOnly Date, string? Handler);

    /// <summary>The automatic 催办 due now at <paramref name="me"/>, or null when none is due or it is already written.</summary>
    private static DueReminderLevel? DueReminder(List<StepRecord> steps, string me, DateTimeOffset now, TimeSpan lead)
    {
        if (WorkflowRules.Incoming(me, steps) != IncomingState.InHandling) return null;
        var (handler, deadline) = AssignData(steps.LastOrDefault(s => s.Kind == StepKinds.Assign && s.Recipient == me && s.Node == me));
        if (!DateOnly.TryParseExact(deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return null;
        var end = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset);
        var level = now >= end ? AutoOverdue : now >= end - lead ? AutoNear : null;
        if (level is null) return null;
        bool Done(string l) => steps.Any(s => s.Kind == StepKinds.Remind && s.Node == me && s.Recipient == me
                                              && ReadData(s.Data, "auto") == l && ReadData(s.Data, "deadline") == deadline);
        if (Done(level) || (level == AutoNear && Done(AutoOverdue))) return null;
        return new DueReminderLevel(level, deadline!, date, handler);
    }

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>答复 (办结): the handler (or the office) tells the sender the result.</summary>
    public StepDto Reply(string id, WorkflowActor actor, string? opinion)
    {
        if (string.IsNullOrWhiteSpace(opinion)) throw Invalid("opinion", text["Wf_Val_ReplyRequired"]);
        return Addressee(id, StepKinds.Reply, actor, opinion.Trim(), null);
    }

    /// <summary>Runs an action by its step kind (the API's POST /api/documents/{id}/workflow/{action}).</summary>
    public StepDto Execute(string id, string action, WorkflowActor actor, WorkflowActionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return action switch
        {
            StepKinds.Submit => Submit(id, actor, input.Opinion),
            StepKinds.Approve => Approve(id, actor, input.Opinion),
            StepKinds.Return => Return(id, actor, input.Opinion),
            StepKinds.CounterSign => CounterSign(id, actor, input.Agree ?? true, input.Opinion),
            StepKinds.SignOff => SignOff(id, actor, input.Opinion),
            StepKinds.ReCheck => ReCheck(id, actor, input.Opinion),
            StepKinds.Register => Register(id, actor),
            StepKinds.Print => Print(id, actor),
            StepKinds.Seal => Seal(id, actor, input.SealId),
            StepKinds.Dispatch => Dispatch(id, actor),
            StepKinds.SignFor => SignFor(id, actor),
            StepKinds.InRegister => RegisterIncoming(id, actor),
            StepKinds.Screen => Screen(id, actor, input.Agree ?? true, input.Opinion),
            StepKinds.Propose => Propose(id, actor, input.Opinion),
            StepKinds.Instruct => Instruct(id, actor, input.Opinion),
            StepKinds.Assign => Assign(id, actor, input.Handler, input.Deadline, input.Opinion),
            StepKinds.Circulate => Circulate(id, actor, input.Readers),
            StepKinds.Read => MarkRead(id, actor),
            StepKinds.Remind => Remind(id, actor, input.Opinion, input.Recipient),
            StepKinds.Reply => Reply(id, actor, input.Opinion),
            _ => throw Invalid("action", text["Wf_Val_UnknownAction", action, string.Join(", ", StepKinds.Actions)]),
        };
    }

    // ---------------------------------------------------------------- files

    /// <summary>Adds an attachment (附件) while the content may still change; at most 10 MB each.</summary>
    public FileDto AddAttachment(string id, WorkflowActor actor, string? name, string? contentType, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireRole(StepKinds.Submit, actor);
        var clean = Path.GetFileName((name ?? "").Trim());
        if (clean.Length == 0 || clean.Length > 200) throw Invalid("name", text["Wf_Val_FileName"]);
        if (data.Length == 0) throw Invalid("file", text["Wf_Val_FileEmpty"]);
        if (data.Length > MaxAttachmentBytes) throw Invalid("file", text["Wf_Val_FileTooLarge", clean, MaxAttachmentBytes / 1024 / 1024]);
        var type = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType.Trim();
        return store.Transact(w =>
        {
            var doc = EditableOwnDoc(w, id, actor);
            var count = w.Connection.ScalarLong("SELECT COUNT(*) FROM document_files WHERE document_id = @d AND kind = @k AND deleted = 0",
                w.Transaction, ("@d", id), ("@k", FilesTable.KindAttachment));
            if (count >= MaxAttachments) throw Invalid("file", text["Wf_Val_TooManyFiles", MaxAttachments]);
            var ordinal = w.Connection.ScalarLong("SELECT COALESCE(MAX(ordinal), 0) FROM document_files WHERE document_id = @d AND kind = @k",
                w.Transaction, ("@d", id), ("@k", FilesTable.KindAttachment)) + 1;
            var row = w.Insert(FilesTable.Name, FileRow(doc, FilesTable.KindAttachment, ordinal, clean, type, data, Now()));
            return ToFile(row);
        });
    }

    public bool RemoveAttachment(string id, string fileId, WorkflowActor actor)
    {
        RequireRole(StepKinds.Submit, actor);
        return store.Transact(w =>
        {
            var file = w.Get(FilesTable.Name, fileId);
            if (file is null || file.Deleted || file.Text("document_id") != id || file.Text("kind") != FilesTable.KindAttachment) return false;
            EditableOwnDoc(w, id, actor);
            return w.Delete(FilesTable.Name, fileId);
        });
    }

    public IReadOnlyList<FileDto> Files(string id)
    {
        using var conn = store.OpenConnection();
        return LiveFiles(conn, null, id).Select(ToFile).ToList();
    }

    /// <summary>A file's bytes (null when absent).</summary>
    public (FileDto File, byte[] Data)? FileContent(string id, string fileId)
    {
        var row = store.Get(FilesTable.Name, fileId);
        if (row is null || row.Deleted || row.Text("document_id") != id) return null;
        return (ToFile(row), Convert.FromBase64String(row.Text("data") ?? ""));
    }

    /// <summary>The printed PDF (the latest one), if any.</summary>
    public (FileDto File, byte[] Data)? Pdf(string id)
    {
        using var conn = store.OpenConnection();
        var row = LiveFiles(conn, null, id).LastOrDefault(f => f.Text("kind") == FilesTable.KindPdf);
        return row is null ? null : (ToFile(row), Convert.FromBase64String(row.Text("data") ?? ""));
    }

    // ---------------------------------------------------------------- views

    public IReadOnlyList<StepDto> Steps(string id)
    {
        using var conn = store.OpenConnection();
        return WorkflowData.Steps(conn, null, id).Select(StepDto.From).ToList();
    }

    /// <summary>The document with its workflow as this user sees it at this node; null when absent.</summary>
    public WorkflowViewDto? View(string id, WorkflowActor? actor)
    {
        if (!Guid.TryParse(id, out _)) return null;
        var doc = store.Get(DocumentsTable.Name, id);
        if (doc is null || doc.Deleted) return null;
        using var conn = store.OpenConnection();
        var steps = WorkflowData.Steps(conn, null, id);
        var state = WorkflowData.StateOf(doc, steps);
        var me = store.NodeId;
        var addressees = Addressees(conn, null, doc);
        var statuses = addressees.Select(a => RecipientStatus(a.Code, a.Name, a.Copy, state, steps)).ToList();
        string? incoming = null;
        if (state == OutgoingState.Dispatched && addressees.Any(a => a.Code == me)) incoming = WorkflowRules.Incoming(me, steps).ToString();
        var files = LiveFiles(conn, null, id).Select(ToFile).ToList();
        var seal = SealStatus(conn, doc, steps);
        return new WorkflowViewDto
        {
            Document = WithState(DocumentService.ToDto(doc), state),
            State = state.ToString(),
            Steps = steps.Select(StepDto.From).ToList(),
            Recipients = statuses,
            Files = files,
            Seal = seal,
            Actions = actor is null ? [] : ActionsFor(doc, steps, state, actor, incoming),
            IncomingState = incoming,
            CounterSigned = [.. CounterSignedThisRound(doc, steps)],
            OrganName = organs.Get(doc.Origin)?.Name,
        };
    }

    /// <summary>The 收文 inbox: documents dispatched (核发) to this node, newest first.</summary>
    public IReadOnlyList<InboxItemDto> Inbox(WorkflowActor? actor = null)
    {
        var me = store.NodeId;
        var t = DocumentsTable.Definition;
        using var conn = store.OpenConnection();
        var docs = new List<SyncRow>();
        using (var cmd = conn.Command($"""
            SELECT {RowIo.SelectList(t)} FROM documents
            WHERE deleted = 0 AND origin <> @me AND wf_state = @dispatched
              AND (recipients = '*' OR recipients LIKE @like OR copy_to = '*' OR copy_to LIKE @like)
            """, null, ("@me", me), ("@dispatched", nameof(OutgoingState.Dispatched)), ("@like", "%|" + me + "|%")))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) docs.Add(RowIo.ReadRow(t, r));
        }
        var steps = WorkflowData.StepsOf(conn, docs.Select(d => d.Id).ToList());
        var known = organs.All();
        var towns = TownshipNames(conn);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(time.GetUtcNow()).DateTime);
        var items = new List<InboxItemDto>();
        foreach (var doc in docs)
        {
            var list = steps.GetValueOrDefault(doc.Id) ?? [];
            if (WorkflowData.StateOf(doc, list) != OutgoingState.Dispatched) continue;
            var dispatched = list.LastOrDefault(s => s.Kind == StepKinds.Dispatch && s.Node == doc.Origin);
            var state = WorkflowRules.Incoming(me, list);
            var assign = list.LastOrDefault(s => s.Kind == StepKinds.Assign && s.Recipient == me && s.Node == me);
            var (handler, deadline) = AssignData(assign);
            var near = deadline is { } dl && state is not (IncomingState.Replied or IncomingState.Rejected) &&
                       DateOnly.TryParseExact(dl, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due) && due <= today.AddDays(2);
            items.Add(new InboxItemDto
            {
                DocumentId = doc.Id,
                Title = doc.Text("title") ?? "",
                DocNumber = doc.Text("doc_number"),
                DocType = doc.Text("doc_type") ?? "",
                Urgency = doc.Text("urgency") ?? Urgency.Normal,
                Origin = doc.Origin,
                OriginName = known.TryGetValue(doc.Origin, out var o) ? o.Name : towns.GetValueOrDefault(doc.Origin, doc.Origin),
                Copy = !IsMain(doc, me),
                State = state.ToString(),
                DispatchedUtc = dispatched?.AtUtc ?? DateTimeOffset.MinValue,
                Handler = handler,
                Deadline = deadline,
                DeadlineNear = near,
                ToReadByMe = actor is not null && ToRead(list, me, actor.Username),
            });
        }
        return items.OrderByDescending(i => i.DispatchedUtc).ThenBy(i => i.DocumentId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Builds what a seal protects: canonical UTF-8 JSON of the final fields (keys in a fixed order), the stored PDF
    /// and the attachments in order. The same document gives the same bytes on every node.
    /// </summary>
    public SealSubject Subject(DbConnection conn, DbTransaction? tx, SyncRow doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var files = LiveFiles(conn, tx, doc.Id);
        var pdf = files.LastOrDefault(f => f.Text("kind") == FilesTable.KindPdf);
        var attachments = files.Where(f => f.Text("kind") == FilesTable.KindAttachment)
            .Select(f => new SealedAttachment(f.Text("name") ?? "", Convert.FromBase64String(f.Text("data") ?? ""))).ToList();
        return new SealSubject(doc.Id, CanonicalContent(doc), pdf is null ? [] : Convert.FromBase64String(pdf.Text("data") ?? ""), attachments);
    }

    /// <summary>The document's final fields as canonical JSON (sorted keys, no whitespace).</summary>
    public static byte[] CanonicalContent(SyncRow doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var fields = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["body"] = doc.Text("body") ?? "",
            ["co_issuers"] = doc.Text("co_issuers") ?? "",
            ["copy_to"] = doc.Text("copy_to") ?? "",
            ["date_written"] = doc.Text("date_written"),
            ["doc_number"] = doc.Text("doc_number"),
            ["doc_type"] = doc.Text("doc_type"),
            ["id"] = doc.Id,
            ["note"] = doc.Text("note"),
            ["organ"] = doc.Origin,
            ["printed_date"] = doc.Text("printed_date"),
            ["recipients"] = doc.Text("recipients") ?? "",
            ["secrecy"] = doc.Text("secrecy") ?? "",
            ["signers"] = doc.Text("signers"),
            ["title"] = doc.Text("title"),
            ["urgency"] = doc.Text("urgency"),
        };
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (key, value) in fields)
            {
                if (value is null) json.WriteNull(key);
                else json.WriteString(key, value);
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Counts for the home page: what waits for this user at this node.</summary>
    public WorkCounts Counts(WorkflowActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var me = store.NodeId;
        var t = DocumentsTable.Definition;
        var docs = new List<SyncRow>();
        using var conn = store.OpenConnection();
        using (var cmd = conn.Command($"""
            SELECT {RowIo.SelectList(t)} FROM documents
            WHERE deleted = 0 AND ((origin = @me AND wf_state IN ('InReview', 'CounterSign', 'AwaitingSignOff', 'Printed')) OR co_issuers LIKE @like)
            """, null, ("@me", me), ("@like", "%|" + me + "|%")))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) docs.Add(RowIo.ReadRow(t, r));
        }
        var steps = WorkflowData.StepsOf(conn, docs.Select(d => d.Id).ToList());
        int review = 0, sign = 0, seal = 0;
        foreach (var doc in docs)
        {
            var list = steps.GetValueOrDefault(doc.Id) ?? [];
            var state = WorkflowData.StateOf(doc, list);
            if (doc.Origin == me)
            {
                if (state == OutgoingState.InReview && actor.HasAny(WorkflowRules.RolesFor(StepKinds.Approve))) review++;
                if (state == OutgoingState.AwaitingSignOff && actor.HasAny(WorkflowRules.RolesFor(StepKinds.SignOff))) sign++;
                if (state == OutgoingState.Printed && actor.HasAny(WorkflowRules.RolesFor(StepKinds.Seal))) seal++;
            }
            else if (state == OutgoingState.CounterSign && !CounterSignedThisRound(doc, list).Contains(me) &&
                     actor.HasAny(WorkflowRules.RolesFor(StepKinds.CounterSign)))
            {
                sign++;
            }
        }
        var inbox = Inbox(actor);
        var clerk = actor.HasAny(WorkflowRules.RolesFor(StepKinds.SignFor));
        var signFor = clerk ? inbox.Count(i => i.State == nameof(IncomingState.Delivered)) : 0;
        var handle = inbox.Count(i => (i.State == nameof(IncomingState.InHandling) && i.Handler == actor.Username) || i.ToReadByMe
                                      || (clerk && i.State is nameof(IncomingState.SignedFor) or nameof(IncomingState.Registered)
                                          or nameof(IncomingState.Screened) or nameof(IncomingState.Proposed) or nameof(IncomingState.Instructed)));
        var near = inbox.Count(i => i.DeadlineNear && (clerk || i.Handler == actor.Username));
        return new WorkCounts(review, sign, seal, signFor, handle, near);
    }

    // ---------------------------------------------------------------- internals

    /// <summary>Appends one step row (never updated) about <paramref name="doc"/>.</summary>
    public static SyncRow AppendStep(ILocalWrite w, SyncRow doc, string kind, WorkflowActor actor, string? recipient, string? opinion, string? data, string now)
    {
        var audience = recipient is null || kind == StepKinds.CounterSign ? DocumentsTable.Scope(doc) : Scopes.Of([doc.Origin, recipient]);
        return w.Insert(StepsTable.Name, new JsonObject
        {
            ["document_id"] = doc.Id,
            ["doc_origin"] = doc.Origin,
            ["audience"] = audience,
            ["kind"] = kind,
            ["recipient"] = recipient,
            ["node"] = w.NodeId,
            ["actor"] = actor.Username,
            ["actor_name"] = actor.DisplayName,
            ["at_utc"] = now,
            ["opinion"] = string.IsNullOrWhiteSpace(opinion) ? null : opinion.Trim(),
            ["data"] = data,
        });
    }

    private StepDto Issuer(string id, string kind, WorkflowActor actor, string? opinion,
        Func<ILocalWrite, SyncRow, DateTimeOffset, (JsonObject? Changes, string? Data)>? extra = null)
    {
        RequireRole(kind, actor);
        return store.Transact(w =>
        {
            var doc = LoadDoc(w, id);
            if (doc.Origin != store.NodeId) throw new OfficeForbiddenException(text["Wf_Err_IssuerOnly"]);
            if (!WorkflowData.IsUnclassified(doc.Text("secrecy"))) throw new OfficeForbiddenException(text["Wf_Val_Classified", doc.Text("secrecy") ?? ""]);
            var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
            var state = WorkflowData.StateOf(doc, steps);
            var next = WorkflowRules.Next(state, kind, WorkflowData.CoIssuers(doc).Count > 0)
                       ?? throw new OfficeForbiddenException(text["Wf_Err_StepOrder", StateLabel(state), KindLabel(kind)]);
            var at = time.GetUtcNow();
            var now = Iso(at);
            var (changes, data) = extra?.Invoke(w, doc, at) ?? (null, null);
            changes ??= [];
            changes["wf_state"] = next.ToString();
            changes["updated_utc"] = now;
            var updated = w.Update(DocumentsTable.Name, id, changes)!;
            var row = AppendStep(w, updated, kind, actor, null, opinion, data, now);
            return StepDto.From(WorkflowData.ToStep(row));
        });
    }

    private StepDto Addressee(string id, string kind, WorkflowActor actor, string? opinion, string? data, Action<ILocalWrite, SyncRow>? after = null)
    {
        if (kind != StepKinds.Reply && kind != StepKinds.Read) RequireRole(kind, actor);
        return store.Transact(w =>
        {
            var doc = LoadDoc(w, id);
            var me = store.NodeId;
            if (doc.Origin == me || !Addressees(w.Connection, w.Transaction, doc).Any(a => a.Code == me))
            {
                throw new OfficeForbiddenException(text["Wf_Err_NotAddressed"]);
            }
            var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
            if (WorkflowData.StateOf(doc, steps) != OutgoingState.Dispatched) throw new OfficeForbiddenException(text["Wf_Err_NotDispatched"]);
            var state = WorkflowRules.Incoming(me, steps);
            var ok = WorkflowRules.NextIncoming(state, kind, data) is not null || WorkflowRules.SideStepAllowed(state, kind);
            if (!ok) throw new OfficeForbiddenException(text["Wf_Err_StepOrder", IncomingLabel(state), KindLabel(kind)]);
            if (WorkflowRules.NeedsScreening(state, kind)) throw new OfficeForbiddenException(text["Wf_Err_ScreenFirst"]);
            if (kind == StepKinds.Read)
            {
                if (!ToRead(steps, me, actor.Username)) throw new OfficeForbiddenException(text["Wf_Err_NotCirculatedToYou"]);
            }
            if (kind == StepKinds.Reply)
            {
                var (handler, _) = AssignData(steps.LastOrDefault(s => s.Kind == StepKinds.Assign && s.Recipient == me && s.Node == me));
                if (handler != actor.Username && !actor.HasAny(WorkflowRules.RolesFor(StepKinds.Reply))) throw Denied(kind);
            }
            var row = AppendStep(w, doc, kind, actor, me, opinion, data, Now());
            after?.Invoke(w, doc);
            return StepDto.From(WorkflowData.ToStep(row));
        });
    }

    private SyncRow LoadDoc(ILocalWrite w, string id)
    {
        var doc = Guid.TryParse(id, out _) ? w.Get(DocumentsTable.Name, id) : null;
        return doc is null || doc.Deleted ? throw new WorkflowNotFoundException(text["Wf_Err_NotFound"]) : doc;
    }

    private SyncRow EditableOwnDoc(ILocalWrite w, string id, WorkflowActor actor)
    {
        var doc = LoadDoc(w, id);
        if (doc.Origin != store.NodeId) throw new OfficeForbiddenException(text["Wf_Err_IssuerOnly"]);
        var state = WorkflowData.StateOf(doc, WorkflowData.Steps(w.Connection, w.Transaction, id));
        if (!DocumentService.ContentEditable(state)) throw new OfficeForbiddenException(text["Wf_Err_NotEditable"]);
        if (state == OutgoingState.Signed)
        {
            var now = Now();
            AppendStep(w, doc, StepKinds.ReSign, actor, null, text["Wf_Step_EditedAfterSignOff"], null, now);
            w.Update(DocumentsTable.Name, id, new JsonObject { ["wf_state"] = nameof(OutgoingState.AwaitingSignOff), ["updated_utc"] = now });
        }
        return doc;
    }

    private void RequireRole(string kind, WorkflowActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.HasAny(WorkflowRules.RolesFor(kind))) throw Denied(kind);
    }

    private OfficeForbiddenException Denied(string kind) => new(text["Wf_Err_Role", KindLabel(kind)]);

    private static OfficeValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    private IReadOnlyList<string> ActionsFor(SyncRow doc, List<StepRecord> steps, OutgoingState state, WorkflowActor actor, string? incoming)
    {
        var me = store.NodeId;
        var list = new List<string>();
        if (doc.Origin == me)
        {
            var coIssued = WorkflowData.CoIssuers(doc).Count > 0;
            foreach (var kind in StepKinds.IssuerOnly)
            {
                if (WorkflowRules.Next(state, kind, coIssued) is null || !actor.HasAny(WorkflowRules.RolesFor(kind))) continue;
                if (kind == StepKinds.Print && renderer is null) continue;
                if (kind == StepKinds.Seal && seals is null) continue;
                list.Add(kind);
            }
            if (DocumentService.ContentEditable(state) && actor.HasAny(WorkflowRules.RolesFor(StepKinds.Submit))) list.AddRange(["edit", "attach"]);
            if (state == OutgoingState.Draft && doc.Integer("doc_seq") is null && actor.HasAny(WorkflowRules.RolesFor(StepKinds.Submit))) list.Add("delete");
            if (state == OutgoingState.Dispatched && actor.HasAny(WorkflowRules.RolesFor(StepKinds.Remind))) list.Add(StepKinds.Remind);
        }
        else if (state == OutgoingState.CounterSign && WorkflowData.CoIssuers(doc).Contains(me) && !CounterSignedThisRound(doc, steps).Contains(me)
                 && actor.HasAny(WorkflowRules.RolesFor(StepKinds.CounterSign)))
        {
            list.Add(StepKinds.CounterSign);
        }
        if (incoming is not null && Enum.TryParse<IncomingState>(incoming, out var inState))
        {
            foreach (var kind in StepKinds.Incoming)
            {
                var fits = WorkflowRules.NextIncoming(inState, kind) is not null || WorkflowRules.SideStepAllowed(inState, kind);
                if (!fits || WorkflowRules.NeedsScreening(inState, kind)) continue;
                if (kind == StepKinds.Read) { if (ToRead(steps, me, actor.Username)) list.Add(kind); continue; }
                if (kind == StepKinds.Reply)
                {
                    var (handler, _) = AssignData(steps.LastOrDefault(s => s.Kind == StepKinds.Assign && s.Recipient == me && s.Node == me));
                    if (handler == actor.Username || actor.HasAny(WorkflowRules.RolesFor(kind))) list.Add(kind);
                    continue;
                }
                if (actor.HasAny(WorkflowRules.RolesFor(kind))) list.Add(kind);
            }
        }
        return list;
    }

    /// <summary>Co-issuers that agreed since the last 核稿通过 (the current round of 会签).</summary>
    private static HashSet<string> CounterSignedThisRound(SyncRow doc, List<StepRecord> steps)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var co = WorkflowData.CoIssuers(doc);
        foreach (var s in steps.OrderBy(s => s.Hlc, StringComparer.Ordinal))
        {
            if (s.Node == doc.Origin && s.Kind is StepKinds.Approve or StepKinds.Return) set.Clear();
            else if (s.Kind == StepKinds.CounterSign && co.Contains(s.Node) && !WorkflowRules.IsDisagree(s.Data)) set.Add(s.Node);
        }
        return set;
    }

    private RecipientStatusDto RecipientStatus(string code, string name, bool copy, OutgoingState state, List<StepRecord> steps)
    {
        if (state != OutgoingState.Dispatched) return new RecipientStatusDto { Code = code, Name = name, Copy = copy, State = "NotDelivered" };
        var signed = steps.FirstOrDefault(s => s.Kind == StepKinds.SignFor && s.Recipient == code && s.Node == code);
        var reply = steps.LastOrDefault(s => s.Kind == StepKinds.Reply && s.Recipient == code && s.Node == code);
        var there = WorkflowRules.Incoming(code, steps);
        var rejected = there == IncomingState.Rejected
            ? steps.FirstOrDefault(s => WorkflowRules.IsRejection(s.Kind, s.Data) && s.Recipient == code && s.Node == code)
            : null;
        return new RecipientStatusDto
        {
            Code = code, Name = name, Copy = copy, State = there.ToString(),
            SignedForUtc = signed?.AtUtc, SignedForBy = signed?.ActorName ?? signed?.Actor, RepliedUtc = reply?.AtUtc, Reply = reply?.Opinion,
            RejectedUtc = rejected?.AtUtc, RejectedBy = rejected?.ActorName ?? rejected?.Actor, RejectReason = rejected?.Opinion,
        };
    }

    private SealStatusDto SealStatus(DbConnection conn, SyncRow doc, List<StepRecord> steps)
    {
        var step = steps.LastOrDefault(s => s.Kind == StepKinds.Seal && s.Node == doc.Origin);
        if (step is null) return new SealStatusDto { Sealed = false, Valid = false };
        var sealName = ReadData(step.Data, "sealName");
        if (seals is null)
        {
            return new SealStatusDto { Sealed = true, Valid = false, Reason = text["Wf_Err_NoSeals"], SealName = sealName, Signer = step.ActorName, Node = step.Node, AtUtc = step.AtUtc };
        }
        SealCheck check;
        try
        {
            check = seals.Verify(Subject(conn, null, doc));
        }
        catch (Exception ex) when (ex is OfficeValidationException or OfficeForbiddenException or InvalidOperationException or FormatException)
        {
            check = new SealCheck(true, false, ex.Message, null);
        }
        return new SealStatusDto
        {
            Sealed = check.Sealed, Valid = check.Valid, Reason = check.Reason, SealName = check.Use?.SealName ?? sealName,
            Signer = check.Use?.Signer ?? step.ActorName, Node = check.Use?.Node ?? step.Node, AtUtc = check.Use?.AtUtc ?? step.AtUtc,
        };
    }

    /// <summary>Every organ a document goes to: 主送 then 抄送 ("*" = every known organ but the sender).</summary>
    private List<(string Code, string Name, bool Copy)> Addressees(DbConnection conn, DbTransaction? tx, SyncRow doc)
    {
        var known = organs.All();
        var towns = TownshipNames(conn, tx);
        var everyone = known.Keys.Concat(towns.Keys).Append(NodeIds.Hub).Distinct(StringComparer.Ordinal).Where(c => c != doc.Origin)
            .Order(StringComparer.Ordinal).ToList();
        string NameOf(string c) => known.TryGetValue(c, out var o) ? o.Name : towns.GetValueOrDefault(c, c);
        var list = new List<(string, string, bool)>();
        void Add(string? stored, bool copy)
        {
            var codes = stored == Recipients.County ? everyone : Recipients.Decode(stored).Where(c => c != doc.Origin);
            foreach (var c in codes)
            {
                if (list.Any(x => x.Item1 == c)) continue;
                list.Add((c, NameOf(c), copy));
            }
        }
        Add(doc.Text("recipients"), false);
        Add(doc.Text("copy_to"), true);
        return list;
    }

    private static bool IsMain(SyncRow doc, string me)
    {
        var main = doc.Text("recipients");
        return main == Recipients.County || Recipients.Decode(main).Contains(me);
    }

    private static Dictionary<string, string> TownshipNames(DbConnection conn, DbTransaction? tx = null)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = conn.Command("SELECT code, name FROM townships WHERE deleted = 0", tx);
        using var r = cmd.ExecuteReader();
        while (r.Read()) map[r.GetString(0)] = r.GetString(1);
        return map;
    }

    private static bool ToRead(List<StepRecord> steps, string me, string username)
    {
        var circulated = steps.Any(s => s.Kind == StepKinds.Circulate && s.Recipient == me && s.Node == me && ReadList(s.Data, "readers").Contains(username));
        return circulated && !steps.Any(s => s.Kind == StepKinds.Read && s.Recipient == me && s.Node == me && s.Actor == username);
    }

    private static (string? Handler, string? Deadline) AssignData(StepRecord? assign) =>
        assign is null ? (null, null) : (ReadData(assign.Data, "handler"), ReadData(assign.Data, "deadline"));

    internal static string? ReadData(string? data, string key)
    {
        if (string.IsNullOrEmpty(data)) return null;
        try
        {
            return JsonNode.Parse(data) is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static IReadOnlyList<string> ReadList(string? data, string key)
    {
        if (string.IsNullOrEmpty(data)) return [];
        try
        {
            return JsonNode.Parse(data) is JsonObject o && o[key] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? "").ToList() : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private string? UserName(string username)
    {
        using var conn = store.OpenConnection();
        return conn.ScalarString("SELECT display_name FROM users WHERE username = @u AND deleted = 0 AND (disabled IS NULL OR disabled = 0)", null,
            ("@u", username));
    }

    private PrintableDocument Printable(DbConnection conn, DbTransaction? tx, SyncRow doc, List<StepRecord> steps)
    {
        var known = organs.All();
        var towns = TownshipNames(conn, tx);
        string NameOf(string c) => known.TryGetValue(c, out var o) ? o.Name : towns.GetValueOrDefault(c, c);
        var organ = known.GetValueOrDefault(doc.Origin);
        var direction = DocumentTypes.All.FirstOrDefault(t => t.Name == doc.Text("doc_type")).Direction;
        var coIssuers = WorkflowData.CoIssuers(doc);
        var signers = new List<string>();
        if (doc.Text("signers") is { Length: > 0 } s) signers.Add(s);
        signers.AddRange(steps.Where(x => x.Kind == StepKinds.CounterSign && coIssuers.Contains(x.Node) && !WorkflowRules.IsDisagree(x.Data))
            .Select(x => x.ActorName ?? x.Actor).Distinct(StringComparer.Ordinal));
        string Names(string? stored) => stored == Recipients.County ? text["Wf_WholeCounty"] : "";
        IReadOnlyList<string> List(string? stored) => stored == Recipients.County ? [Names(stored)] : Recipients.Decode(stored).Select(NameOf).ToList();
        var attachments = LiveFiles(conn, tx, doc.Id).Where(f => f.Text("kind") == FilesTable.KindAttachment).Select(f => f.Text("name") ?? "").ToList();
        var organName = organ?.Name ?? NameOf(doc.Origin);
        var banner = organ?.Banner ?? organName + "文件";
        var minutes = doc.Text("doc_type") == "纪要";
        return new PrintableDocument
        {
            Urgency = doc.Text("urgency") ?? Urgency.Normal,
            OrganBanner = minutes ? organName + "纪要" : banner,
            DocNumber = doc.Text("doc_number"),
            Signers = direction == DocDirection.Upward ? signers : [],
            Title = doc.Text("title") ?? "",
            MainRecipients = List(doc.Text("recipients")),
            Body = doc.Text("body") ?? "",
            AttachmentTitles = attachments,
            SignatureOrgan = string.Join("　", new[] { organName }.Concat(coIssuers.Select(NameOf))),
            DateWritten = ParseDate(doc.Text("date_written")),
            Note = doc.Text("note"),
            CopyTo = List(doc.Text("copy_to")),
            PrintedBy = organ?.Name ?? organName,
            PrintedDate = ParseDate(doc.Text("printed_date")),
            IsMinutes = minutes,
            Upward = direction == DocDirection.Upward,
        };
    }

    private static DateOnly ParseDate(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.MinValue;

    private static List<SyncRow> LiveFiles(DbConnection conn, DbTransaction? tx, string documentId)
    {
        var t = FilesTable.Definition;
        var list = new List<SyncRow>();
        using var cmd = conn.Command($"SELECT {RowIo.SelectList(t)} FROM document_files WHERE document_id = @d AND deleted = 0 ORDER BY kind, ordinal, hlc",
            tx, ("@d", documentId));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(RowIo.ReadRow(t, r));
        return list;
    }

    private static JsonObject FileRow(SyncRow doc, string kind, long ordinal, string name, string contentType, byte[] data, DateTimeOffset now) =>
        FileRow(doc, kind, ordinal, name, contentType, data, Iso(now));

    private static JsonObject FileRow(SyncRow doc, string kind, long ordinal, string name, string contentType, byte[] data, string now) => new()
    {
        ["document_id"] = doc.Id,
        ["audience"] = DocumentsTable.Scope(doc),
        ["kind"] = kind,
        ["ordinal"] = ordinal,
        ["name"] = name,
        ["content_type"] = contentType,
        ["size"] = (long)data.Length,
        ["sha256"] = Hex(data),
        ["data"] = Convert.ToBase64String(data),
        ["created_utc"] = now,
    };

    private static FileDto ToFile(SyncRow row) => new()
    {
        Id = row.Id,
        Kind = row.Text("kind") ?? "",
        Name = row.Text("name") ?? "",
        ContentType = row.Text("content_type") ?? "application/octet-stream",
        Size = row.Integer("size") ?? 0,
        Sha256 = row.Text("sha256") ?? "",
        Ordinal = row.Integer("ordinal") ?? 0,
    };

    private static DocumentDto WithState(DocumentDto dto, OutgoingState state) => new()
    {
        Id = dto.Id, Title = dto.Title, DocType = dto.DocType, Urgency = dto.Urgency, Body = dto.Body, Recipients = dto.Recipients,
        OriginNode = dto.OriginNode, CreatedUtc = dto.CreatedUtc, UpdatedUtc = dto.UpdatedUtc, Version = dto.Version, State = state.ToString(),
        Secrecy = dto.Secrecy, CoIssuers = dto.CoIssuers, CopyTo = dto.CopyTo, Note = dto.Note, DocNumber = dto.DocNumber, DocPrefix = dto.DocPrefix,
        DocYear = dto.DocYear, DocSeq = dto.DocSeq, Signers = dto.Signers, DateWritten = dto.DateWritten, PrintedDate = dto.PrintedDate,
    };

    public static string FormatNumber(string prefix, long year, long seq) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}〔{year}〕{seq}号");

    private string StateLabel(OutgoingState state) => text["Wf_State_" + state];

    private string IncomingLabel(IncomingState state) => text["Wf_In_" + state];

    private string KindLabel(string kind) => text["Wf_Kind_" + kind];

    private string Now() => Iso(time.GetUtcNow());

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string ChinaDate(DateTimeOffset utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}

/// <summary>What waits for one user at this node.</summary>
public sealed record WorkCounts(int ToReview, int ToSign, int ToSeal, int ToSignFor, int ToHandle, int DeadlineNear);
