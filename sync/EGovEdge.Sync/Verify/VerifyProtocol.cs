using System.Text.Json.Serialization;

namespace EGovEdge.Sync.Verify;

/// <summary>
/// POST /api/sync/verify: what an edge asks the hub about the rows of its scope. One endpoint, two kinds of question
/// per table: "here are my count and checksum" (the hub answers its own, plus its 256 bucket checksums only when
/// they differ), and "list the rows of these buckets" (the hub answers id, version and hash of each).
/// </summary>
public sealed class VerifyRequest
{
    public required string NodeId { get; init; }

    public int SchemaVersion { get; init; }

    public List<VerifyTableQuery> Tables { get; init; } = [];
}

public sealed class VerifyTableQuery
{
    public required string Table { get; init; }

    /// <summary>The data columns the edge hashes, in order (an edge one schema version behind knows fewer).</summary>
    public List<string> Columns { get; init; } = [];

    /// <summary>The edge's row count; with <see cref="Checksum"/>, lets the hub leave out bucket checksums when equal.</summary>
    public long? Count { get; init; }

    /// <summary>The edge's table checksum (16 hex digits).</summary>
    public string? Checksum { get; init; }

    /// <summary>When set: list the hub's rows in these buckets (0-255).</summary>
    public List<int>? Buckets { get; init; }
}

public sealed class VerifyResponse
{
    /// <summary>The hub's newest sequence when it answered.</summary>
    public long HubSequence { get; init; }

    public List<VerifyTableAnswer> Tables { get; init; } = [];
}

public sealed class VerifyTableAnswer
{
    public required string Table { get; init; }

    /// <summary>The hub does not replicate this table.</summary>
    public bool Unknown { get; init; }

    /// <summary>Rows of this table in the township's scope at the hub.</summary>
    public long Count { get; init; }

    public string Checksum { get; init; } = VerifyHash.Hex(0);

    /// <summary>256 bucket checksums (base64 of 8 bytes each, big-endian), when the edge's count or checksum differs.</summary>
    public string? Buckets { get; init; }

    /// <summary>The rows of the buckets asked for.</summary>
    public List<VerifyRowInfo>? Rows { get; init; }
}

/// <summary>One row at the hub: id, version, tombstone flag, hub sequence and row hash (16 hex digits).</summary>
public sealed class VerifyRowInfo
{
    public required string Id { get; init; }
    public required string Hlc { get; init; }
    public bool Deleted { get; init; }
    public long Seq { get; init; }
    public required string Hash { get; init; }
}

/// <summary>Source-generated JSON for the verify exchange (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(VerifyResponse))]
public sealed partial class VerifyJsonContext : JsonSerializerContext;

/// <summary>The request cannot be answered (unknown column, bucket out of range...): a 400 for the edge.</summary>
public sealed class VerifyRequestException(string message) : Exception(message);
