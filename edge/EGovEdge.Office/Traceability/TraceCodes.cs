using System.Globalization;
using System.Text;
using EGovEdge.Sync;

namespace EGovEdge.Office.Traceability;

/// <summary>
/// Codes printed on a label. Short codes are 8 characters from an unambiguous alphabet (no 0/O, 1/I/L): a 3-character
/// tag of the registering node, then a per-node sequence number scrambled by a bijection (so consecutive batches do not
/// get consecutive codes). Unique without a central allocator: each node numbers only its own batches, and the hub
/// refuses a pushed batch whose code does not carry the pushing node's tag. GTIN-style product codes are 13 digits with
/// a valid GS1 check digit, in the restricted-circulation range (leading "2"), so they are GTIN-style, not GS1-issued.
/// </summary>
public static class TraceCodes
{
    /// <summary>31 characters that cannot be confused when read aloud or typed from a label.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public const int ShortCodeLength = 8;
    private const int TagLength = 3;
    private const int SequenceLength = ShortCodeLength - TagLength;

    /// <summary>31^5 codes per node.</summary>
    public static readonly long SequenceSpace = Pow(Alphabet.Length, SequenceLength);

    /// <summary>The county's 4 digits in GTIN-style codes (长顺县 522729).</summary>
    public const string CountyDigits = "2729";

    /// <summary>The node's 3-character tag: a stable hash of the node code (the hub's own tag is "222").</summary>
    public static string NodeTag(string node)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        if (node == NodeIds.Hub) return new string(Alphabet[0], TagLength);
        var h = Fnv(node) % (ulong)(Pow(Alphabet.Length, TagLength) - 1) + 1; // never the hub's tag
        return Encode((long)h, TagLength);
    }

    /// <summary>The <paramref name="sequence"/>-th (0-based) short code of <paramref name="node"/>.</summary>
    public static string ShortCode(string node, long sequence)
    {
        if (sequence < 0 || sequence >= SequenceSpace) throw new ArgumentOutOfRangeException(nameof(sequence));
        // x -> (a*x + b) mod 31^5 is a bijection because a is not a multiple of 31.
        const long a = 5_478_107, b = 9_176_431;
        var scrambled = (long)(((System.Numerics.BigInteger)a * sequence + b) % SequenceSpace);
        return NodeTag(node) + Encode(scrambled, SequenceLength);
    }

    /// <summary>True when the code is well formed and carries the node's tag.</summary>
    public static bool BelongsTo(string? code, string node) =>
        code is { Length: ShortCodeLength } && code.All(Alphabet.Contains) && code.StartsWith(NodeTag(node), StringComparison.Ordinal);

    /// <summary>
    /// Normalises what a buyer typed or scanned: upper case, without spaces and dashes, the last path segment of a URL;
    /// null when it cannot be a short code.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var s = input.Trim();
        var q = s.IndexOfAny(['?', '#']);
        if (q >= 0) s = s[..q];
        var slash = s.TrimEnd('/').LastIndexOf('/');
        if (slash >= 0) s = s.TrimEnd('/')[(slash + 1)..];
        var sb = new StringBuilder();
        foreach (var ch in s)
        {
            if (ch is ' ' or '-' or '\u3000') continue;
            sb.Append(char.ToUpperInvariant(ch));
        }
        var code = sb.ToString();
        return code.Length == ShortCodeLength && code.All(Alphabet.Contains) ? code : null;
    }

    /// <summary>
    /// A 13-digit GTIN-style code: "2" (restricted circulation) + county digits + a 3-digit node number + a 4-digit
    /// per-node product number + the GS1 check digit.
    /// </summary>
    public static string Gtin(string node, long productNumber)
    {
        if (productNumber is < 0 or > 9999) throw new ArgumentOutOfRangeException(nameof(productNumber));
        var nodeNumber = node == NodeIds.Hub ? 0 : (int)(Fnv(node) % 999) + 1;
        var body = "2" + CountyDigits + nodeNumber.ToString("D3", CultureInfo.InvariantCulture) + productNumber.ToString("D4", CultureInfo.InvariantCulture);
        return body + CheckDigit(body);
    }

    /// <summary>The GS1 mod-10 check digit of the first 12 digits of a GTIN-13 (weights 1,3,1,3… from the left).</summary>
    public static char CheckDigit(string twelveDigits)
    {
        ArgumentNullException.ThrowIfNull(twelveDigits);
        if (twelveDigits.Length != 12 || !twelveDigits.All(char.IsAsciiDigit)) throw new ArgumentException("12 digits expected", nameof(twelveDigits));
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += (twelveDigits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        return (char)('0' + (10 - sum % 10) % 10);
    }

    public static bool IsValidGtin13(string? code) =>
        code is { Length: 13 } && code.All(char.IsAsciiDigit) && CheckDigit(code[..12]) == code[12];

    private static string Encode(long value, int length)
    {
        var chars = new char[length];
        for (var i = length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % Alphabet.Length)];
            value /= Alphabet.Length;
        }
        return new string(chars);
    }

    private static long Pow(int b, int e)
    {
        long r = 1;
        for (var i = 0; i < e; i++) r *= b;
        return r;
    }

    private static ulong Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var by in Encoding.UTF8.GetBytes(s))
        {
            h ^= by;
            h *= 1099511628211UL;
        }
        return h;
    }
}
