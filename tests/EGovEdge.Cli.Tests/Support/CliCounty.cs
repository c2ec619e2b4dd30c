using System.Collections.Concurrent;
using System.Globalization;
using Xunit.Sdk;

namespace EGovEdge.Cli.Tests.Support;

/// <summary>
/// A hub (townships guangshun, malu, baisuo) holding <see cref="CountyDocuments"/> county-wide documents, and the
/// guangshun edge running and in sync. Tests that change rows behind the engine's back put them back.
/// malu and baisuo have no edge running: bootstrap tests give them fresh data folders.
/// </summary>
public sealed class CliCounty(IMessageSink sink) : IAsyncLifetime
{
    public const int CountyDocuments = 2000;

    private TestWorkspace? _workspace;

    public TestWorkspace Workspace => _workspace ?? throw new InvalidOperationException("fixture not initialised");

    public HubNode Hub { get; private set; } = null!;

    public EdgeNode Guangshun { get; private set; } = null!;

    public IReadOnlyList<string> DocumentIds { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _workspace = new TestWorkspace("cli-county", line => sink.OnMessage(new DiagnosticMessage("[cli-county] " + line)));
        try
        {
            Hub = _workspace.AddHub([County.Guangshun, County.Malu, County.Baisuo]);
            if (AppBinaries.StalenessWarning(Hub.Binary) is { } warning) sink.OnMessage(new DiagnosticMessage(warning));
            if (AppBinaries.StalenessWarning(EdgeCli.Edge) is { } edgeWarning) sink.OnMessage(new DiagnosticMessage(edgeWarning));
            await Hub.StartAsync();
            var ids = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, CountyDocuments), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, ct) =>
            {
                var title = string.Create(CultureInfo.InvariantCulture, $"关于做好第{i + 1:0000}项工作的通知");
                var doc = await Hub.Api.CreateDocumentAsync(new NewDocument(title, "通知", "普通", "各乡镇：" + new string('文', 120), ["*"]), ct);
                ids.Add(doc.Id);
            });
            DocumentIds = [.. ids.Order(StringComparer.Ordinal)];
            Guangshun = _workspace.AddEdge("guangshun", Hub.BaseUrl, County.Guangshun.Key);
            await Guangshun.StartAsync();
            await Poll.WaitUntilAsync(() => Guangshun.Db.Long("SELECT COUNT(*) FROM documents") >= CountyDocuments, TimeSpan.FromSeconds(120),
                $"{CountyDocuments} documents on guangshun");
            await WaitQuietAsync(Guangshun);
        }
        catch (Exception ex)
        {
            _workspace.KeepFiles = true;
            var tails = string.Join("\n", _workspace.Nodes.Select(n => $"---- {n}, last lines of {n.LogFile}:\n{n.LogTail(30)}"));
            throw new InvalidOperationException($"The CLI test county did not come up ({ex.Message}). Files kept in {_workspace.Root}.\n{tails}", ex);
        }
    }

    /// <summary>Until the edge has nothing to push and its last cycle succeeded (read from its API).</summary>
    public static Task WaitQuietAsync(EdgeNode edge, TimeSpan? timeout = null) =>
        Poll.WaitUntilAsync(async () =>
        {
            edge.EnsureRunning();
            var s = await edge.Api.GetSyncStatusAsync();
            return s.PendingChanges == 0 && s.HubReachable == true && s.LastError is null && s.LastSuccessUtc is not null;
        }, timeout ?? TimeSpan.FromSeconds(60), $"{edge.Name} quiet (nothing pending, last sync ok)");

    /// <summary>A fresh folder in the workspace for an edge that does not exist yet.</summary>
    public string NewDataDir(string name) => Path.Combine(Workspace.Root, name + "-" + Guid.NewGuid().ToString("N")[..6]);

    public void AttachOutput(Action<string> log) => Workspace.Log = log;

    public async Task DisposeAsync()
    {
        if (_workspace is not null) await _workspace.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class CliCountyCollection : ICollectionFixture<CliCounty>
{
    public const string Name = "cli county (hub with 2,000 county-wide documents + guangshun)";
}
