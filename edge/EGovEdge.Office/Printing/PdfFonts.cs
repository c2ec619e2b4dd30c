using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace EGovEdge.Office.Printing;

/// <summary>One font file the renderer needs: where Debian installs it and which package provides it.</summary>
public sealed record PdfFontFile(string Family, string FaceName, string FileName, string DebianPackage, string DebianPath);

/// <summary>A font the renderer needs is missing or unusable; nothing is substituted.</summary>
public sealed class PdfFontMissingException(string message) : Exception(message);

/// <summary>
/// The CJK fonts used for GB/T 9704 output: AR PL SungtiL GB (a Song face) for banner, title and body, and
/// AR PL KaitiM GB (Kai) for signer names. Both are TrueType files from Debian's packages; PDFsharp 6.2 cannot embed a
/// face from a .ttc collection or a CFF-outline OpenType font (fonts-noto-cjk), so those are not candidates.
/// Set <c>EGOV_FONTS_DIR</c> to a folder holding the .ttf files to override the Debian locations.
/// </summary>
public static class PdfFonts
{
    public const string Song = "EGov Song";
    public const string Kai = "EGov Kai";
    public const string DirectoryVariable = "EGOV_FONTS_DIR";

    public static readonly IReadOnlyList<PdfFontFile> Required =
    [
        new(Song, "GBSN00LP", "gbsn00lp.ttf", "fonts-arphic-gbsn00lp", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
        new(Kai, "GKAI00MP", "gkai00mp.ttf", "fonts-arphic-gkai00mp", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"),
    ];

    private static readonly Lock Gate = new();
    private static readonly CjkFontResolver Resolver = new();

    /// <summary>Where the file of <paramref name="font"/> is looked for, in order.</summary>
    public static IEnumerable<string> Candidates(PdfFontFile font)
    {
        ArgumentNullException.ThrowIfNull(font);
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir) yield return Path.Combine(dir, font.FileName);
        yield return font.DebianPath;
    }

    /// <summary>Problems with the fonts (empty when all are usable): for a node health check.</summary>
    public static IReadOnlyList<string> Check()
    {
        var problems = new List<string>();
        foreach (var font in Required)
        {
            if (Locate(font, out var problem) is null) problems.Add(problem!);
        }
        return problems;
    }

    /// <summary>Installs the resolver once (thread-safe) and fails, naming the font and its package, when one is missing.</summary>
    public static void EnsureReady()
    {
        var problems = Check();
        if (problems.Count > 0) throw new PdfFontMissingException(string.Join(" ", problems));
        lock (Gate)
        {
            if (ReferenceEquals(GlobalFontSettings.FontResolver, Resolver)) return;
            if (GlobalFontSettings.FontResolver is not null)
            {
                throw new InvalidOperationException("Another PDFsharp font resolver is installed; the GB/T 9704 renderer needs its own.");
            }
            GlobalFontSettings.FontResolver = Resolver;
        }
    }

    /// <summary>Problems with the fonts when looking only in <paramref name="directory"/> (for tests and deploy checks).</summary>
    public static IReadOnlyList<string> CheckDirectory(string directory)
    {
        var problems = new List<string>();
        foreach (var font in Required)
        {
            if (Locate(font, [Path.Combine(directory, font.FileName)], out var problem) is null) problems.Add(problem!);
        }
        return problems;
    }

    internal static string? Locate(PdfFontFile font, out string? problem) => Locate(font, Candidates(font), out problem);

    private static string? Locate(PdfFontFile font, IEnumerable<string> candidates, out string? problem)
    {
        problem = null;
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            if (!IsTrueType(path))
            {
                problem = $"Font '{font.FileName}' at {path} has no TrueType outlines (reinstall Debian package {font.DebianPackage}).";
                return null;
            }
            return path;
        }
        problem = $"Font '{font.FileName}' ({font.Family}) is missing: install Debian package {font.DebianPackage} ({font.DebianPath}).";
        return null;
    }

    /// <summary>A single-font TrueType file (sfnt 1.0 or 'true') with a 'glyf' table.</summary>
    private static bool IsTrueType(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            Span<byte> head = stackalloc byte[12];
            if (f.Read(head) != 12) return false;
            var version = BinaryPrimitives.ReadUInt32BigEndian(head);
            if (version is not (0x00010000u or 0x74727565u)) return false;
            var tables = BinaryPrimitives.ReadUInt16BigEndian(head[4..]);
            Span<byte> rec = stackalloc byte[16];
            for (var i = 0; i < tables; i++)
            {
                if (f.Read(rec) != 16) return false;
                if (rec[0] == 'g' && rec[1] == 'l' && rec[2] == 'y' && rec[3] == 'f') return true;
            }
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Maps our two family names to the Debian files; any other family is refused rather than substituted.</summary>
    private sealed class CjkFontResolver : IFontResolver
    {
        private readonly Dictionary<string, byte[]> _bytes = new(StringComparer.Ordinal);

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
        {
            var font = Required.FirstOrDefault(f => string.Equals(f.Family, familyName, StringComparison.OrdinalIgnoreCase))
                ?? throw new PdfFontMissingException($"Font family '{familyName}' is not provided by the GB/T 9704 renderer.");
            return new FontResolverInfo(font.FaceName);
        }

        public byte[]? GetFont(string faceName)
        {
            lock (_bytes)
            {
                if (_bytes.TryGetValue(faceName, out var cached)) return cached;
                var font = Required.First(f => f.FaceName == faceName);
                var path = Locate(font, out var problem) ?? throw new PdfFontMissingException(problem!);
                var bytes = File.ReadAllBytes(path);
                _bytes[faceName] = bytes;
                return bytes;
            }
        }
    }
}
