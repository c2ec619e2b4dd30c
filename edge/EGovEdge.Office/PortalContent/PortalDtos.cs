namespace EGovEdge.Office.PortalContent;

/// <summary>One service of the catalogue (办事指南). Steps and materials one per line in the input, lists here.</summary>
public sealed class PortalServiceDto
{
    public required string Id { get; init; }
    public string? Code { get; init; }
    public required string Name { get; init; }
    public required string Department { get; init; }
    public required string Category { get; init; }
    public string? Basis { get; init; }
    public string? Conditions { get; init; }
    public IReadOnlyList<string> Procedure { get; init; } = [];
    public IReadOnlyList<string> Materials { get; init; } = [];

    /// <summary>法定时限, working days; null when the law sets none (即办).</summary>
    public int? LegalDays { get; init; }

    /// <summary>承诺时限, working days (0 = 即办件, done on the spot).</summary>
    public int? PromisedDays { get; init; }

    public string? Fees { get; init; }
    public string? Place { get; init; }
    public string? Hours { get; init; }
    public string? Phone { get; init; }
    public bool Online { get; init; }

    /// <summary>Visits to the window needed (最多跑一次 = 1).</summary>
    public int? Visits { get; init; }

    /// <summary>Demo content seeded at the first hub start, to be replaced by the county's real guides.</summary>
    public bool Demo { get; init; }

    public int Sort { get; init; }
    public DateTimeOffset UpdatedUtc { get; init; }
}

/// <summary>POST/PUT /api/portal/services. Procedure and Materials: one step or item per line.</summary>
public sealed class PortalServiceInput
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Department { get; set; }
    public string? Category { get; set; }
    public string? Basis { get; set; }
    public string? Conditions { get; set; }
    public string? Procedure { get; set; }
    public string? Materials { get; set; }
    public int? LegalDays { get; set; }
    public int? PromisedDays { get; set; }
    public string? Fees { get; set; }
    public string? Place { get; set; }
    public string? Hours { get; set; }
    public string? Phone { get; set; }
    public bool Online { get; set; }
    public int? Visits { get; set; }
    public int? Sort { get; set; }
}

public sealed class PortalNoticeDto
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Body { get; init; } = "";
    public required string Publisher { get; init; }
    public DateTimeOffset PublishedUtc { get; init; }
    public string? Author { get; init; }
}

public sealed class PortalNoticeInput
{
    public string? Title { get; set; }
    public string? Body { get; set; }
    public string? Publisher { get; set; }
}

public sealed class PortalProjectDto
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Industry { get; init; }
    public string? Location { get; init; }

    /// <summary>Planned investment, 万元.</summary>
    public long? AmountWan { get; init; }

    public string? Summary { get; init; }
    public string? Contact { get; init; }
    public string? Phone { get; init; }
    public DateTimeOffset PublishedUtc { get; init; }
}

public sealed class PortalProjectInput
{
    public string? Name { get; set; }
    public string? Industry { get; set; }
    public string? Location { get; set; }
    public long? AmountWan { get; set; }
    public string? Summary { get; set; }
    public string? Contact { get; set; }
    public string? Phone { get; set; }
}

public sealed class ConsultationDto
{
    public required string Id { get; init; }
    public required string Topic { get; init; }
    public string? Description { get; init; }

    /// <summary>China dates, yyyy-MM-dd, both inclusive.</summary>
    public required string OpensOn { get; init; }

    public required string ClosesOn { get; init; }
    public string? Summary { get; init; }
    public DateTimeOffset? SummaryUtc { get; init; }
    public string? Publisher { get; init; }
    public DateTimeOffset PublishedUtc { get; init; }

    /// <summary>Opinions received so far (counted at the hub, where they are kept).</summary>
    public long Opinions { get; init; }

    /// <summary>upcoming, open or closed (China date today).</summary>
    public required string State { get; init; }
}

public sealed class ConsultationInput
{
    public string? Topic { get; set; }
    public string? Description { get; set; }
    public string? OpensOn { get; set; }
    public string? ClosesOn { get; set; }
    public string? Publisher { get; set; }
}

public sealed class ConsultationSummaryInput
{
    public string? Summary { get; set; }
}

public sealed class OpinionInput
{
    public string? Text { get; set; }
}

/// <summary>One opinion, for staff (never shown one by one on the portal).</summary>
public sealed class OpinionDto
{
    public required string Id { get; init; }
    public required string Text { get; init; }
    public DateTimeOffset SubmittedUtc { get; init; }
}

public static class ConsultationStates
{
    public const string Upcoming = "upcoming";
    public const string Open = "open";
    public const string Closed = "closed";
}
