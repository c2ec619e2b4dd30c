namespace EGovEdge.Office.Localization;

/// <summary>Marker for UI strings (TraceText.resx is Simplified Chinese, the default; TraceText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<TraceText>; it is never instantiated.
public sealed class TraceText
#pragma warning restore CA1052
{
    private TraceText()
    {
    }
}
