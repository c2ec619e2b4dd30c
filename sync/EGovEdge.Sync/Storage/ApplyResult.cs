namespace EGovEdge.Sync.Storage;

public sealed class ApplyResult
{
    public int Applied { get; set; }
    public int Skipped { get; set; }
    public int Conflicts { get; set; }
    public int Rejected { get; set; }
}
