using System.Text.Json.Serialization;

namespace EGovEdge.Sync.Protocol;

/// <summary>Source-generated JSON for the sync protocol (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PushRequest))]
[JsonSerializable(typeof(PushResponse))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(PullResponse))]
[JsonSerializable(typeof(SyncChange))]
public sealed partial class SyncJsonContext : JsonSerializerContext;
