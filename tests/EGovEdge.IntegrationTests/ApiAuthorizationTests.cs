using System.Net.Http.Json;
using System.Text;
using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>
/// Who may call what, at the HTTP level: every /api endpoint of the hub and of an edge refuses a request without a
/// token or with a wrong one (401), while /healthz and /api/auth/token answer anyone; a clerk gets 403 on an
/// administrator's actions but may write documents.
/// </summary>
public abstract class ApiAuthorizationTests
{
    private readonly SharedCounty _county;

    protected ApiAuthorizationTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    /// <summary>An endpoint and a body to send with it.</summary>
    private sealed record Endpoint(string Method, string Path, Func<HttpContent?> Body)
    {
        public override string ToString() => $"{Method} /{Path}";
    }

    private static Func<HttpContent?> Json(object body) => () => JsonContent.Create(body);

    private static readonly Func<HttpContent?> NoBody = () => null;

    /// <summary>
    /// The endpoints of both kinds of node (the Map* extension methods of EGovEdge.Office, EGovEdge.Edge/Sync and
    /// EGovEdge.Hub/Sync). Document and account ids and township codes name real rows, so a request that got through
    /// would visibly change something.
    /// </summary>
    private static List<Endpoint> CommonEndpoints(string docId, string adminPassword) =>
    [
        new("GET", "api/documents", NoBody),
        new("POST", "api/documents", Json(new NewDocument("未经授权的公文", "通知", "普通", "正文", ["*"]))),
        new("GET", $"api/documents/{docId}", NoBody),
        new("PUT", $"api/documents/{docId}", Json(new DocumentChange(Title: "未经授权的修改"))),
        new("DELETE", $"api/documents/{docId}", NoBody),
        new("GET", "api/audit/verify", NoBody),
        new("GET", "api/sync/conflicts", NoBody),
        new("POST", $"api/sync/conflicts/{Guid.CreateVersion7()}/resolve", Json(new { keep = "winner" })),
        new("POST", "api/auth/password", Json(new { currentPassword = adminPassword, newPassword = "Changed-by-nobody-1" })),
    ];

    private static List<Endpoint> HubEndpoints(string docId, string userId, string adminPassword) =>
    [
        .. CommonEndpoints(docId, adminPassword),
        new("GET", "api/sync/townships", NoBody),
        new("GET", "api/users", NoBody),
        new("POST", "api/users", Json(new NewUser(Accounts.NewUsername("intruder"), "闯入者", "hub", ["admin"], Accounts.NewPassword()))),
        new("PUT", $"api/users/{userId}", Json(new { roles = new[] { "admin" } })),
        new("GET", "api/townships", NoBody),
        new("POST", "api/townships", Json(new { code = "zhongzhai", name = "中寨村" })),
        new("POST", "api/townships/daihua/enrollment", NoBody),
        new("POST", "api/townships/daihua/revoke", NoBody),
    ];

    private static List<Endpoint> EdgeEndpoints(string docId, string adminPassword) =>
    [
        .. CommonEndpoints(docId, adminPassword),
        new("GET", "api/sync/status", NoBody),
        new("POST", "api/sync/run", NoBody),
    ];

