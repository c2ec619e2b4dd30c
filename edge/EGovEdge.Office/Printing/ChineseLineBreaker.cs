namespace EGovEdge.Office.Printing;

/// <summary>
/// Greedy line breaking for Chinese text: a line may break between any two CJK characters; runs of Latin letters and
/// digits stay together; a line does not start with closing punctuation nor end with opening punctuation when the
/// previous character can move down with it (避头尾).
/// </summary>
public static class ChineseLineBreaker
{
    /// <summary>Closing punctuation that must not start a line.</summary>
    public const string Closing = "，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}";

    /// <summary>Opening punctuation that must not end a line.</summary>
    public const string Opening = "（《「『【〔〈“‘([{";

    /// <summary>Splits <paramref name="text"/> into lines no wider than <paramref name="width"/>; the first line is narrower by <paramref name="firstIndent"/>.</summary>
    public static IReadOnlyList<string> Break(string text, double width, Func<string, double> measure, double firstIndent = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(measure);
        var tokens = Tokens(text);
        var lines = new List<string>();
        var current = new List<string>();
        double x = 0;
        double limit = width - firstIndent;
        foreach (var token in tokens)
        {
            var w = measure(token);
            if (current.Count > 0 && x + w > limit + 0.01)
            {
                var carry = new List<string>();
                // Keep closing punctuation off the start of the next line: move the previous token down with it.
                if (IsClosing(token) && current.Count > 1) carry.Insert(0, Pop(current));
                // Keep opening punctuation off the end of this line.
                while (current.Count > 1 && IsOpening(current[^1])) carry.Insert(0, Pop(current));
                lines.Add(string.Concat(current));
                current = carry;
                limit = width;
                x = current.Sum(measure);
            }
            current.Add(token);
            x += w;
        }
        if (current.Count > 0 || lines.Count == 0) lines.Add(string.Concat(current));
        return lines;
    }

    private static string Pop(List<string> list)
    {
        var last = list[^1];
        list.RemoveAt(list.Count - 1);
        return last;
    }

    private static bool IsClosing(string token) => token.Length == 1 && Closing.Contains(token[0], StringComparison.Ordinal);

    private static bool IsOpening(string token) => token.Length == 1 && Opening.Contains(token[0], StringComparison.Ordinal);

    /// <summary>Single characters, except that ASCII letters and digits (with . , - / inside numbers) form one token.</summary>
    internal static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsAsciiLetterOrDigit(text[i]))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) ||
                       (text[i] is '.' or '-' or '/' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]) && i > start)))
                {
                    i++;
                }
                tokens.Add(text[start..i]);
            }
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length)
            {
                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else
            {
                tokens.Add(text[i].ToString());
                i++;
            }
        }
        return tokens;
    }
}
