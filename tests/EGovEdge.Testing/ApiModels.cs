using System.Text.Json;

namespace EGovEdge.Testing;

// The HTTP contract as the tests see it (black box: no reference to the product assemblies).

/// <summary>Body of POST /api/documents.</summary>
public sealed record NewDocument(string? Title, string? DocType = "通知", string? Urgency = "普通", string? Body = "", IReadOnlyList<string>? Recipients = null);

/// <summary>Body of PUT /api/documents/{id}: only the fields given change.</summary>
public sealed record DocumentChange(string? Title = null, string? Body = null, string? Urgency = null);

public sealed record Document(
    string Id,
    string Title,
    string DocType,
    string Urgency,
    string Body,
    IReadOnlyList<string> Recipients,
    string OriginNode,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc,
    string Version);

public sealed record DocumentPage(IReadOnlyList<Document> Items, long Total);

/// <summary>GET /api/sync/status (edge).</summary>
public sealed record SyncStatus(
    string NodeId,
    long PendingChanges,
    DateTimeOffset? LastSuccessUtc,
    string? LastError,
    bool? HubReachable,
    bool AuthFailed,
    DateTimeOffset? LastAttemptUtc,
    string? Circuit,
    long OpenConflicts,
    long Rejected,
    bool Running);

/// <summary>POST /api/sync/run (edge), 200.</summary>
public sealed record SyncRun(int Pushed, int Pulled, int Conflicts, long DurationMs, int Rejected);

/// <summary>GET /api/sync/townships (hub).</summary>
public sealed record HubNodeInfo(string Node, long PushAcked, long PullCursor, long ChangesReceived, long ChangesSent, long Rejected, long HubSequence);

/// <summary>An RFC 7807 problem (title, status, detail and, for validation problems, errors).</summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>An HTTP answer: status, content type, raw body and the body parsed as <typeparamref name="T"/> when 2xx.</summary>
public sealed record ApiResult<T>(int Status, string? ContentType, string Body, T? Value) where T : class
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public Problem? Problem => !IsSuccess && Body.Length > 0 && ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
        ? TryParseProblem(Body)
        : null;

    private static Problem? TryParseProblem(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<Problem>(body, NodeApiClient.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"HTTP {Status} {ContentType}: {(Body.Length > 600 ? Body[..600] + "…" : Body)}";
}

/// <summary>POST /api/auth/token, 200.</summary>
public sealed record TokenAnswer(string Token, DateTimeOffset ExpiresUtc);

/// <summary>Body of POST /api/users (hub).</summary>
public sealed record NewUser(string Username, string DisplayName, string Unit, IReadOnlyList<string> Roles, string Password);

/// <summary>A staff account as GET/POST /api/users answer it.</summary>
public sealed record StaffAccount(string Id, string Username, string DisplayName, string Unit, IReadOnlyList<string> Roles, bool Disabled);

/// <summary>POST /api/townships (201) and POST /api/townships/{code}/enrollment (200): the one-time enrollment code.</summary>
public sealed record TownshipEnrollment(string Code, string Name, string EnrollmentCode, DateTimeOffset ExpiresUtc);

/// <summary>GET /api/audit/verify.</summary>
public sealed record AuditReport(bool Ok, IReadOnlyList<AuditChain> Chains, long RowsChecked, IReadOnlyList<AuditRowMismatch> Rows)
{
    public override string ToString() =>
        $"ok {Ok}, {RowsChecked} rows checked, chains [{string.Join(", ", Chains.Select(c => $"{c.Node}: {c.Entries}{(c.FirstBreak is null ? "" : " BROKEN at " + c.FirstBreak.Seq + ": " + c.FirstBreak.Reason)}"))}], " +
        $"rows [{string.Join("; ", Rows.Select(r => $"{r.Table}:{r.Id} {r.Reason}"))}]";
}

public sealed record AuditChain(string Node, long Entries, AuditBreak? FirstBreak);

public sealed record AuditBreak(string Node, long Seq, string Reason);

public sealed record AuditRowMismatch(string Table, string Id, string Reason);
