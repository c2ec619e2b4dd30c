namespace EGovEdge.Office.Localization;

/// <summary>Marker for UI strings (SupervisionText.resx is Simplified Chinese, the default; SupervisionText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<SupervisionText>; it is never instantiated.
public sealed class SupervisionText
#pragma warning restore CA1052
{
    private SupervisionText()
    {
    }
}
