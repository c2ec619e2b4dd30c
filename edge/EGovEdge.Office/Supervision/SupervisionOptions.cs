namespace EGovEdge.Office.Supervision;

/// <summary>
/// Unit prices of the paper-and-cost method (<c>EGov:Supervision:*</c>). The defaults are derived from the county's own
/// published figures: 82,200 documents issued and 60,500 circulated a year (142,700 documents) came to about
/// 1,310,200 A4 sheets and saved 12.34万 yuan of paper, 20.57万 of printer consumables, 19.15万 of transport and 8万 of
/// other office supplies (60.06万 in all). So: 1,310,200 / 142,700 ≈ 9.18 sheets per document; 123,400 / 1,310,200
/// ≈ 0.0942 yuan of paper and 205,700 / 1,310,200 ≈ 0.157 yuan of consumables per sheet; 191,500 / 142,700 ≈ 1.342
/// yuan of transport and 80,000 / 142,700 ≈ 0.5606 yuan of other supplies per document.
/// </summary>
public sealed class SupervisionOptions
{
    public const string Section = "EGov:Supervision";

    /// <summary>A4 sheets per document when no rendered PDF is stored (or <see cref="UsePdfPageCounts"/> is off).</summary>
    public decimal SheetsPerDocument { get; set; } = 9.18m;

    /// <summary>Count the pages of each document's stored PDF (one sheet per page) instead of the average.</summary>
    public bool UsePdfPageCounts { get; set; } = true;

    public decimal PaperYuanPerSheet { get; set; } = 0.0942m;

    public decimal ConsumablesYuanPerSheet { get; set; } = 0.157m;

    public decimal TransportYuanPerDocument { get; set; } = 1.342m;

    public decimal OtherYuanPerDocument { get; set; } = 0.5606m;

    /// <summary>Longest period a report may cover, in days.</summary>
    public int MaxPeriodDays { get; set; } = 3660;
}
