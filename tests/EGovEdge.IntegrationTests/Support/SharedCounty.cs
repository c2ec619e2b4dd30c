using Xunit.Sdk;

namespace EGovEdge.IntegrationTests.Support;

/// <summary>
/// One hub and three edges (guangshun, malu, baisuo) shared by the tests whose state does not interfere: every such
/// test works on documents, accounts and townships it creates itself (unique titles and names, ids it holds). Edges
/// sync every second. The hub also knows daihua, whose key no edge presents correctly (the refused-key tests), and
/// guyang, whose edge only the write-authorization test starts. One county per hub database engine
/// (<see cref="SharedCountyOnSqlite"/>, <see cref="SharedCountyOnPostgres"/>), each with its own collection.
/// </summary>
public abstract class SharedCounty(IMessageSink sink, HubProvider provider) : IAsyncLifetime
{
    private TestWorkspace? _workspace;

    public HubProvider Provider { get; } = provider;

    public TestWorkspace Workspace => _workspace ?? throw new InvalidOperationException("fixture not initialised");

    public HubNode Hub { get; private set; } = null!;

    public EdgeNode Guangshun { get; private set; } = null!;

    public EdgeNode Malu { get; private set; } = null!;

    public EdgeNode Baisuo { get; private set; } = null!;

    public IReadOnlyList<EdgeNode> Edges => [Guangshun, Malu, Baisuo];

    public async Task InitializeAsync()
    {
        var tag = Provider == HubProvider.Postgres ? "pg" : "sqlite";
        _workspace = new TestWorkspace("shared-county-" + tag, line => sink.OnMessage(new DiagnosticMessage($"[shared-county {tag}] " + line)));
        try
        {
            Hub = _workspace.AddHub([County.Guangshun, County.Malu, County.Baisuo, County.Daihua, County.Guyang], Provider);
            if (AppBinaries.StalenessWarning(Hub.Binary) is { } warning) sink.OnMessage(new DiagnosticMessage(warning));
            await Hub.StartAsync();
            Guangshun = _workspace.AddEdge("guangshun", Hub.BaseUrl, County.Guangshun.Key);
            Malu = _workspace.AddEdge("malu", Hub.BaseUrl, County.Malu.Key);
            Baisuo = _workspace.AddEdge("baisuo", Hub.BaseUrl, County.Baisuo.Key);
            await TestWorkspace.StartAllAsync(Guangshun, Malu, Baisuo);
            foreach (var edge in Edges) await Sync.WaitForQuietAsync(edge);
        }
        catch (Exception ex)
        {
            _workspace.KeepFiles = true;
            var tails = string.Join("\n", _workspace.Nodes.Select(n => $"---- {n}, last lines of {n.LogFile}:\n{n.LogTail(30)}"));
            throw new InvalidOperationException($"The shared county ({Provider} hub) did not come up ({ex.Message}). Files kept in {_workspace.Root}.\n{tails}", ex);
        }
    }

    /// <summary>Sends the workspace's progress lines to the current test's output.</summary>
    public void AttachOutput(Action<string> log) => Workspace.Log = log;

    /// <summary>
    /// Restarts the hub if a test left it stopped and waits until every edge syncs again, so the next test starts
    /// from a county that works.
    /// </summary>
    public async Task EnsureHubRunningAsync()
    {
        if (!Hub.IsRunning) await Hub.StartAsync();
        foreach (var edge in Edges) await Sync.WaitForQuietAsync(edge, TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        if (_workspace is not null) await _workspace.DisposeAsync();
    }
}

/// <summary>The shared county with its hub on SQLite (DataDir/hub.db).</summary>
public sealed class SharedCountyOnSqlite(IMessageSink sink) : SharedCounty(sink, HubProvider.Sqlite);

/// <summary>The shared county with its hub on a PostgreSQL database of its own (EGOV_TEST_PG).</summary>
public sealed class SharedCountyOnPostgres(IMessageSink sink) : SharedCounty(sink, HubProvider.Postgres);

/// <summary>
/// Every test that runs with a SQLite hub: one lane. The two lanes (SQLite, PostgreSQL) run side by side
/// (xunit.runner.json: two collections in parallel); within a lane tests run one at a time. Each lane shares one
/// county (<see cref="SharedCounty"/>); tests that need a hub of their own start it in their own workspace.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SqliteHubCollection : ICollectionFixture<SharedCountyOnSqlite>
{
    public const string Name = "SQLite hub";
}

/// <summary>Every test that runs with a PostgreSQL hub (EGOV_TEST_PG): the other lane.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresHubCollection : ICollectionFixture<SharedCountyOnPostgres>
{
    public const string Name = "PostgreSQL hub";
}
