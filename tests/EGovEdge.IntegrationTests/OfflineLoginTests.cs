using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>Accounts made at the hub reach the township they belong to, which then signs them in without the hub.</summary>
public abstract class OfflineLoginTests
{
    private readonly SharedCounty _county;

    protected OfflineLoginTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    [Fact]
    public async Task TownshipUserCreatedAtHub_LogsInAtTheTownshipWithTheHubDown_NotAtAnotherTownship()
    {
        var (hub, guangshun, malu) = (_county.Hub, _county.Guangshun, _county.Malu);
        await _county.Workspace.RunAsync(async () =>
        {
            try
            {
                var (user, password) = await Accounts.CreateAsync(hub, "gsclerk", "guangshun", "clerk");
                await Accounts.WaitForAccountAsync(guangshun, user.Username);
                // malu has pulled past the account's hub sequence, so it would have it if it were meant to.
                var seq = hub.Db.Long("SELECT hub_seq FROM hub_log WHERE tbl = 'users' AND row_id = @id", ("@id", user.Id));
                await Poll.WaitUntilAsync(async () => (await hub.Api.GetTownshipsAsync()).Single(t => t.Node == "malu").PullCursor >= seq,
                    Sync.Timeout, $"malu to pull past hub sequence {seq}");
                Assert.Equal(0, malu.Db.Long("SELECT COUNT(*) FROM users WHERE username = @u", ("@u", user.Username)));

                hub.Kill();
                _county.Workspace.Log("hub killed: guangshun is on its own");
                await Sync.WaitForStatusAsync(guangshun, s => s.HubReachable == false, "hubReachable false", TimeSpan.FromSeconds(30));

                var token = await guangshun.Api.RequestTokenAsync(user.Username, password);
                Assert.True(token.Status == 200, $"{user.Username} at guangshun with the hub down: {token}");
                using var asClerk = new NodeApiClient(guangshun.BaseUrl, (user.Username, password));
                var doc = await asClerk.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("断网时登录后起草的通知"), "通知", "普通", "正文", []));
                Assert.Equal("guangshun", doc.OriginNode);

                var elsewhere = await malu.Api.RequestTokenAsync(user.Username, password);
                Assert.True(elsewhere.Status == 401, $"{user.Username} at malu: {elsewhere}");
                using var browser = new BrowserSession(malu.BaseUrl);
                var form = await browser.PostLoginAsync(user.Username, password, await browser.GetLoginFormTokenAsync());
                Assert.StartsWith("/login?error=", form.Location, StringComparison.Ordinal);

                // Back online: what the clerk wrote offline reaches the hub, written by that clerk.
                await hub.StartAsync();
                var onHub = await Sync.WaitForDocumentAsync(hub, doc.Id);
                Assert.Equal(doc.Version, onHub.Version);
                Assert.Equal(user.Username, hub.Db.Scalar("SELECT actor FROM audit WHERE entity = @e", ("@e", "documents:" + doc.Id)) as string);
            }
            finally
            {
                await _county.EnsureHubRunningAsync();
            }
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : OfflineLoginTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : OfflineLoginTests(county, output);
}
