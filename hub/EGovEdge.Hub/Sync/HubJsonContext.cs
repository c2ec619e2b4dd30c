using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Hub.Sync;

public sealed class TownshipInput
{
    public string? Code { get; set; }
    public string? Name { get; set; }
}

public sealed record EnrollmentDto(string Code, string Name, string EnrollmentCode, DateTimeOffset ExpiresUtc);

public sealed class EnrollRequest
{
    public string? NodeId { get; set; }
    public string? EnrollmentCode { get; set; }
}

public sealed record EnrollResponse(string Key);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TownshipInput))]
[JsonSerializable(typeof(EnrollmentDto))]
[JsonSerializable(typeof(EnrollRequest))]
[JsonSerializable(typeof(EnrollResponse))]
public sealed partial class HubJsonContext : JsonSerializerContext;
