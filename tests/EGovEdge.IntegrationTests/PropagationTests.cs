using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

public abstract class PropagationTests
{
    private readonly SharedCounty _county;

    protected PropagationTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    [Fact]
    public async Task UpdateAndDelete_OnOrigin_PropagateToHubAndAddressee()
    {
        var (hub, guangshun, malu) = (_county.Hub, _county.Guangshun, _county.Malu);
        await _county.Workspace.RunAsync(async () =>
        {
            var doc = await guangshun.Api.CreateDocumentAsync(new NewDocument(
                Sync.UniqueTitle("关于商请协同开展交界区域森林防火联防联控工作的函"), "函", "普通", "马路乡人民政府：……妥否，请函复。", ["malu"]));
            await Sync.WaitForDocumentAsync(hub, doc.Id);
            await Sync.WaitForDocumentAsync(malu, doc.Id);

            // Only the owner edits: the addressee may read, not change or delete.
            Assert.Equal(403, (await malu.Api.TryUpdateDocumentAsync(doc.Id, new DocumentChange(Title: "马路乡改的标题"))).Status);
            Assert.Equal(403, (await malu.Api.TryDeleteDocumentAsync(doc.Id)).Status);

            var updated = await guangshun.Api.UpdateDocumentAsync(doc.Id, new DocumentChange(
                Title: doc.Title + "（修订）", Body: "马路乡人民政府：修订后的正文。", Urgency: "特急"));
            Assert.NotEqual(doc.Version, updated.Version);
            Assert.Equal(doc.Title + "（修订）", updated.Title);

            bool IsUpdated(Document d) => d.Title == updated.Title && d.Body == updated.Body && d.Urgency == "特急" && d.Version == updated.Version;
            await Sync.WaitForDocumentAsync(hub, doc.Id, IsUpdated, what: "the update on the hub");
            await Sync.WaitForDocumentAsync(malu, doc.Id, IsUpdated, what: "the update on malu");
            _county.Workspace.Log("update propagated");

            var deleted = await guangshun.Api.TryDeleteDocumentAsync(doc.Id);
            Assert.True(deleted.Status == 204, $"DELETE: {deleted}");
            Assert.Null(await guangshun.Api.GetDocumentAsync(doc.Id));
            Assert.Equal(404, (await guangshun.Api.TryDeleteDocumentAsync(doc.Id)).Status);

            await Sync.WaitForAbsentAsync(hub, doc.Id);
            await Sync.WaitForAbsentAsync(malu, doc.Id);
            _county.Workspace.Log("delete propagated");

            Assert.DoesNotContain(await hub.Api.ListAllDocumentsAsync("guangshun"), d => d.Id == doc.Id);
            Assert.DoesNotContain(await malu.Api.ListAllDocumentsAsync(), d => d.Id == doc.Id);

            // Tombstones, not physical deletes: the row stays with deleted = 1 everywhere.
            const string Tombstone = "SELECT deleted FROM documents WHERE id = @id";
            Assert.Equal(1, hub.Db.Long(Tombstone, ("@id", doc.Id)));
            Assert.Equal(1, malu.Db.Long(Tombstone, ("@id", doc.Id)));
            Assert.Equal(1, guangshun.Db.Long(Tombstone, ("@id", doc.Id)));
            Assert.Equal(1, hub.Db.Long("SELECT COUNT(*) FROM hub_log WHERE row_id = @id", ("@id", doc.Id)));
            Assert.Equal(0, hub.Db.ConflictRecords(doc.Id));
            Assert.Equal(0, malu.Db.ConflictRecords(doc.Id));
            Assert.Equal(0, guangshun.Db.ConflictRecords(doc.Id));
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : PropagationTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : PropagationTests(county, output);
}
