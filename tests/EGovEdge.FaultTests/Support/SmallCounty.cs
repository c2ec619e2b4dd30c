using Xunit.Sdk;

namespace EGovEdge.FaultTests.Support;

/// <summary>
/// A hub (townships guangshun, malu, baisuo) and the guangshun edge, syncing every second, in sync at the start. Shared by
/// the tests of hostile sync requests (which speak as malu and baisuo with store ids of their own, so they never meet)
/// and the /metrics tests.
/// </summary>
public sealed class SmallCounty(IMessageSink sink) : IAsyncLifetime
{
    private TestWorkspace? _workspace;

    public TestWorkspace Workspace => _workspace ?? throw new InvalidOperationException("fixture not initialised");

    public HubNode Hub { get; private set; } = null!;

    public EdgeNode Guangshun { get; private set; } = null!;

    /// <summary>The schema version the edge reported to the hub (sent by the hand-made requests too).</summary>
    public int SchemaVersion { get; private set; }

    public async Task InitializeAsync()
    {
        _workspace = new TestWorkspace("fault-small-county", line => sink.OnMessage(new DiagnosticMessage("[fault-small-county] " + line)));
        try
        {
            Apps.WarnIfStale(line => sink.OnMessage(new DiagnosticMessage(line)));
            Hub = _workspace.AddHub([County.Guangshun, County.Malu, County.Baisuo], binary: Apps.Hub);
            await Hub.StartAsync();
            Guangshun = _workspace.AddEdge("guangshun", Hub.BaseUrl, County.Guangshun.Key, binary: Apps.Edge);
            await Guangshun.StartAsync();
            await Quiet.WaitForEdgeAsync(Guangshun, TimeSpan.FromSeconds(90));
            SchemaVersion = (int)Hub.Db.Long("SELECT schema_version FROM hub_nodes WHERE node = 'guangshun'");
        }
        catch (Exception ex)
        {
            _workspace.KeepFiles = true;
            var tails = string.Join("\n", _workspace.Nodes.Select(n => $"---- {n}, last lines of {n.LogFile}:\n{n.LogTail(30)}"));
            throw new InvalidOperationException($"The test county did not come up ({ex.Message}). Files kept in {_workspace.Root}.\n{tails}", ex);
        }
    }

    public void AttachOutput(Action<string> log) => Workspace.Log = log;

    public async Task DisposeAsync()
    {
        if (_workspace is not null) await _workspace.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SmallCountyCollection : ICollectionFixture<SmallCounty>
{
    public const string Name = "fault small county (hub + guangshun)";
}
