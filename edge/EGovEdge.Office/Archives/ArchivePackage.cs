using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Printing;
using EGovEdge.Office.Seals;

namespace EGovEdge.Office.Archives;

/// <summary>
/// What an archival package is built from: the item's recorded facts, the document's sealed files and the package layout
/// the item was filed with (<see cref="ArchivePackage.CurrentVersion"/> for new items).
/// </summary>
public sealed record PackageInput(PackageMetadata Metadata, string HandlingJson, string SealJson, SealSubject Files, DateTimeOffset FiledUtc,
    int Version = ArchivePackage.CurrentVersion);

/// <summary>One entry of the package and its SM3.</summary>
public sealed record PackageEntry(string Path, string Kind, long Size, string Sm3);

/// <summary>A built package: the zip bytes, its manifest and the SM3 of the whole zip.</summary>
public sealed record BuiltPackage(byte[] Zip, IReadOnlyList<PackageEntry> Entries, string ManifestJson, string Sm3);

/// <summary>
/// The archival information package of one item (DA/T 22-2015 件; GB/T 18894-2016): the final PDF (正本) and the
/// attachments, <c>文件处理单.json</c> (every workflow step: who, when, on which node, opinion), since layout 2 the same
/// sheet as <c>文件处理单.pdf</c> (发文稿纸 / 收文处理单, <see cref="HandlingSheetRenderer"/>), <c>seal.json</c> (the seal
/// verification at filing), <c>metadata.json</c> and <c>manifest.json</c> (each file with its SM3). The same input gives
/// the same bytes: fixed entry order and timestamps (the filing time), stored (not deflated) entries, "\n" line ends, a
/// deterministic PDF, so the SM3 recorded at filing can be checked again at any time. Items filed before layout 2 record
/// no version and are rebuilt in layout 1 (without the PDF), so their recorded SM3 still matches.
/// </summary>
public static class ArchivePackage
{
    public const string MetadataEntry = "metadata.json";
    public const string HandlingEntry = "文件处理单.json";
    public const string HandlingPdfEntry = "文件处理单.pdf";
    public const string SealEntry = "seal.json";
    public const string ManifestEntry = "manifest.json";
    public const string PdfEntry = "正本.pdf";
    public const string AttachmentFolder = "附件/";

    /// <summary>Layout 1: metadata, handling sheet (JSON), seal, 正本, attachments, manifest. Items that record no version.</summary>
    public const int LegacyVersion = 1;

