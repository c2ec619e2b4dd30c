namespace EGovEdge.Office.Localization;

/// <summary>Marker for the Seals module's UI strings (SealText.resx is Simplified Chinese, the default; SealText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<SealText>; it is never instantiated.
public sealed class SealText
#pragma warning restore CA1052
{
    private SealText()
    {
    }
}
