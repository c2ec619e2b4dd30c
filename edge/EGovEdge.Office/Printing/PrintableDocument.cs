namespace EGovEdge.Office.Printing;

/// <summary>
/// Everything GB/T 9704-2012 puts on the page, final and fixed (numbering, dates and copy number are set before
/// printing). Built by the document workflow at 印制; rendered by <see cref="IDocumentRenderer"/>.
/// </summary>
public sealed record PrintableDocument
{
    /// <summary>份号, six digits; null when not numbered.</summary>
    public string? CopyNumber { get; init; }

    /// <summary>紧急程度: 普通 (not printed), 加急 or 特急.</summary>
    public required string Urgency { get; init; }

    /// <summary>发文机关标志, e.g. "长顺县人民政府文件"; for 纪要 "长顺县人民政府常务会议纪要".</summary>
    public required string OrganBanner { get; init; }

    /// <summary>发文字号 as printed, e.g. "长府发〔2026〕12号"; null for 纪要 without a number.</summary>
    public string? DocNumber { get; init; }

    /// <summary>签发人 names (上行文 only), printed on the 文号 line.</summary>
    public IReadOnlyList<string> Signers { get; init; } = [];

    public required string Title { get; init; }

    /// <summary>主送机关 names.</summary>
    public IReadOnlyList<string> MainRecipients { get; init; } = [];

    /// <summary>正文; paragraphs separated by newlines, headings as written (一、 （一） 1. （1）).</summary>
    public required string Body { get; init; }

    /// <summary>附件说明: attachment titles in order.</summary>
    public IReadOnlyList<string> AttachmentTitles { get; init; } = [];

    /// <summary>发文机关署名.</summary>
    public required string SignatureOrgan { get; init; }

    /// <summary>成文日期 (the sign-off date).</summary>
    public required DateOnly DateWritten { get; init; }

    /// <summary>附注, printed in parentheses.</summary>
    public string? Note { get; init; }

    /// <summary>抄送机关 names.</summary>
    public IReadOnlyList<string> CopyTo { get; init; } = [];

    /// <summary>印发机关.</summary>
    public required string PrintedBy { get; init; }

    /// <summary>印发日期.</summary>
    public required DateOnly PrintedDate { get; init; }

    /// <summary>纪要 layout (red banner, no seal).</summary>
    public bool IsMinutes { get; init; }

    /// <summary>上行文: 发文字号 sits left and 签发人 is printed on the same line.</summary>
    public bool Upward { get; init; }
}

/// <summary>Renders the final document as a PDF in GB/T 9704-2012 layout; the same input gives the same bytes.</summary>
public interface IDocumentRenderer
{
    byte[] RenderPdf(PrintableDocument document);
}
