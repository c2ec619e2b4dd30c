namespace EGovEdge.Office.Localization;

/// <summary>Marker for the Vehicles module's UI strings (VehicleText.resx is Simplified Chinese, the default; VehicleText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<VehicleText>; it is never instantiated.
public sealed class VehicleText
#pragma warning restore CA1052
{
    private VehicleText()
    {
    }
}
