using EGovEdge.Office.Documents;

namespace EGovEdge.Office.Workflow;

/// <summary>The document was not found here (absent, deleted or not visible at this node).</summary>
public sealed class WorkflowNotFoundException(string message) : Exception(message);

/// <summary>One workflow step: who, when, on which node, what.</summary>
public sealed class StepDto
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public string? Recipient { get; init; }
    public required string Node { get; init; }
    public required string Actor { get; init; }
    public string? ActorName { get; init; }
    public DateTimeOffset AtUtc { get; init; }
    public string? Opinion { get; init; }
    public string? Data { get; init; }

    public static StepDto From(StepRecord s) => new()
    {
        Id = s.Id, Kind = s.Kind, Recipient = s.Recipient, Node = s.Node, Actor = s.Actor, ActorName = s.ActorName, AtUtc = s.AtUtc,
        Opinion = s.Opinion, Data = s.Data,
    };
}

/// <summary>Per recipient, what the sender sees: delivered / signed for / handled.</summary>
public sealed class RecipientStatusDto
{
    public required string Code { get; init; }
    public required string Name { get; init; }

    /// <summary>True for 抄送 (copy) recipients.</summary>
    public bool Copy { get; init; }

    /// <summary>NotDelivered, Delivered, SignedFor, Registered, Screened, Proposed, Instructed, InHandling, Replied or Rejected (退文 at 初审).</summary>
    public required string State { get; init; }
    public DateTimeOffset? SignedForUtc { get; init; }
    public string? SignedForBy { get; init; }
    public DateTimeOffset? RepliedUtc { get; init; }
    public string? Reply { get; init; }

    /// <summary>退文: when the recipient returned the document at 初审, who did, and the reason.</summary>
    public DateTimeOffset? RejectedUtc { get; init; }
    public string? RejectedBy { get; init; }
    public string? RejectReason { get; init; }
}

public sealed class FileDto
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; init; }
    public required string Sha256 { get; init; }
    public long Ordinal { get; init; }
}

/// <summary>The seal of a document as verified here and now.</summary>
public sealed class SealStatusDto
{
    public bool Sealed { get; init; }
    public bool Valid { get; init; }
    public string? Reason { get; init; }
    public string? SealName { get; init; }
    public string? Signer { get; init; }
    public string? Node { get; init; }
    public DateTimeOffset? AtUtc { get; init; }
}

/// <summary>A document with its workflow: state, steps, recipients, files, seal and what this user may do now.</summary>
public sealed class WorkflowViewDto
{
    public required DocumentDto Document { get; init; }
    public required string State { get; init; }
    public required IReadOnlyList<StepDto> Steps { get; init; }
    public required IReadOnlyList<RecipientStatusDto> Recipients { get; init; }
    public required IReadOnlyList<FileDto> Files { get; init; }
    public required SealStatusDto Seal { get; init; }

    /// <summary>Actions this user may take at this node now (step kinds, plus edit/delete/attach).</summary>
    public required IReadOnlyList<string> Actions { get; init; }

    /// <summary>The state at this node when it is an addressee of a dispatched document.</summary>
    public string? IncomingState { get; init; }

    /// <summary>Co-issuing organs that have countersigned in the current round.</summary>
    public IReadOnlyList<string> CounterSigned { get; init; } = [];

    /// <summary>The issuing organ's full name.</summary>
    public string? OrganName { get; init; }
}

/// <summary>Body of POST /api/documents/{id}/workflow/{action}; each action reads the fields it needs.</summary>
public sealed class WorkflowActionInput
{
    /// <summary>Opinion or reason (退回 and 初审 退文 need one, as do 拟办, 批办 and 答复; 签发 defaults to 同意).</summary>
    public string? Opinion { get; set; }

    /// <summary>会签: false disagrees and sends the draft back. 初审 (screen): false returns the document to the sender.</summary>
    public bool? Agree { get; set; }

    /// <summary>用印: the seal to apply.</summary>
    public string? SealId { get; set; }

    /// <summary>承办: the handler's username.</summary>
    public string? Handler { get; set; }

    /// <summary>承办: deadline, yyyy-MM-dd.</summary>
    public string? Deadline { get; set; }

    /// <summary>传阅: usernames.</summary>
    public List<string>? Readers { get; set; }

    /// <summary>催办 by the sender: the recipient organ chased.</summary>
    public string? Recipient { get; set; }
}

/// <summary>One document in the 收文 inbox of this node.</summary>
public sealed class InboxItemDto
{
    public required string DocumentId { get; init; }
    public required string Title { get; init; }
    public string? DocNumber { get; init; }
    public required string DocType { get; init; }
    public required string Urgency { get; init; }
    public required string Origin { get; init; }
    public required string OriginName { get; init; }
    public bool Copy { get; init; }
    public required string State { get; init; }
    public DateTimeOffset DispatchedUtc { get; init; }
    public string? Handler { get; init; }
    public string? Deadline { get; init; }

    /// <summary>True when the deadline is within two days (or past) and no reply was given.</summary>
    public bool DeadlineNear { get; init; }

    /// <summary>Circulated to this user and not yet marked read.</summary>
    public bool ToReadByMe { get; init; }
}

public sealed class OrganDto
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string ShortName { get; init; }
    public required string DocPrefix { get; init; }
    public required string Banner { get; init; }
    public IReadOnlyList<string> Upward { get; init; } = [];
    public IReadOnlyList<string> Downward { get; init; } = [];
}
