namespace EGovEdge.Office.Localization;

/// <summary>Marker for UI strings (TicketText.resx is Simplified Chinese, the default; TicketText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<TicketText>; it is never instantiated.
public sealed class TicketText
#pragma warning restore CA1052
{
    private TicketText()
    {
    }
}
