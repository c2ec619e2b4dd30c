using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

public abstract class ScopeTests
{
    private readonly SharedCounty _county;

    protected ScopeTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    [Fact]
    public async Task Document_ReachesOnlyItsAddressees_AndWholeCountyReachesEveryone()
    {
        var (hub, guangshun, malu, baisuo) = (_county.Hub, _county.Guangshun, _county.Malu, _county.Baisuo);
        await _county.Workspace.RunAsync(async () =>
        {
            var toMalu = await guangshun.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("致马路乡的函"), "函", "普通", "仅马路乡可见。", ["malu"]));
            var toNobody = await guangshun.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("报县里的请示"), "请示", "普通", "不发任何乡镇。", []));
            var toBaisuo = await guangshun.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("致摆所镇的函"), "函", "普通", "仅摆所镇可见。", ["baisuo"]));
            foreach (var d in new[] { toMalu, toNobody, toBaisuo }) await Sync.WaitForDocumentAsync(hub, d.Id);

            // Written after the three reached the hub, so it has a later hub sequence: an edge holding it has
            // pulled past them (pulls go in hub-sequence order), and what it did not get it will never get.
            var toCounty = await guangshun.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("全县通报"), "通报", "加急", "全县各乡镇。", ["*"]));
            await Sync.WaitForDocumentAsync(hub, toCounty.Id);
            var countyOnMalu = await Sync.WaitForDocumentAsync(malu, toCounty.Id);
            var countyOnBaisuo = await Sync.WaitForDocumentAsync(baisuo, toCounty.Id);
            Assert.Equal(["*"], countyOnMalu.Recipients);
            Assert.Equal(["*"], countyOnBaisuo.Recipients);
            await Sync.WaitForDocumentAsync(malu, toMalu.Id);
            await Sync.WaitForDocumentAsync(baisuo, toBaisuo.Id);
            await Sync.WaitForQuietAsync(malu);
            await Sync.WaitForQuietAsync(baisuo);

            // Not addressed: not via the API, not in the list, and not even a row in the edge's database.
            foreach (var (edge, doc) in new[] { (malu, toNobody), (malu, toBaisuo), (baisuo, toMalu), (baisuo, toNobody) })
            {
                Assert.Null(await edge.Api.GetDocumentAsync(doc.Id));
                Assert.DoesNotContain(await edge.Api.ListAllDocumentsAsync("guangshun"), d => d.Id == doc.Id);
                Assert.Equal(0, edge.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", doc.Id)));
            }

            // The hub holds all four; the origin too.
            foreach (var doc in new[] { toMalu, toNobody, toBaisuo, toCounty })
            {
                Assert.NotNull(await hub.Api.GetDocumentAsync(doc.Id));
                Assert.NotNull(await guangshun.Api.GetDocumentAsync(doc.Id));
            }
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : ScopeTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : ScopeTests(county, output);
}
