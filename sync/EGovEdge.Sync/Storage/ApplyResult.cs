namespace EGovEdge.Sync.Storage;

public sealed class ApplyResult
{
    public int Applied { get; set; }
    public int Skipped { get; set; }
    public int Conflicts { get; set; }
    public int Rejected { get; set; }

    /// <summary>Changes kept for a newer schema of this node: rows of unknown tables, rows with unknown columns.</summary>
    public int Parked { get; set; }
}
