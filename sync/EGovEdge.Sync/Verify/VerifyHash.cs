using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Sync.Verify;

/// <summary>
/// The checksums hub and edge compare, computed the same way on both sides.
/// <list type="bullet">
/// <item>bucket of a row = first byte of SHA-256(id) (256 buckets per table);</item>
/// <item>row hash = first 8 bytes (big-endian) of SHA-256(<c>table|id|hlc|deleted|data</c>), where <c>data</c> is the
/// row's data columns in the order the edge names them, each <c>N</c> (null), <c>I&lt;number&gt;</c> or
/// <c>T&lt;length&gt;:&lt;text&gt;</c>, separated by <c>;</c> — so a row changed behind the engine's back (same version,
/// other content) is found too;</item>
/// <item>table and bucket checksum = count of rows and sum (mod 2^64) of their row hashes, independent of order.</item>
/// </list>
/// </summary>
public static class VerifyHash
{
    public const int BucketCount = 256;

    public static int Bucket(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return hash[0];
    }

    public static string Hex(ulong value) => value.ToString("x16", CultureInfo.InvariantCulture);

    public static ulong ParseHex(string? hex) =>
        ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>256 sums as one base64 string (8 bytes each, big-endian): about 2.7 kB per table.</summary>
    public static string EncodeBuckets(ReadOnlySpan<ulong> sums)
    {
        var bytes = new byte[sums.Length * 8];
        for (var i = 0; i < sums.Length; i++) BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), sums[i]);
        return Convert.ToBase64String(bytes);
    }

    public static ulong[] DecodeBuckets(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length != BucketCount * 8) throw new InvalidDataException($"Expected {BucketCount} bucket checksums, got {bytes.Length / 8}.");
        var sums = new ulong[BucketCount];
        for (var i = 0; i < BucketCount; i++) sums[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(i * 8));
        return sums;
    }

    /// <summary>
    /// Reads every row of a query whose columns are <c>id, hlc, deleted</c>, then <paramref name="columns"/> in order,
    /// then optionally one more (the hub's sequence), hashing as it goes. <paramref name="wantBucket"/> filters early.
    /// </summary>
    internal static void Scan(DbDataReader r, string table, IReadOnlyList<SyncColumn> columns, bool withSeq,
        Func<int, bool>? wantBucket, Action<ScannedRow> onRow)
    {
        var text = new StringBuilder(256);
        var buffer = new byte[1024];
        Span<byte> hash = stackalloc byte[32];
        while (r.Read())
        {
            var id = r.GetString(0);
            var bucket = Bucket(id);
            if (wantBucket is not null && !wantBucket(bucket)) continue;
            var hlc = r.GetString(1);
            var deleted = r.LongOrZero(2) != 0;
            text.Clear();
            text.Append(table).Append('|').Append(id).Append('|').Append(hlc).Append('|').Append(deleted ? '1' : '0').Append('|');
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0) text.Append(';');
                var ord = 3 + i;
                if (r.IsDBNull(ord))
                {
                    text.Append('N');
                }
                else if (columns[i].Type == SyncColumnType.Integer)
                {
                    text.Append('I').Append(Convert.ToInt64(r.GetValue(ord), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    var s = Convert.ToString(r.GetValue(ord), CultureInfo.InvariantCulture) ?? "";
                    text.Append('T').Append(s.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(s);
                }
            }
            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (buffer.Length < max) buffer = new byte[Math.Max(max, buffer.Length * 2)];
            var n = Encoding.UTF8.GetBytes(text.ToString(), buffer);
            SHA256.HashData(buffer.AsSpan(0, n), hash);
            var seq = withSeq ? r.LongOrZero(3 + columns.Count) : 0;
            onRow(new ScannedRow(id, hlc, deleted, BinaryPrimitives.ReadUInt64BigEndian(hash), (byte)bucket, seq));
        }
    }

    /// <summary>The select list for <see cref="Scan"/>, with an optional table alias.</summary>
    internal static string SelectList(IReadOnlyList<SyncColumn> columns, string alias = "")
    {
        var prefix = alias.Length > 0 ? alias + "." : "";
        var list = new StringBuilder($"{prefix}id, {prefix}hlc, {prefix}deleted");
        foreach (var c in columns) list.Append(", ").Append(prefix).Append(c.Name);
        return list.ToString();
    }
}

/// <summary>One row as verify sees it.</summary>
internal readonly record struct ScannedRow(string Id, string Hlc, bool Deleted, ulong Hash, byte Bucket, long Seq);

/// <summary>Count, checksum and bucket sums of one table.</summary>
internal sealed class TableSums
{
    public long Count { get; private set; }

    public ulong Checksum { get; private set; }

    public ulong[] Buckets { get; } = new ulong[VerifyHash.BucketCount];

    public void Add(ScannedRow row)
    {
        Count++;
        unchecked
        {
            Checksum += row.Hash;
            Buckets[row.Bucket] += row.Hash;
        }
    }
}
