using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Edge.Cli;

// The --json documents of `sync <verb>`: one per verb, camelCase, times in UTC (ISO 8601), nulls kept so that every
// field is always present. Scripts may rely on these names.

/// <summary><c>sync status --json</c>.</summary>
public sealed class StatusJson
{
    public required string NodeId { get; init; }

    /// <summary>Nothing pending and the last cycle succeeded (the exit code is 0 exactly then).</summary>
    public bool InSync { get; init; }

    public long PendingChanges { get; init; }
    public DateTimeOffset? LastSuccessUtc { get; init; }
    public CycleJson? LastCycle { get; init; }

    /// <summary>The last cycle's error, when it failed.</summary>
    public string? LastError { get; init; }

    /// <summary>The most recent failed cycle (it may be older than the last cycle).</summary>
    public CycleJson? LastFailure { get; init; }

    public long OpenConflicts { get; init; }
    public long Rejected { get; init; }
    public long PushCursor { get; init; }
    public long PullCursor { get; init; }
    public bool InitialPullDone { get; init; }
    public string? HubUrl { get; init; }

    /// <summary>"argument", "stored" (by the web process) or null.</summary>
    public string? HubUrlSource { get; init; }

    /// <summary>"enrolled" (DataDir/hub-credential), "key" (EGov:HubKey) or "none".</summary>
    public required string Credential { get; init; }

    public required DatabaseJson Database { get; init; }
}

public sealed record DatabaseJson(string Path, long Bytes, long WalBytes);

public sealed class CycleJson
{
    public DateTimeOffset StartedUtc { get; init; }
    public long DurationMs { get; init; }

    /// <summary>ok, unreachable, refused or failed.</summary>
    public required string Result { get; init; }

    public int Pushed { get; init; }
    public int Pulled { get; init; }
    public int Conflicts { get; init; }
    public int Rejected { get; init; }
    public long BytesUp { get; init; }
    public long BytesDown { get; init; }
    public string? Error { get; init; }
    public string? CorrelationId { get; init; }

    public static CycleJson From(SyncCycleRecord c) => new()
    {
        StartedUtc = c.StartedUtc, DurationMs = c.DurationMs, Result = c.Result, Pushed = c.Pushed, Pulled = c.Pulled,
        Conflicts = c.Conflicts, Rejected = c.Rejected, BytesUp = c.BytesUp, BytesDown = c.BytesDown, Error = c.Error,
        CorrelationId = c.CorrelationId,
    };
}

/// <summary><c>sync history --json</c>: newest first.</summary>
public sealed record HistoryJson(string NodeId, int Count, IReadOnlyList<CycleJson> Cycles);

/// <summary><c>sync conflicts --json</c>.</summary>
public sealed record ConflictsJson(string NodeId, int Count, IReadOnlyList<ConflictJson> Conflicts);

public sealed class ConflictJson
{
    public required string PairId { get; init; }
    public required string Table { get; init; }
    public required string RowId { get; init; }
    public required string Title { get; init; }
    public required ConflictVersionJson Winner { get; init; }
    public required ConflictVersionJson Loser { get; init; }
    public DateTimeOffset DetectedUtc { get; init; }
    public required IReadOnlyList<string> DetectedBy { get; init; }
    public required IReadOnlyList<ConflictFieldJson> Fields { get; init; }
    public bool CanResolveHere { get; init; }
}

public sealed record ConflictVersionJson(string Hlc, string By, DateTimeOffset? AtUtc, bool Deleted);

public sealed record ConflictFieldJson(string Field, string Winner, string Loser, bool Differs);

/// <summary><c>sync run --json</c> and <c>sync bootstrap --json</c>.</summary>
public sealed class RunJson
{
    public required string NodeId { get; init; }
    public required string Verb { get; init; }
    public string? HubUrl { get; init; }

    /// <summary>ok, unreachable, refused or failed.</summary>
    public required string Outcome { get; init; }

    public int Pushed { get; init; }
    public int Pulled { get; init; }

    /// <summary>Rows the hub sent in this cycle (pulled counts those applied; the rest were already here).</summary>
    public long Received { get; init; }

    /// <summary>Pulled pages that carried rows.</summary>
    public int Pages { get; init; }

    public int Conflicts { get; init; }
    public int Rejected { get; init; }
    public long DurationMs { get; init; }
    public long BytesUp { get; init; }
    public long BytesDown { get; init; }
    public string? Error { get; init; }
    public string? CorrelationId { get; init; }
    public long PullCursor { get; init; }
    public long PendingChanges { get; init; }
    public bool InitialPullDone { get; init; }

    /// <summary>Bootstrap: it continued an interrupted one (pull cursor above 0 before the first full pull).</summary>
    public bool Resumed { get; init; }
}

/// <summary><c>sync verify --json</c>.</summary>
public sealed class VerifyJson
{
    public required string NodeId { get; init; }
    public string? HubUrl { get; init; }

    /// <summary>ok (the comparison ran), unreachable, refused or failed.</summary>
    public required string Outcome { get; init; }

    public string? Error { get; init; }

    /// <summary>No differences (the exit code is 0 exactly then).</summary>
    public bool Identical { get; init; }

    public int Differences { get; init; }
    public int Pending { get; init; }
    public int Incoming { get; init; }
    public long HubSequence { get; init; }
    public long PullCursor { get; init; }
    public long PushCursor { get; init; }
    public IReadOnlyList<VerifyTableJson> Tables { get; init; } = [];

    /// <summary>Rows not the same, differences first, at most --limit of them (see <see cref="RowsTotal"/>).</summary>
    public IReadOnlyList<VerifyRowJson> Rows { get; init; } = [];

    public int RowsTotal { get; init; }
    public int Requests { get; init; }
    public long BytesUp { get; init; }
    public long BytesDown { get; init; }
    public long DurationMs { get; init; }
}

public sealed record VerifyTableJson(string Table, long HereCount, long HubCount, string HereChecksum, string HubChecksum, bool Same,
    int BucketsDiffering, int Differences, int Pending, int Incoming);

/// <summary>kind: missingHere, missingAtHub, versionDiffers, contentDiffers, rejected (differences); pending, incoming (not).</summary>
public sealed record VerifyRowJson(string Table, string Id, string Kind, bool Difference, VerifyVersionJson? Here, VerifyVersionJson? Hub);

public sealed record VerifyVersionJson(string Hlc, bool Deleted, long? Seq);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(HistoryJson))]
[JsonSerializable(typeof(ConflictsJson))]
[JsonSerializable(typeof(RunJson))]
[JsonSerializable(typeof(VerifyJson))]
public sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>Chinese text stays readable (not \uXXXX-escaped) in the output.</summary>
    private static JsonSerializerOptions? _output;

    public static JsonSerializerOptions Output => _output ??= new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        TypeInfoResolver = Default,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Output.GetTypeInfo(typeof(T)));
}
