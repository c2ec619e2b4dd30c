using System.ComponentModel.DataAnnotations;

namespace EGovEdge.Sync.Agent;

public sealed class SyncAgentOptions
{
    /// <value>Change-log entries per pushed batch. Default 500.</value>
    [Range(1, 20_000)]
    public int PushBatchSize { get; set; } = 500;

    /// <value>Rows per pulled page. Default 500.</value>
    [Range(1, 5_000)]
    public int PullBatchSize { get; set; } = 500;

    /// <value>Let batch sizes follow the link (smaller after timeouts, larger when fast). Default true.</value>
    public bool AdaptiveBatchSize { get; set; } = true;

    /// <value>Schema version of this node's replicated tables.</value>
    public int SchemaVersion { get; set; } = 1;
}
