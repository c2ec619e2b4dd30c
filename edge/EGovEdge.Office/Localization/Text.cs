namespace EGovEdge.Office.Localization;

/// <summary>Marker for the UI strings (Text.resx is Simplified Chinese, the default; Text.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<Text>; it is never instantiated.
public sealed class Text
#pragma warning restore CA1052
{
    private Text()
    {
    }
}
