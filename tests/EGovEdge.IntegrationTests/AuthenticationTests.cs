using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

public abstract class AuthenticationTests
{
    private readonly SharedCounty _county;

    protected AuthenticationTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    /// <summary>daihua is enrolled at the hub, but this edge presents a wrong key, or none at all.</summary>
    [Theory]
    [InlineData("wrong-key")]
    [InlineData("missing-key")]
    public async Task RefusedKey_ShowsAuthFailed_AndHubStoresNothing(string variant)
    {
        var hub = _county.Hub;
        var key = variant == "wrong-key" ? "not-" + County.Daihua.Key : null;
        var edge = _county.Workspace.AddEdge("daihua", hub.BaseUrl, key, syncIntervalSeconds: 1, name: "daihua-" + variant);
        await _county.Workspace.RunAsync(async () =>
        {
            await edge.StartAsync();
            var doc = await edge.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("代化镇关于申请资金的请示"), "请示", "普通", "县人民政府：……", ["*"]));

            var status = await Sync.WaitForStatusAsync(edge, s => s.AuthFailed, "authFailed true", TimeSpan.FromSeconds(30));
            _county.Workspace.Log($"status: {status}");
            Assert.Contains("401", status.LastError ?? "", StringComparison.Ordinal);
            Assert.True(status.PendingChanges >= 1, $"the refused document must still wait to be sent: {status}");
            Assert.Null(status.LastSuccessUtc);

            var run = await edge.Api.RunSyncAsync();
            Assert.True(run.Status == 502, $"POST /api/sync/run with a refused key: expected 502, got {run}");
            Assert.Equal("application/problem+json", run.ContentType);
            Assert.Contains("401", run.Problem?.Detail ?? "", StringComparison.Ordinal);

            // The hub has nothing from it, and gave it nothing.
            Assert.Null(await hub.Api.GetDocumentAsync(doc.Id));
            Assert.Equal(0, (await hub.Api.ListDocumentsAsync("daihua")).Total);
            Assert.Equal(0, hub.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'daihua'"));
            Assert.Equal(0, hub.Db.Long("SELECT COUNT(*) FROM hub_log WHERE writer = 'daihua'"));
            Assert.Equal(0, hub.Db.Long("SELECT COUNT(*) FROM hub_nodes WHERE node = 'daihua'"));
            Assert.DoesNotContain(await hub.Api.GetTownshipsAsync(), t => t.Node == "daihua");
            Assert.Equal(0, edge.Db.Long("SELECT COUNT(*) FROM documents WHERE origin <> 'daihua'"));
            Assert.Equal(0, edge.Db.Long("SELECT COUNT(*) FROM townships"));
        });
        edge.Kill();
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : AuthenticationTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : AuthenticationTests(county, output);
}
