using EGovEdge.Sync;

namespace EGovEdge.Office.Hosting;

/// <summary>Where this node keeps its files and whether it is the county hub (registered by hub and edge alike).</summary>
public sealed record NodeEnvironment(string NodeId, string DataDir)
{
    public bool IsHub => NodeId == NodeIds.Hub;

    /// <summary>A directory under DataDir (created on first use), e.g. "keys/seals".</summary>
    public string Dir(string relative)
    {
        var path = Path.Combine(DataDir, relative);
        Directory.CreateDirectory(path);
        return path;
    }
}
