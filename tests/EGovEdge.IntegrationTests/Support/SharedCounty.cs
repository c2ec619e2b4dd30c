using Xunit.Sdk;

namespace EGovEdge.IntegrationTests.Support;

/// <summary>
/// One hub and three edges (guangshun, malu, baisuo) shared by the tests whose state does not interfere: every such
/// test works on documents it creates itself (unique titles, ids it holds). Edges sync every second.
/// The hub also knows daihua, whose key no edge presents correctly (the refused-key tests).
/// </summary>
public sealed class SharedCounty(IMessageSink sink) : IAsyncLifetime
{
    private TestWorkspace? _workspace;

    public TestWorkspace Workspace => _workspace ?? throw new InvalidOperationException("fixture not initialised");

    public HubNode Hub { get; private set; } = null!;

    public EdgeNode Guangshun { get; private set; } = null!;

    public EdgeNode Malu { get; private set; } = null!;

    public EdgeNode Baisuo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _workspace = new TestWorkspace("shared-county", line => sink.OnMessage(new DiagnosticMessage("[shared-county] " + line)));
        Hub = _workspace.AddHub([County.Guangshun, County.Malu, County.Baisuo, County.Daihua]);
        if (AppBinaries.StalenessWarning(Hub.Binary) is { } warning) sink.OnMessage(new DiagnosticMessage(warning));
        await Hub.StartAsync();
        Guangshun = _workspace.AddEdge("guangshun", Hub.BaseUrl, County.Guangshun.Key);
        Malu = _workspace.AddEdge("malu", Hub.BaseUrl, County.Malu.Key);
        Baisuo = _workspace.AddEdge("baisuo", Hub.BaseUrl, County.Baisuo.Key);
        try
        {
            await TestWorkspace.StartAllAsync(Guangshun, Malu, Baisuo);
            foreach (var edge in new[] { Guangshun, Malu, Baisuo }) await Sync.WaitForQuietAsync(edge);
        }
        catch (Exception ex)
        {
            _workspace.KeepFiles = true;
            var tails = string.Join("\n", _workspace.Nodes.Select(n => $"---- {n}, last lines of {n.LogFile}:\n{n.LogTail(30)}"));
            throw new InvalidOperationException($"The shared county did not come up ({ex.Message}). Files kept in {_workspace.Root}.\n{tails}", ex);
        }
    }

    /// <summary>Sends the workspace's progress lines to the current test's output.</summary>
    public void AttachOutput(Action<string> log) => Workspace.Log = log;

    public async Task DisposeAsync()
    {
        if (_workspace is not null) await _workspace.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedCountyCollection : ICollectionFixture<SharedCounty>
{
    public const string Name = "shared county (hub + guangshun + malu + baisuo)";
}
