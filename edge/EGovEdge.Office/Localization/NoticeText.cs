namespace EGovEdge.Office.Localization;

/// <summary>Marker for the Notices module's UI strings (NoticeText.resx is Simplified Chinese, the default; NoticeText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<NoticeText>; it is never instantiated.
public sealed class NoticeText
#pragma warning restore CA1052
{
    private NoticeText()
    {
    }
}
