using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Documents;

/// <summary>Official documents at this node: validation, queries and writes (captured for sync by the store).</summary>
public sealed class DocumentService(ILocalStore store, TimeProvider time, IStringLocalizer<Text> text, IStringLocalizer<WorkflowText>? workflowText = null)
{
    private readonly IStringLocalizer<WorkflowText> _wt = workflowText ?? WorkflowData.DefaultText;

    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxTitleLength = 200;

    public string NodeId => store.NodeId;

    public DocumentDto Create(DocumentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title)) errors["title"] = [text["Val_TitleRequired"]];
        else if (title.Length > MaxTitleLength) errors["title"] = [text["Val_TitleTooLong"]];
        var docType = DocumentTypes.Normalize(input.DocType);
        if (docType is null) errors["docType"] = [text["Val_DocTypeUnknown"]];
        var urgency = string.IsNullOrEmpty(input.Urgency) ? Urgency.Normal : input.Urgency;
        if (!Urgency.IsValid(urgency)) errors["urgency"] = [text["Val_UrgencyUnknown"]];
        CheckBody(input.Body, errors);
        var recipients = (input.Recipients ?? []).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        recipients.Remove(store.NodeId);
        if (Recipients.Validate(recipients) is { } bad) errors["recipients"] = [text["Val_Recipients", bad]];
        if (!WorkflowData.IsUnclassified(input.Secrecy)) errors["secrecy"] = [_wt["Wf_Val_Classified", input.Secrecy!.Trim()]];
        var coIssuers = Codes(input.CoIssuers);
        coIssuers.Remove(store.NodeId);
        if (coIssuers.Contains(Recipients.County) || Recipients.Validate(coIssuers) is not null) errors["coIssuers"] = [_wt["Wf_Val_CoIssuers"]];
        var copyTo = Codes(input.CopyTo);
        copyTo.Remove(store.NodeId);
        if (Recipients.Validate(copyTo) is { } badCopy) errors["copyTo"] = [text["Val_Recipients", badCopy]];
        if (input.Note?.Length > 500) errors["note"] = [_wt["Wf_Val_NoteTooLong"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);

        var now = Now();
        var row = store.Insert(DocumentsTable.Name, new JsonObject
        {
            ["title"] = title,
            ["doc_type"] = docType,
            ["urgency"] = urgency,
            ["body"] = input.Body ?? "",
            ["recipients"] = Recipients.Encode(recipients),
            ["created_utc"] = now,
            ["updated_utc"] = now,
            ["secrecy"] = "",
            ["co_issuers"] = Recipients.Encode(coIssuers),
            ["copy_to"] = Recipients.Encode(copyTo),
            ["note"] = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            ["wf_state"] = nameof(OutgoingState.Draft),
        });
        return ToDto(row);
    }

    private static List<string> Codes(List<string>? codes) =>
        (codes ?? []).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Edits a document of this node. Allowed while drafting and in review (核稿); after sign-off (签发) and before
    /// 复核 passes, an edit is substantive and sends the document back to the signer (a 退回签发人 step is recorded).
    /// </summary>
    public DocumentDto? Update(string id, DocumentUpdate update, WorkflowActor? actor = null)
    {
        ArgumentNullException.ThrowIfNull(update);
        var existing = Get(id);
        if (existing is null) return null;
        if (existing.OriginNode != store.NodeId) throw new OfficeForbiddenException(text["Val_NotOwner"]);
        var errors = new Dictionary<string, string[]>();
        var changes = new JsonObject();
        if (update.Title is not null)
        {
            var title = update.Title.Trim();
            if (title.Length == 0) errors["title"] = [text["Val_TitleRequired"]];
            else if (title.Length > MaxTitleLength) errors["title"] = [text["Val_TitleTooLong"]];
            changes["title"] = title;
        }
        if (update.Urgency is not null)
        {
            if (!Urgency.IsValid(update.Urgency)) errors["urgency"] = [text["Val_UrgencyUnknown"]];
            changes["urgency"] = update.Urgency;
        }
        if (update.Body is not null)
        {
            CheckBody(update.Body, errors);
            changes["body"] = update.Body;
        }
        if (update.Note is not null)
        {
            if (update.Note.Length > 500) errors["note"] = [_wt["Wf_Val_NoteTooLong"]];
            changes["note"] = update.Note.Trim();
        }
        if (!WorkflowData.IsUnclassified(update.Secrecy)) errors["secrecy"] = [_wt["Wf_Val_Classified", update.Secrecy!.Trim()]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        changes["updated_utc"] = Now();
        var row = store.Transact(w =>
        {
            var doc = w.Get(DocumentsTable.Name, id);
            if (doc is null || doc.Deleted) return null;
            var state = WorkflowData.StateOf(doc, WorkflowData.Steps(w.Connection, w.Transaction, id));
            if (!ContentEditable(state)) throw new OfficeForbiddenException(_wt["Wf_Err_NotEditable"]);
            if (state == OutgoingState.Signed)
            {
                // 复核: a substantive change after sign-off goes back to the signer.
                WorkflowService.AppendStep(w, doc, StepKinds.ReSign, actor ?? WorkflowActor.System, null, _wt["Wf_Step_EditedAfterSignOff"], null, Now());
                changes["wf_state"] = nameof(OutgoingState.AwaitingSignOff);
            }
            return w.Update(DocumentsTable.Name, id, changes);
        });
        return row is null ? null : ToDto(row);
    }

    /// <summary>States in which the content of a document may still change.</summary>
    public static bool ContentEditable(OutgoingState state) => state is OutgoingState.Draft or OutgoingState.InReview or OutgoingState.Signed;

    /// <summary>Deletes a draft of this node; a document that has entered the workflow (or holds a number) stays.</summary>
    public bool Delete(string id)
    {
        var existing = Get(id);
        if (existing is null) return false;
        if (existing.OriginNode != store.NodeId) throw new OfficeForbiddenException(text["Val_NotOwner"]);
        return store.Transact(w =>
        {
            var doc = w.Get(DocumentsTable.Name, id);
            if (doc is null || doc.Deleted) return false;
            var steps = WorkflowData.Steps(w.Connection, w.Transaction, id);
            if (WorkflowData.StateOf(doc, steps) != OutgoingState.Draft || doc.Integer("doc_seq") is not null)
            {
                throw new OfficeForbiddenException(_wt["Wf_Err_NotDeletable"]);
            }
            return w.Delete(DocumentsTable.Name, id);
        });
    }

    public DocumentDto? Get(string id)
    {
        if (!Guid.TryParse(id, out _)) return null;
        var row = store.Get(DocumentsTable.Name, id);
        return row is null || row.Deleted ? null : ToDto(row);
    }

    public DocumentPage List(DocumentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 500);
        var offset = Math.Max(0, query.Offset);
        var where = new StringBuilder("deleted = 0");
        var args = new List<(string, object?)>();
        if (!string.IsNullOrEmpty(query.OriginNode))
        {
            where.Append(" AND origin = @origin");
            args.Add(("@origin", query.OriginNode));
        }
        if (query.Box != DocumentBox.All)
        {
            where.Append(query.Box == DocumentBox.Sent ? " AND origin = @me" : " AND origin <> @me");
            args.Add(("@me", store.NodeId));
        }
        if (!string.IsNullOrEmpty(query.State))
        {
            where.Append(" AND wf_state = @state");
            args.Add(("@state", query.State));
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            where.Append(" AND title LIKE @q ESCAPE '\\'");
            args.Add(("@q", "%" + query.Search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"));
        }
        var t = DocumentsTable.Definition;
        using var conn = store.OpenConnection();
        var total = conn.ScalarLong($"SELECT COUNT(*) FROM documents WHERE {where}", null, [.. args]);
        var items = new List<DocumentDto>();
        using (var cmd = conn.Command(
                   $"SELECT {RowIo.SelectList(t)} FROM documents WHERE {where} ORDER BY updated_utc DESC, id DESC LIMIT @limit OFFSET @offset",
                   null, [.. args, ("@limit", (long)limit), ("@offset", (long)offset)]))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) items.Add(ToDto(RowIo.ReadRow(t, r)));
        }
        return new DocumentPage { Items = items, Total = total };
    }

    private void CheckBody(string? body, Dictionary<string, string[]> errors)
    {
        if (body is not null && Encoding.UTF8.GetByteCount(body) > MaxBodyBytes) errors["body"] = [text["Val_BodyTooLong"]];
    }

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DocumentDto ToDto(SyncRow row) => new()
    {
        Id = row.Id,
        Title = row.Text("title") ?? "",
        DocType = row.Text("doc_type") ?? "",
        Urgency = row.Text("urgency") ?? Documents.Urgency.Normal,
        Body = row.Text("body") ?? "",
        Recipients = Recipients.Decode(row.Text("recipients")),
        OriginNode = row.Origin,
        CreatedUtc = ParseUtc(row.Text("created_utc")),
        UpdatedUtc = ParseUtc(row.Text("updated_utc")),
        Version = row.Hlc,
        State = row.Text("wf_state") ?? nameof(OutgoingState.Draft),
        Secrecy = row.Text("secrecy") ?? "",
        CoIssuers = Recipients.Decode(row.Text("co_issuers")),
        CopyTo = Recipients.Decode(row.Text("copy_to")),
        Note = row.Text("note"),
        DocNumber = row.Text("doc_number"),
        DocPrefix = row.Text("doc_prefix"),
        DocYear = row.Integer("doc_year"),
        DocSeq = row.Integer("doc_seq"),
        Signers = row.Text("signers"),
        DateWritten = row.Text("date_written"),
        PrintedDate = row.Text("printed_date"),
    };

    private static DateTimeOffset ParseUtc(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
}