    [Fact]
    public async Task EveryApiEndpoint_RefusesMissingOrWrongToken_HealthAndTokenAnswerAnyone()
    {
        var (hub, guangshun) = (_county.Hub, _county.Guangshun);
        await _county.Workspace.RunAsync(async () =>
        {
            var hubDoc = await hub.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("县里的通知"), "通知", "普通", "正文", ["*"]));
            var edgeDoc = await guangshun.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("广顺镇的报告"), "报告", "普通", "正文", []));
            var (clerk, _) = await Accounts.CreateAsync(hub, "target", "hub", "clerk");
            var hubToken = await hub.Api.GetTokenAsync();
            var edgeToken = await guangshun.Api.GetTokenAsync();
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{County.AdminUser}:{County.AdminPassword}"));

            var hubBefore = HubCounts(hub);
            // The edge's own documents and its change log: pulled rows (the hub's document above) are neither.
            var edgeBefore = (guangshun.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"), guangshun.Db.LastLogSequence());

            var nodes = new (NodeProcess Node, List<Endpoint> Endpoints, string OtherNodesToken)[]
            {
                (hub, HubEndpoints(hubDoc.Id, clerk.Id, County.AdminPassword), edgeToken),
                (guangshun, EdgeEndpoints(edgeDoc.Id, County.AdminPassword), hubToken),
            };
            var refused = 0;
            foreach (var (node, endpoints, foreignToken) in nodes)
            {
                var wrong = new (string What, string? Header)[]
                {
                    ("no Authorization header", null),
                    ("a token that is not one", "Bearer " + Convert.ToBase64String(Guid.NewGuid().ToByteArray())),
                    ("an empty bearer token", "Bearer "),
                    ("a valid token of another node", "Bearer " + foreignToken),
                    ("the administrator's password as Basic auth", basic),
                };
                foreach (var endpoint in endpoints)
                {
                    foreach (var (what, header) in wrong)
                    {
                        var r = await node.Api.SendWithAuthorizationAsync(new HttpMethod(endpoint.Method), endpoint.Path, header, endpoint.Body);
                        Assert.True(r.Status == 401, $"{node.Name}: {endpoint} with {what}: expected 401, got {r}");
                        refused++;
                    }
                }
            }
            _county.Workspace.Log($"{refused} requests refused with 401 ({nodes.Sum(n => n.Endpoints.Count)} endpoints x 5 kinds of wrong credentials)");

            // Nothing got through: no document, account, township, code or revocation more, nothing edited or deleted.
            Assert.Equal(hubBefore, HubCounts(hub));
            Assert.Equal(edgeBefore, (guangshun.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'guangshun'"), guangshun.Db.LastLogSequence()));
            Assert.Equal(hubDoc.Version, (await hub.Api.GetDocumentAsync(hubDoc.Id))!.Version);
            Assert.Equal(edgeDoc.Version, (await guangshun.Api.GetDocumentAsync(edgeDoc.Id))!.Version);
            Assert.Equal(["clerk"], hub.Db.Strings("SELECT roles FROM users WHERE id = @id", ("@id", clerk.Id)).Select(r => r.Trim('|')).ToList());

            // /healthz and /api/auth/token answer without a token.
            foreach (var node in new NodeProcess[] { hub, guangshun })
            {
                var health = await node.Api.SendWithAuthorizationAsync(HttpMethod.Get, "healthz", null);
                Assert.True(health.Status == 200, $"{node.Name} /healthz: {health}");
            }
            var token = await hub.Api.SendWithAuthorizationAsync(HttpMethod.Post, "api/auth/token", null,
                Json(new { username = County.AdminUser, password = County.AdminPassword }));
            Assert.True(token.Status == 200 && token.Body.Contains("\"token\"", StringComparison.Ordinal), $"POST /api/auth/token without a token: {token}");

            // With the right token the same routes answer (the reads; a write that got through would have shown above),
            // and a route that does not exist is 404, not 401: the 401s came from the endpoints' own checks.
            foreach (var (node, endpoints, _) in nodes)
            {
                foreach (var endpoint in endpoints.Where(e => e.Method == "GET"))
                {
                    var r = await node.Api.SendAsync<object>(HttpMethod.Get, endpoint.Path, null);
                    Assert.True(r.Status == 200, $"{node.Name}: {endpoint} as administrator: {r}");
                }
                var missing = await node.Api.SendAsync<object>(HttpMethod.Get, "api/no-such-endpoint", null);
                Assert.True(missing.Status == 404, $"{node.Name}: GET /api/no-such-endpoint as administrator: {missing}");
            }
        });
    }

    /// <summary>The township-authenticated sync endpoints want a township's key: no key, or a staff token, is 401.</summary>
    [Fact]
    public async Task SyncEndpoints_RefuseRequestsWithoutTownshipKey()
    {
        var hub = _county.Hub;
        await _county.Workspace.RunAsync(async () =>
        {
            var staffToken = await hub.Api.GetTokenAsync();
            foreach (var path in new[] { "api/sync/push", "api/sync/pull", "api/sync/verify" })
            {
                foreach (var (what, header) in new (string, string?)[] { ("no key", null), ("a staff token", "Bearer " + staffToken), ("a wrong key", "Bearer " + County.NewKey()) })
                {
                    var r = await hub.Api.SendWithAuthorizationAsync(HttpMethod.Post, path, header,
                        () => new StringContent("""{"nodeId":"guangshun","batchId":"guangshun:1-1","changes":[],"cursor":0,"limit":1}""", Encoding.UTF8, "application/json"),
                        [new("X-EGov-Node", "guangshun")]);
                    Assert.True(r.Status == 401, $"POST /{path} as guangshun with {what}: expected 401, got {r}");
                }
            }
        });
    }

    [Fact]
    public async Task Clerk_IsForbiddenAdministratorActions_ButWritesDocuments()
    {
        var hub = _county.Hub;
        await _county.Workspace.RunAsync(async () =>
        {
            var (clerk, password) = await Accounts.CreateAsync(hub, "clerk", "hub", "clerk");
            using var asClerk = new NodeApiClient(hub.BaseUrl, (clerk.Username, password));
            var before = HubCounts(hub);

            var newUser = new NewUser(Accounts.NewUsername("byclerk"), "文书代建的账号", "hub", ["admin"], Accounts.NewPassword());
            var forbidden = new (string What, Func<Task<ApiResult<object>>> Call)[]
            {
                ("POST /api/users", () => asClerk.SendAsync<object>(HttpMethod.Post, "api/users", Json(newUser))),
                ("GET /api/users", () => asClerk.SendAsync<object>(HttpMethod.Get, "api/users", null)),
                ($"PUT /api/users/{clerk.Id} (making oneself administrator)", () => asClerk.SendAsync<object>(HttpMethod.Put, $"api/users/{clerk.Id}", Json(new { roles = new[] { "admin" } }))),
                ("POST /api/townships/daihua/revoke", () => asClerk.SendAsync<object>(HttpMethod.Post, "api/townships/daihua/revoke", null)),
                ("POST /api/townships/daihua/enrollment", () => asClerk.SendAsync<object>(HttpMethod.Post, "api/townships/daihua/enrollment", null)),
                ("POST /api/townships", () => asClerk.SendAsync<object>(HttpMethod.Post, "api/townships", Json(new { code = "zhongzhai", name = "中寨村" }))),
                ("GET /api/townships", () => asClerk.SendAsync<object>(HttpMethod.Get, "api/townships", null)),
                ("GET /api/audit/verify", () => asClerk.SendAsync<object>(HttpMethod.Get, "api/audit/verify", null)),
                ("GET /api/sync/townships", () => asClerk.SendAsync<object>(HttpMethod.Get, "api/sync/townships", null)),
            };
            foreach (var (what, call) in forbidden)
            {
                var r = await call();
                Assert.True(r.Status == 403, $"clerk: {what}: expected 403, got {r}");
            }
            Assert.Equal(before, HubCounts(hub));
            Assert.Equal(0, hub.Db.Long("SELECT COUNT(*) FROM users WHERE username = @u", ("@u", newUser.Username)));
            Assert.Equal(["clerk"], hub.Db.Strings("SELECT roles FROM users WHERE id = @id", ("@id", clerk.Id)).Select(r => r.Trim('|')).ToList());

            // What a clerk is for: writing documents.
            var created = await asClerk.TryCreateDocumentAsync(new NewDocument(Sync.UniqueTitle("文书起草的通知"), "通知", "普通", "正文", ["malu"]));
            Assert.True(created.Status == 201, $"clerk: POST /api/documents: {created}");
            Assert.Equal("hub", created.Value!.OriginNode);
            Assert.NotNull(await hub.Api.GetDocumentAsync(created.Value.Id));
            var actor = hub.Db.Scalar("SELECT actor FROM audit WHERE entity = @e", ("@e", "documents:" + created.Value.Id)) as string;
            Assert.Equal(clerk.Username, actor);
        });
    }

    /// <summary>
    /// Rows an unauthorised request could have added at the hub. Documents: only the hub's own, since townships'
    /// documents keep arriving in the shared county.
    /// </summary>
    private static (long Documents, long Users, long Townships, long Enrollments, long Revocations) HubCounts(HubNode hub)
    {
        var db = hub.Db;
        return (db.Long("SELECT COUNT(*) FROM documents WHERE origin = 'hub'"), db.Long("SELECT COUNT(*) FROM users"), db.Long("SELECT COUNT(*) FROM townships"),
            db.TableExists("hub_enrollments") ? db.Long("SELECT COUNT(*) FROM hub_enrollments") : 0,
            db.TableExists("hub_revocations") ? db.Long("SELECT COUNT(*) FROM hub_revocations") : 0);
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : ApiAuthorizationTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : ApiAuthorizationTests(county, output);
}
