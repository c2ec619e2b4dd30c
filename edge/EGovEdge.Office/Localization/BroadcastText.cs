namespace EGovEdge.Office.Localization;

/// <summary>Marker for UI strings (BroadcastText.resx is Simplified Chinese, the default; BroadcastText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<BroadcastText>; it is never instantiated.
public sealed class BroadcastText
#pragma warning restore CA1052
{
    private BroadcastText()
    {
    }
}
