using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Office.Traceability;

public sealed class ProducerInput
{
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? Township { get; set; }
    public string? Village { get; set; }
    public string? Contact { get; set; }
    public string? Licence { get; set; }
}

public sealed class ProducerDto
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Township { get; init; }
    public string? Village { get; init; }
    public string? Contact { get; init; }
    public string? Licence { get; init; }
    public required string Origin { get; init; }
}

public sealed class ProductInput
{
    public string? ProducerId { get; set; }
    public string? Name { get; set; }
    public string? Category { get; set; }
}

public sealed class ProductDto
{
    public required string Id { get; init; }
    public required string ProducerId { get; init; }
    public required string Name { get; init; }
    public string? Category { get; init; }
    public required string Gtin { get; init; }
    public required string Origin { get; init; }
}

public sealed class BatchInput
{
    public string? ProductId { get; set; }

    /// <summary>Empty: allocated as yyyyMMdd-NN (per product, unique).</summary>
    public string? BatchNo { get; set; }

    /// <summary>Production or harvest date, yyyy-MM-dd.</summary>
    public string? ProducedOn { get; set; }
    public string? Place { get; set; }
    public string? Quantity { get; set; }
    public string? Unit { get; set; }
}

public sealed class InspectionInput
{
    /// <summary>yyyy-MM-dd.</summary>
    public string? InspectedOn { get; set; }
    public string? Agency { get; set; }
    public string? Items { get; set; }

    /// <summary>"pass" (合格) or "fail" (不合格).</summary>
    public string? Result { get; set; }
    public string? ReportNo { get; set; }
}

public sealed class RecallInput
{
    public string? Reason { get; set; }
}

public sealed class InspectionDto
{
    public required string Id { get; init; }
    public required string InspectedOn { get; init; }
    public required string Agency { get; init; }
    public string? Items { get; init; }
    public required string Result { get; init; }
    public string? ReportNo { get; init; }
    public required string Origin { get; init; }
}

public sealed class BatchDto
{
    public required string Id { get; init; }
    public required string ProductId { get; init; }
    public required string ProductName { get; init; }
    public string? Category { get; init; }
    public required string Gtin { get; init; }
    public required string ProducerId { get; init; }
    public required string ProducerName { get; init; }
    public required string BatchNo { get; init; }
    public required string ProducedOn { get; init; }
    public string? Place { get; init; }
    public string? Quantity { get; init; }
    public string? Unit { get; init; }
    public required string ShortCode { get; init; }
    public bool Recalled { get; init; }
    public string? RecallReason { get; init; }
    public required string Origin { get; init; }
    public DateTimeOffset Created { get; init; }

    /// <summary>What the label's QR code encodes.</summary>
    public required string QrPayload { get; init; }
    public IReadOnlyList<InspectionDto> Inspections { get; init; } = [];
}

/// <summary>What a buyer sees: no personal data (the contact is masked, no licence holder's ID).</summary>
public sealed class PublicTraceDto
{
    public required string ShortCode { get; init; }
    public required string ProductName { get; init; }
    public string? Category { get; init; }
    public required string Gtin { get; init; }
    public required string ProducerName { get; init; }
    public required string ProducerKind { get; init; }
    public required string Township { get; init; }
    public string? Village { get; init; }
    public string? ContactMasked { get; init; }
    public required string BatchNo { get; init; }
    public required string ProducedOn { get; init; }
    public string? Place { get; init; }
    public string? Quantity { get; init; }
    public string? Unit { get; init; }
    public bool Recalled { get; init; }
    public string? RecallReason { get; init; }
    public IReadOnlyList<InspectionDto> Inspections { get; init; } = [];
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProducerInput))]
[JsonSerializable(typeof(ProductInput))]
[JsonSerializable(typeof(BatchInput))]
[JsonSerializable(typeof(InspectionInput))]
[JsonSerializable(typeof(RecallInput))]
[JsonSerializable(typeof(List<ProducerDto>))]
[JsonSerializable(typeof(List<ProductDto>))]
[JsonSerializable(typeof(List<BatchDto>))]
[JsonSerializable(typeof(ProducerDto))]
[JsonSerializable(typeof(ProductDto))]
[JsonSerializable(typeof(BatchDto))]
[JsonSerializable(typeof(InspectionDto))]
[JsonSerializable(typeof(PublicTraceDto))]
public sealed partial class TraceJsonContext : JsonSerializerContext;
