using System.Security.Cryptography;
using System.Text;

namespace EGovEdge.Sync.Conflicts;

/// <summary>A conflict between two concurrent versions of one row; the loser is kept whole for review.</summary>
public sealed class ConflictRecord
{
    public required string Id { get; init; }
    public required string Table { get; init; }
    public required string RowId { get; init; }
    public required string WinnerHlc { get; init; }
    public required string LoserHlc { get; init; }
    public required string WinnerJson { get; init; }
    public required string LoserJson { get; init; }
    public required string DetectedUtc { get; init; }
    public required string DetectedNode { get; init; }
    public string Status { get; init; } = "open";

    /// <summary>The same pair of versions gets the same id on every node, so records from two sides merge.</summary>
    public static string MakeId(string table, string rowId, string winnerHlc, string loserHlc)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{table}\n{rowId}\n{winnerHlc}\n{loserHlc}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }
}
