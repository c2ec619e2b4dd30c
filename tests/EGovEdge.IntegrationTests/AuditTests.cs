using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>
/// The hash-chained audit trail, checked at the hub with GET /api/audit/verify: every node's chain verifies, and a
/// row or an audit entry changed directly in the hub's database (SQLite file or PostgreSQL) is named.
/// </summary>
public abstract class AuditTests
{
    private readonly SharedCounty _county;

    protected AuditTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    [Fact]
    public async Task AuditChains_Verify_AndRowsAlteredInTheDatabaseAreNamed()
    {
        var hub = _county.Hub;
        await _county.Workspace.RunAsync(async () =>
        {
            // Every node writes something, so each has a chain at the hub.
            var written = new List<Document>
            {
                await hub.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("县政府办公室通知"), "通知", "普通", "正文", ["*"])),
            };
            foreach (var edge in _county.Edges)
            {
                written.Add(await edge.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle(edge.Name + "的报告"), "报告", "普通", "正文", [])));
            }
            foreach (var d in written) await Sync.WaitForDocumentAsync(hub, d.Id);
            foreach (var edge in _county.Edges) await Sync.WaitForQuietAsync(edge);

            var clean = await hub.Api.VerifyAuditAsync();
            _county.Workspace.Log($"verify: {clean}");
            Assert.True(clean.Ok, $"a county nobody tampered with must verify: {clean}");
            foreach (var node in new[] { "hub", "guangshun", "malu", "baisuo" })
            {
                var chain = Assert.Single(clean.Chains, c => c.Node == node);
                Assert.True(chain.Entries >= 1, $"chain {node}: {chain}");
                Assert.Null(chain.FirstBreak);
            }
            Assert.True(clean.RowsChecked >= written.Count, $"rows checked: {clean.RowsChecked}");
            Assert.Empty(clean.Rows);

            // Someone with database access changes a township's document at the hub.
            var target = written[1];
            var entry = hub.Db.Rows("SELECT seq, actor FROM audit WHERE node = 'malu' ORDER BY seq DESC LIMIT 1").Single();
            var seq = Convert.ToInt64(entry["seq"], System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                Assert.Equal(1, hub.Db.Execute("UPDATE documents SET title = @t WHERE id = @id", ("@t", "被篡改的标题"), ("@id", target.Id)));
                var altered = await hub.Api.VerifyAuditAsync();
                _county.Workspace.Log($"after altering documents:{target.Id} in {hub.DatabaseDescription}: {altered}");
                Assert.False(altered.Ok);
                var mismatch = Assert.Single(altered.Rows);
                Assert.Equal("documents", mismatch.Table);
                Assert.Equal(target.Id, mismatch.Id);
                Assert.All(altered.Chains, c => Assert.Null(c.FirstBreak)); // the trail itself is intact: it is what caught the change

                // ... and then covers it up in the audit trail: the chain breaks at that entry.
                Assert.Equal(1, hub.Db.Execute("UPDATE audit SET actor = @a WHERE node = 'malu' AND seq = @s", ("@a", "somebody-else"), ("@s", seq)));
                var broken = await hub.Api.VerifyAuditAsync();
                _county.Workspace.Log($"after altering malu's audit entry {seq}: {broken}");
                Assert.False(broken.Ok);
                var malu = Assert.Single(broken.Chains, c => c.Node == "malu");
                Assert.NotNull(malu.FirstBreak);
                Assert.Equal(seq, malu.FirstBreak.Seq);
                Assert.All(broken.Chains.Where(c => c.Node != "malu"), c => Assert.Null(c.FirstBreak));
            }
            finally
            {
                // Put back as it was (the county is shared with the tests after this one).
                hub.Db.Execute("UPDATE audit SET actor = @a WHERE node = 'malu' AND seq = @s", ("@a", entry["actor"]), ("@s", seq));
                hub.Db.Execute("UPDATE documents SET title = @t WHERE id = @id", ("@t", target.Title), ("@id", target.Id));
            }
            var restored = await hub.Api.VerifyAuditAsync();
            Assert.True(restored.Ok, $"after restoring both: {restored}");
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : AuditTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : AuditTests(county, output);
}
