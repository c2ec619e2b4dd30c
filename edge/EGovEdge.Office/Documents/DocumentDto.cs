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
}

/// <summary>Body of POST /api/documents.</summary>
public sealed class DocumentInput
{
    public string? Title { get; set; }
    public string? DocType { get; set; }
    public string? Urgency { get; set; }
    public string? Body { get; set; }
    public List<string>? Recipients { get; set; }
}

/// <summary>Body of PUT /api/documents/{id}: only the fields given change.</summary>
public sealed class DocumentUpdate
{
    public string? Title { get; set; }
    public string? Body { get; set; }
    public string? Urgency { get; set; }
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

public sealed record DocumentQuery(string? OriginNode = null, DocumentBox Box = DocumentBox.All, string? Search = null, int Limit = 100, int Offset = 0);
