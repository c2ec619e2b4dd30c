using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Office.Archives;

/// <summary>Body of POST /api/archive: the documents to file, optionally with another retention than the schedule's.</summary>
public sealed class FileInput
{
    public List<string>? DocumentIds { get; set; }

    /// <summary>Y, D30 or D10; empty keeps the schedule's retention of each document's type.</summary>
    public string? Retention { get; set; }

    /// <summary>Why the retention differs from the schedule (required then).</summary>
    public string? Reason { get; set; }

    public string? Note { get; set; }
}

/// <summary>One filed item (件).</summary>
public sealed class ArchiveItemDto
{
    public required string Id { get; init; }
    public required string DocumentId { get; init; }

    /// <summary>"out" (发文) or "in" (收文).</summary>
    public required string Direction { get; init; }
    public required string Node { get; init; }
    public required string Fonds { get; init; }
    public long Year { get; init; }

    /// <summary>Y, D30 or D10.</summary>
    public required string Retention { get; init; }

    /// <summary>The schedule's retention when the clerk chose another one (with <see cref="RetentionReason"/>).</summary>
    public string? RetentionDefault { get; init; }
    public string? RetentionReason { get; init; }
    public long ItemNo { get; init; }

    /// <summary>档号, e.g. GS01-WS·2026-Y-0007.</summary>
    public required string ArchivalCode { get; init; }
    public required string Title { get; init; }
    public string? DocType { get; init; }
    public string? DocNumber { get; init; }

    /// <summary>成文日期 (yyyy-MM-dd).</summary>
    public required string DateWritten { get; init; }
    public string? Issuer { get; init; }
    public required string FiledBy { get; init; }
    public string? FiledByName { get; init; }
    public DateTimeOffset FiledUtc { get; init; }

    /// <summary>SM3 of the archival package as built at filing.</summary>
    public required string PackageSm3 { get; init; }
    public string? Note { get; init; }
}

/// <summary>A document this node may file now: 发文 after 核发 here, 收文 after 答复 here, not yet filed.</summary>
public sealed class ReadyItemDto
{
    public required string DocumentId { get; init; }
    public required string Direction { get; init; }
    public required string Title { get; init; }
    public string? DocType { get; init; }
    public string? DocNumber { get; init; }
    public string? DateWritten { get; init; }
    public string? Issuer { get; init; }

    /// <summary>The retention the schedule gives the document's type.</summary>
    public required string Retention { get; init; }

    /// <summary>When it was dispatched (发文) or replied to (收文) here.</summary>
    public DateTimeOffset FinishedUtc { get; init; }
}

/// <summary>The retention schedule in force at this node and its 全宗号.</summary>
public sealed class ScheduleDto
{
    public required string Fonds { get; init; }
    public required IReadOnlyList<ScheduleEntryDto> Types { get; init; }
}

public sealed class ScheduleEntryDto
{
    public required string DocType { get; init; }
    public required string Retention { get; init; }

    /// <summary>True when set by EGov:Archive:Retention:&lt;文种&gt; rather than the built-in default.</summary>
    public bool Configured { get; init; }
}

/// <summary>四性检测 of one filed item (DA/T 70-2018 basics).</summary>
public sealed class ArchiveCheckDto
{
    public required string Id { get; init; }
    public required string ArchivalCode { get; init; }
    public bool Passed { get; init; }
    public DateTimeOffset CheckedUtc { get; init; }
    public required string PackageSm3 { get; init; }
    public required string ComputedSm3 { get; init; }
    public required IReadOnlyList<ArchiveCheckItemDto> Checks { get; init; }
}

/// <summary>One of the four checks: authenticity, integrity, usability, security; Messages says what failed.</summary>
public sealed class ArchiveCheckItemDto
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public bool Passed { get; init; }
    public IReadOnlyList<string> Messages { get; init; } = [];
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FileInput))]
[JsonSerializable(typeof(ArchiveItemDto))]
[JsonSerializable(typeof(List<ArchiveItemDto>))]
[JsonSerializable(typeof(List<ReadyItemDto>))]
[JsonSerializable(typeof(ScheduleDto))]
[JsonSerializable(typeof(ArchiveCheckDto))]
public sealed partial class ArchiveJsonContext : JsonSerializerContext;
