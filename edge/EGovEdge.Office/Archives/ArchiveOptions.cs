using EGovEdge.Office.Documents;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Archives;

/// <summary>
/// <c>EGov:Archive</c>: the 全宗号 of this node's organ (<c>FondsCode</c>, default the node id in capitals) and the
/// organ's approved retention schedule (<c>Retention:&lt;文种&gt;</c> = Y, D30 or D10), which overrides the defaults
/// of <see cref="RetentionSchedule"/> type by type.
/// </summary>
public sealed class ArchiveOptions
{
    public const string Section = "EGov:Archive";

    public string? FondsCode { get; set; }

    public Dictionary<string, string> Retention { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Null when valid, else what is wrong (checked at start).</summary>
    public string? Problem()
    {
        if (!string.IsNullOrWhiteSpace(FondsCode) && !ArchiveCodes.IsValidFonds(FondsCode.Trim()))
        {
            return $"{Section}:FondsCode '{FondsCode}' must be 1-16 letters or digits";
        }
        foreach (var (type, code) in Retention)
        {
            if (RetentionSchedule.Parse(code) is null) return $"{Section}:Retention:{type} is '{code}'; use Y (永久), D30 (定期30年) or D10 (定期10年)";
        }
        return null;
    }
}

/// <summary>A wrong 全宗号 or retention code stops the node at start, naming the key.</summary>
internal sealed class ArchiveOptionsValidator : IValidateOptions<ArchiveOptions>
{
    public ValidateOptionsResult Validate(string? name, ArchiveOptions options) =>
        options?.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}

/// <summary>保管期限 (8号令 第六条): 永久, 定期30年, 定期10年, written Y, D30, D10 in the 档号.</summary>
public static class RetentionSchedule
{
    public const string Permanent = "Y";
    public const string Years30 = "D30";
    public const string Years10 = "D10";

    public static readonly IReadOnlyList<string> Codes = [Permanent, Years30, Years10];

    /// <summary>
    /// The defaults for the document types the app uses, until the organ's approved schedule is configured: resolutions, decisions,
    /// 纪要, 请示 with their 批复, orders and opinions are kept permanently; reports and notices 30 years; the rest 10.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["决议"] = Permanent,
        ["决定"] = Permanent,
        ["纪要"] = Permanent,
        ["请示"] = Permanent,
        ["批复"] = Permanent,
        ["命令(令)"] = Permanent,
        ["意见"] = Permanent,
        ["报告"] = Years30,
        ["通知"] = Years30,
    };

    /// <summary>The names of the periods as the archival metadata records them (8号令 第六条), by code.</summary>
    public static string NameOf(string code) => code switch
    {
        Permanent => "永久",
        Years30 => "定期30年",
        Years10 => "定期10年",
        _ => code,
    };

    /// <summary>The code for Y/D30/D10 in any letter case; null when not one of them.</summary>
    public static string? Parse(string? code)
    {
        var c = code?.Trim().ToUpperInvariant();
        return c is not null && Codes.Contains(c) ? c : null;
    }

    /// <summary>The retention of a document type: configured, else the default, else 定期10年.</summary>
    public static string For(string? docType, IReadOnlyDictionary<string, string>? configured)
    {
        var type = DocumentTypes.Normalize(docType) ?? docType?.Trim() ?? "";
        if (configured is not null)
        {
            foreach (var (key, value) in configured)
            {
                var k = DocumentTypes.Normalize(key) ?? key.Trim();
                if (k == type && Parse(value) is { } code) return code;
            }
        }
        return Defaults.GetValueOrDefault(type, Years10);
    }
}
