using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

public abstract class IdempotencyTests
{
    private readonly SharedCounty _county;

    protected IdempotencyTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    [Fact]
    public async Task RepeatedSync_WithNoChanges_MovesNothing()
    {
        var (hub, guangshun, malu, baisuo) = (_county.Hub, _county.Guangshun, _county.Malu, _county.Baisuo);
        await _county.Workspace.RunAsync(async () =>
        {
            var doc = await guangshun.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("关于重复同步的测试通知"), "通知", "普通", "正文", ["malu"]));
            var first = await guangshun.Api.RunSyncAsync();
            Assert.True(first.Status == 200, $"first run: {first}");
            _county.Workspace.Log($"first run: {first.Body}");
            Assert.NotNull(await hub.Api.GetDocumentAsync(doc.Id)); // pushed by this run or by the worker just before
            await Sync.WaitForDocumentAsync(malu, doc.Id);
            foreach (var edge in new[] { guangshun, malu, baisuo }) await Sync.WaitForQuietAsync(edge);

            var hubSeq = hub.Db.Long("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log");
            var received = (await hub.Api.GetTownshipsAsync()).Single(t => t.Node == "guangshun").ChangesReceived;
            var edgeLog = guangshun.Db.LastLogSequence();
            var edgeRows = guangshun.Db.Long("SELECT COUNT(*) FROM documents");

            for (var i = 2; i <= 3; i++)
            {
                var again = await guangshun.Api.RunSyncAsync();
                Assert.True(again.Status == 200, $"run {i}: {again}");
                _county.Workspace.Log($"run {i}: {again.Body}");
                Assert.Equal(0, again.Value!.Pushed);
                Assert.Equal(0, again.Value.Pulled);
                Assert.Equal(0, again.Value.Conflicts);
                Assert.Equal(0, again.Value.Rejected);
            }

            Assert.Equal(hubSeq, hub.Db.Long("SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log"));
            Assert.Equal(received, (await hub.Api.GetTownshipsAsync()).Single(t => t.Node == "guangshun").ChangesReceived);
            Assert.Equal(edgeLog, guangshun.Db.LastLogSequence());
            Assert.Equal(edgeRows, guangshun.Db.Long("SELECT COUNT(*) FROM documents"));
            Assert.Equal(0, (await guangshun.Api.GetSyncStatusAsync()).PendingChanges);
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : IdempotencyTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : IdempotencyTests(county, output);
}
