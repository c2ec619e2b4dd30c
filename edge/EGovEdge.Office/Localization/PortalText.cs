namespace EGovEdge.Office.Localization;

/// <summary>Marker for UI strings (PortalText.resx is Simplified Chinese, the default; PortalText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<PortalText>; it is never instantiated.
public sealed class PortalText
#pragma warning restore CA1052
{
    private PortalText()
    {
    }
}
