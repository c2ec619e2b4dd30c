namespace EGovEdge.Office.Documents;

/// <summary>紧急程度 (GB/T 9704-2012): ordinary, urgent (加急) and extra urgent (特急).</summary>
public static class Urgency
{
    public const string Normal = "普通";
    public const string Urgent = "加急";
    public const string ExtraUrgent = "特急";

    public static readonly IReadOnlyList<string> All = [Normal, Urgent, ExtraUrgent];

    public static bool IsValid(string? value) => value is not null && All.Contains(value);
}
