using System.Globalization;

namespace EGovEdge.Sync.Clock;

/// <summary>
/// A hybrid logical clock stamp: wall milliseconds, a logical counter and the node that made it.
/// Its text form <c>0001732700000000.00000@node</c> sorts the same way as the stamps themselves,
/// so databases can compare stamps as plain strings.
/// </summary>
public readonly record struct Hlc(long WallMs, int Counter, string Node) : IComparable<Hlc>
{
    public const int WallDigits = 16;
    public const int CounterDigits = 5;

    public int CompareTo(Hlc other)
    {
        var c = WallMs.CompareTo(other.WallMs);
        if (c != 0) return c;
        c = Counter.CompareTo(other.Counter);
        return c != 0 ? c : string.CompareOrdinal(Node, other.Node);
    }

    public override string ToString() =>
        WallMs.ToString("D" + WallDigits, CultureInfo.InvariantCulture) + "." +
        Counter.ToString("D" + CounterDigits, CultureInfo.InvariantCulture) + "@" + Node;

    public static Hlc Parse(string text) =>
        TryParse(text, out var hlc) ? hlc : throw new FormatException($"Not a hybrid logical clock stamp: '{text}'.");

    public static bool TryParse(string? text, out Hlc hlc)
    {
        hlc = default;
        if (text is null || text.Length < WallDigits + CounterDigits + 3) return false;
        if (text[WallDigits] != '.' || text[WallDigits + 1 + CounterDigits] != '@') return false;
        if (!long.TryParse(text.AsSpan(0, WallDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var wall)) return false;
        if (!int.TryParse(text.AsSpan(WallDigits + 1, CounterDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var counter)) return false;
        var node = text[(WallDigits + CounterDigits + 2)..];
        if (!NodeIds.IsValid(node)) return false;
        hlc = new Hlc(wall, counter, node);
        return true;
    }

    /// <summary>Ordinal comparison of two stamps in text form (equal to comparing the parsed stamps).</summary>
    public static int CompareText(string a, string b) => string.CompareOrdinal(a, b);

    public static bool operator <(Hlc a, Hlc b) => a.CompareTo(b) < 0;
    public static bool operator >(Hlc a, Hlc b) => a.CompareTo(b) > 0;
    public static bool operator <=(Hlc a, Hlc b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Hlc a, Hlc b) => a.CompareTo(b) >= 0;
}
