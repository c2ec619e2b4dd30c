namespace EGovEdge.Sync.Clock;

/// <summary>
/// Issues monotonic <see cref="Hlc"/> stamps for one node. Local events call <see cref="Next"/>;
/// stamps received from other nodes are fed to <see cref="Observe(Hlc)"/> so later local stamps sort after them
/// whatever the wall clocks say.
/// </summary>
public sealed class HlcClock(string nodeId, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _wall;
    private int _counter;

    public string NodeId { get; } = NodeIds.IsValid(nodeId) ? nodeId : throw new ArgumentException($"Invalid node id '{nodeId}'.", nameof(nodeId));

    public Hlc Next()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            if (now > _wall)
            {
                _wall = now;
                _counter = 0;
            }
            else
            {
                _counter++;
                if (_counter >= 100_000)
                {
                    _wall++;
                    _counter = 0;
                }
            }
            return new Hlc(_wall, _counter, NodeId);
        }
    }

    public void Observe(Hlc remote)
    {
        lock (_gate)
        {
            if (remote.WallMs > _wall)
            {
                _wall = remote.WallMs;
                _counter = remote.Counter;
            }
            else if (remote.WallMs == _wall && remote.Counter > _counter)
            {
                _counter = remote.Counter;
            }
        }
    }

    public void Observe(string? remote)
    {
        if (Hlc.TryParse(remote, out var hlc)) Observe(hlc);
    }
}
