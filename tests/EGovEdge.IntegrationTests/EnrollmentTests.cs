using System.Net.Http.Json;
using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>
/// Townships join with one-time enrollment codes instead of static keys: a code works once; a revoked township is
/// refused with the reason and comes back with a new code. Each test enrolls a township of its own.
/// </summary>
public abstract class EnrollmentTests
{
    private readonly SharedCounty _county;

    protected EnrollmentTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    /// <summary>An edge with no HubKey, only the enrollment code.</summary>
    private EdgeNode AddEnrollingEdge(string code, string enrollmentCode) =>
        _county.Workspace.AddEdge(code, _county.Hub.BaseUrl, hubKey: null, syncIntervalSeconds: 1,
            extraArgs: ["--EGov:EnrollmentCode=" + enrollmentCode]);

    [Fact]
    public async Task EnrollmentCode_WorksOnce_NotTwice()
    {
        var hub = _county.Hub;
        const string code = "dunchao";
        EdgeNode? edge = null;
        await _county.Workspace.RunAsync(async () =>
        {
            var enrollment = await hub.Api.CreateTownshipAsync(code, "敦操乡");
            _county.Workspace.Log($"township {code} created, code expires {enrollment.ExpiresUtc:u}");
            Assert.Equal(code, enrollment.Code);
            Assert.Equal("敦操乡", enrollment.Name);
            Assert.True(enrollment.EnrollmentCode.Length >= 16, $"enrollment code '{enrollment.EnrollmentCode}' is too short to be a secret");
            Assert.Contains((await hub.Api.SendAsync<List<System.Text.Json.JsonElement>>(HttpMethod.Get, "api/townships", null)).Value!,
                t => t.GetProperty("code").GetString() == code);

            edge = AddEnrollingEdge(code, enrollment.EnrollmentCode);
            await edge.StartAsync();
            var doc = await edge.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("敦操乡接入后的第一份报告"), "报告", "普通", "正文", []));
            var quiet = await Sync.WaitForQuietAsync(edge);
            _county.Workspace.Log($"enrolled edge synced: {quiet}");
            Assert.False(quiet.AuthFailed);
            Assert.Equal(doc.Version, (await Sync.WaitForDocumentAsync(hub, doc.Id)).Version);
            Assert.True(File.Exists(Path.Combine(edge.DataDir, "hub-credential")), "the edge keeps its own credential in its data directory");
            Assert.DoesNotContain(enrollment.EnrollmentCode, await File.ReadAllTextAsync(Path.Combine(edge.DataDir, "hub-credential")), StringComparison.Ordinal);
            Assert.Contains(await hub.Api.GetTownshipsAsync(), t => t.Node == code && t.ChangesReceived >= 1);

            // The same code a second time: refused, for this township and for any other.
            foreach (var node in new[] { code, "malu" })
            {
                var again = await hub.Api.SendWithAuthorizationAsync(HttpMethod.Post, "api/sync/enroll", null,
                    () => JsonContent.Create(new { nodeId = node, enrollmentCode = enrollment.EnrollmentCode }));
                Assert.True(again.Status == 401, $"the used code again, as {node}: {again}");
                Assert.DoesNotContain("\"key\"", again.Body, StringComparison.Ordinal);
            }
            var garbage = await hub.Api.SendWithAuthorizationAsync(HttpMethod.Post, "api/sync/enroll", null,
                () => JsonContent.Create(new { nodeId = code, enrollmentCode = County.NewKey() }));
            Assert.True(garbage.Status == 401, $"a made-up code: {garbage}");

            // The refused attempts did not disturb the enrolled edge: it keeps syncing with its credential.
            var second = await edge.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("敦操乡的第二份报告"), "报告", "普通", "正文", []));
            await Sync.WaitForDocumentAsync(hub, second.Id);
            Assert.False((await Sync.WaitForQuietAsync(edge)).AuthFailed);
        });
        edge?.Kill();
    }

    [Fact]
    public async Task RevokedTownship_IsRefusedWithTheReason_AndANewCodeReEnrollsIt()
    {
        var hub = _county.Hub;
        const string code = "baiyunshan";
        EdgeNode? edge = null;
        await _county.Workspace.RunAsync(async () =>
        {
            var enrollment = await hub.Api.CreateTownshipAsync(code, "白云山镇");
            edge = AddEnrollingEdge(code, enrollment.EnrollmentCode);
            await edge.StartAsync();
            await Sync.WaitForQuietAsync(edge);

            var revoke = await hub.Api.TryRevokeTownshipAsync(code);
            Assert.True(revoke.Status == 204, $"POST /api/townships/{code}/revoke: {revoke}");
            var refused = await Sync.WaitForStatusAsync(edge, s => s.AuthFailed, "authFailed after the revocation");
            _county.Workspace.Log($"after revocation: {refused}");
            Assert.Contains("401", refused.LastError ?? "", StringComparison.Ordinal);
            Assert.Contains("revoked", refused.LastError ?? "", StringComparison.OrdinalIgnoreCase);
            var run = await edge.Api.RunSyncAsync();
            Assert.True(run.Status == 502, $"POST /api/sync/run while revoked: {run}");
            Assert.Contains("revoked", run.Problem?.Detail ?? "", StringComparison.OrdinalIgnoreCase);

            // It keeps working locally; what it writes waits and does not reach the hub.
            var doc = await edge.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("白云山镇被停用期间的报告"), "报告", "普通", "正文", []));
            await Sync.WaitForStatusAsync(edge, s => s.AuthFailed && s.PendingChanges >= 1 && s.LastAttemptUtc > doc.CreatedUtc, "a refused cycle after the new document");
            Assert.Null(await hub.Api.GetDocumentAsync(doc.Id));

            // A new code brings it back: the edge is restarted with it and exchanges it for a new credential.
            var renewed = await hub.Api.IssueEnrollmentCodeAsync(code);
            Assert.NotEqual(enrollment.EnrollmentCode, renewed.EnrollmentCode);
            edge.SetArgument("EGov:EnrollmentCode", renewed.EnrollmentCode);
            await edge.RestartAsync();
            var back = await Sync.WaitForQuietAsync(edge);
            _county.Workspace.Log($"re-enrolled: {back}");
            Assert.False(back.AuthFailed);
            Assert.Equal(doc.Version, (await Sync.WaitForDocumentAsync(hub, doc.Id)).Version);
        });
        edge?.Kill();
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : EnrollmentTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : EnrollmentTests(county, output);
}
