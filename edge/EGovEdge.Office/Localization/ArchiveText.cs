namespace EGovEdge.Office.Localization;

/// <summary>Marker for UI strings (ArchiveText.resx is Simplified Chinese, the default; ArchiveText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<ArchiveText>; it is never instantiated.
public sealed class ArchiveText
#pragma warning restore CA1052
{
    private ArchiveText()
    {
    }
}