    /// <summary>Layout 2: layout 1 plus the handling sheet as a PDF (文件处理单.pdf) after its JSON.</summary>
    public const int CurrentVersion = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        TypeInfoResolver = ArchivePackageJsonContext.Default,
    };

    public static byte[] ToJson<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, (JsonTypeInfo<T>)Json.GetTypeInfo(typeof(T)));

    public static T? FromJson<T>(string? json) where T : class
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)Json.GetTypeInfo(typeof(T)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static BuiltPackage Build(PackageInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var files = new List<(string Path, string Kind, byte[] Data)>
        {
            (MetadataEntry, "metadata", ToJson(input.Metadata)),
            (HandlingEntry, "handling", Encoding.UTF8.GetBytes(input.HandlingJson)),
        };
        if (input.Version >= CurrentVersion) files.Add((HandlingPdfEntry, "handling-pdf", new HandlingSheetRenderer().Render(SheetOf(input))));
        files.Add((SealEntry, "seal", Encoding.UTF8.GetBytes(input.SealJson)));
        if (input.Files.Pdf.Length > 0) files.Add((PdfEntry, "pdf", input.Files.Pdf));
        var n = 0;
        foreach (var a in input.Files.Attachments)
        {
            n++;
            files.Add((AttachmentFolder + n.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "-" + SafeName(a.Name), "attachment", a.Data));
        }
        var entries = files.Select(f => new PackageEntry(f.Path, f.Kind, f.Data.LongLength, SmCrypto.Sm3Hex(f.Data))).ToList();
        var manifest = ToJson(new PackageManifest
        {
            ArchivalCode = input.Metadata.ArchivalCode,
            Algorithm = "SM3",
            Files = entries.Select(e => new ManifestFile { Path = e.Path, Kind = e.Kind, Size = e.Size, Sm3 = e.Sm3 }).ToList(),
        });
        files.Add((ManifestEntry, "manifest", manifest));

        // DOS time has no zone: the filing time as read on a clock in China.
        var stamp = new DateTimeOffset(ChinaTime.ToChina(input.FiledUtc).DateTime, TimeSpan.Zero);
        if (stamp.Year < 1980) stamp = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8))
        {
            foreach (var (path, _, data) in files)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.NoCompression);
                entry.LastWriteTime = stamp;
                entry.ExternalAttributes = 0;
                using var s = entry.Open();
                s.Write(data);
            }
        }
        var bytes = buffer.ToArray();
        return new BuiltPackage(bytes, entries, Encoding.UTF8.GetString(manifest), SmCrypto.Sm3Hex(bytes));
    }

    /// <summary>The printable handling sheet: the header from the item's metadata, the steps from 文件处理单.json.</summary>
    public static HandlingSheetDocument SheetOf(PackageInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var m = input.Metadata;
        var handling = FromJson<HandlingSheet>(input.HandlingJson);
        return new HandlingSheetDocument
        {
            Incoming = m.Direction == ArchiveTables.DirectionIn,
            Organ = m.Issuer ?? "",
            Number = m.DocNumber,
            Title = m.Title,
            Secrecy = m.Secrecy,
            Urgency = handling?.Urgency,
            DateWritten = m.DateWritten,
            ArchivalCode = m.ArchivalCode,
            Steps = (handling?.Steps ?? []).Select(s => new HandlingSheetEntry(
                s.KindName, s.ActorName ?? s.Actor, ParseUtc(s.AtUtc), s.NodeName ?? s.Node, s.Opinion)).ToList(),
        };
    }

    private static DateTimeOffset ParseUtc(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : DateTimeOffset.UnixEpoch;

    private static string SafeName(string name)
    {
        var clean = new string(name.Select(c => c is '/' or '\\' || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        return clean.Length == 0 ? "attachment" : clean;
    }
}

/// <summary>metadata.json: the 件's description (GB/T 33480 core elements the app records).</summary>
public sealed class PackageMetadata
{
    public required string ArchivalCode { get; init; }
    public required string Fonds { get; init; }
    public string Category { get; init; } = ArchiveCodes.Category;
    public long Year { get; init; }
    public required string Retention { get; init; }
    public required string RetentionName { get; init; }
    public string? RetentionDefault { get; init; }
    public string? RetentionReason { get; init; }
    public long ItemNo { get; init; }
    public required string Title { get; init; }
    public string? DocType { get; init; }
    public string? DocNumber { get; init; }
    public required string DateWritten { get; init; }
    public required string Secrecy { get; init; }
    public string? Issuer { get; init; }
    public required string Direction { get; init; }
    public required string Node { get; init; }
    public required string DocumentId { get; init; }
    public required string FiledBy { get; init; }
    public string? FiledByName { get; init; }
    public required string FiledUtc { get; init; }
    public string? Note { get; init; }
}

/// <summary>文件处理单.json: the document's handling, step by step.</summary>
public sealed class HandlingSheet
{
    public required string DocumentId { get; init; }
    public required string Title { get; init; }
    public required string Direction { get; init; }
    /// <summary>紧急程度 (recorded since layout 2; absent in older sheets).</summary>
    public string? Urgency { get; init; }
    public required IReadOnlyList<HandlingStep> Steps { get; init; }
}

public sealed class HandlingStep
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string KindName { get; init; }
    public required string Node { get; init; }
    /// <summary>The node's organ name at filing (recorded since layout 2; absent in older sheets).</summary>
    public string? NodeName { get; init; }
    public string? Recipient { get; init; }
    public required string Actor { get; init; }
    public string? ActorName { get; init; }
    public required string AtUtc { get; init; }
    public string? Opinion { get; init; }
}

/// <summary>seal.json: the seal verification as done at filing.</summary>
public sealed class SealRecord
{
    public bool Sealed { get; init; }
    public bool Valid { get; init; }
    public string? Reason { get; init; }
    public string? SealId { get; init; }
    public string? SealName { get; init; }
    public string? Signer { get; init; }
    public string? Node { get; init; }
    public string? SealedUtc { get; init; }
    public string? DigestSm3 { get; init; }
    public required string VerifiedUtc { get; init; }
}

/// <summary>manifest.json: every other entry of the package with its size and SM3.</summary>
public sealed class PackageManifest
{
    public required string ArchivalCode { get; init; }
    public required string Algorithm { get; init; }
    public required IReadOnlyList<ManifestFile> Files { get; init; }
}

public sealed class ManifestFile
{
    public required string Path { get; init; }
    public required string Kind { get; init; }
    public long Size { get; init; }
    public required string Sm3 { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PackageMetadata))]
[JsonSerializable(typeof(HandlingSheet))]
[JsonSerializable(typeof(SealRecord))]
[JsonSerializable(typeof(PackageManifest))]
public sealed partial class ArchivePackageJsonContext : JsonSerializerContext;
