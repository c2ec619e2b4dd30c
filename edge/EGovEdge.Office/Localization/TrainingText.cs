namespace EGovEdge.Office.Localization;

/// <summary>Marker for UI strings (TrainingText.resx is Simplified Chinese, the default; TrainingText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<TrainingText>; it is never instantiated.
public sealed class TrainingText
#pragma warning restore CA1052
{
    private TrainingText()
    {
    }
}
