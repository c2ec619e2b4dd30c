namespace EGovEdge.Office.Documents;

/// <summary>An official document as the API returns it.</summary>
public sealed class DocumentDto
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string DocType { get; init; }
    public required string Urgency { get; init; }
    public string Body { get; init; } = "";
    public IReadOnlyList<string> Recipients { get; init; } = [];
    public required string OriginNode { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
    public DateTimeOffset UpdatedUtc { get; init; }
    public required string Version { get; init; }

    /// <summary>发文 state (Draft, InReview, CounterSign, AwaitingSignOff, Signed, ReChecked, Registered, Printed, Sealed, Dispatched).</summary>
    public string State { get; init; } = "Draft";

    /// <summary>密级 (always empty: classified documents are refused on this network).</summary>
    public string Secrecy { get; init; } = "";

    /// <summary>会签 organs (co-issuers), by node code.</summary>
    public IReadOnlyList<string> CoIssuers { get; init; } = [];

    /// <summary>抄送 organs, by node code ("*" for the whole county).</summary>
    public IReadOnlyList<string> CopyTo { get; init; } = [];

    /// <summary>附注.</summary>
    public string? Note { get; init; }

    /// <summary>发文字号 as printed, e.g. 广府发〔2026〕3号; null until registered.</summary>
    public string? DocNumber { get; init; }

    public string? DocPrefix { get; init; }

    public long? DocYear { get; init; }

    public long? DocSeq { get; init; }

    /// <summary>签发人 names (from the 签发 step).</summary>
    public string? Signers { get; init; }

    /// <summary>成文日期 (the sign-off date), yyyy-MM-dd.</summary>
    public string? DateWritten { get; init; }

    /// <summary>印发日期, yyyy-MM-dd.</summary>
    public string? PrintedDate { get; init; }
}

/// <summary>Body of POST /api/documents.</summary>
public sealed class DocumentInput
{
    public string? Title { get; set; }
    public string? DocType { get; set; }
    public string? Urgency { get; set; }
    public string? Body { get; set; }
    public List<string>? Recipients { get; set; }

    /// <summary>密级: must be empty (or 无/非密); classified documents are refused on this network.</summary>
    public string? Secrecy { get; set; }

    /// <summary>会签 organs (other nodes that co-issue and countersign).</summary>
    public List<string>? CoIssuers { get; set; }

    /// <summary>抄送 organs.</summary>
    public List<string>? CopyTo { get; set; }

    /// <summary>附注.</summary>
    public string? Note { get; set; }
}

/// <summary>Body of PUT /api/documents/{id}: only the fields given change.</summary>
public sealed class DocumentUpdate
{
    public string? Title { get; set; }
    public string? Body { get; set; }
    public string? Urgency { get; set; }
    public string? Note { get; set; }
    public string? Secrecy { get; set; }
}

public sealed class DocumentPage
{
    public required IReadOnlyList<DocumentDto> Items { get; init; }
    public long Total { get; init; }
}

/// <summary>Which documents a list shows.</summary>
public enum DocumentBox
{
    All,

    /// <summary>Written at this node.</summary>
    Sent,

    /// <summary>Written elsewhere and visible here (addressed to this node or the whole county).</summary>
    Received,
}

public sealed record DocumentQuery(string? OriginNode = null, DocumentBox Box = DocumentBox.All, string? Search = null, int Limit = 100, int Offset = 0, string? State = null);
