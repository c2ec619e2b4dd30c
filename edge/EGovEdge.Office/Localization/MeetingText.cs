namespace EGovEdge.Office.Localization;

/// <summary>Marker for the Meetings module's UI strings (MeetingText.resx is Simplified Chinese, the default; MeetingText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<MeetingText>; it is never instantiated.
public sealed class MeetingText
#pragma warning restore CA1052
{
    private MeetingText()
    {
    }
}
