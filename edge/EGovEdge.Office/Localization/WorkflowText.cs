namespace EGovEdge.Office.Localization;

/// <summary>Marker for the Workflow module's UI strings (WorkflowText.resx is Simplified Chinese, the default; WorkflowText.en.resx is English).</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<WorkflowText>; it is never instantiated.
public sealed class WorkflowText
#pragma warning restore CA1052
{
    private WorkflowText()
    {
    }
}
