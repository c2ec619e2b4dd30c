using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

public abstract class DocumentApiValidationTests
{
    private const int OneMegabyte = 1024 * 1024;

    private readonly SharedCounty _county;

    protected DocumentApiValidationTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    /// <summary>Case name → raw JSON body and the field expected in "errors" (null: not a validation problem).</summary>
    private static readonly Dictionary<string, (Func<string> Body, string? Field)> Cases = new()
    {
        ["missing title"] = (() => """{"docType":"通知","urgency":"普通","body":"正文","recipients":["malu"]}""", "title"),
        ["blank title"] = (() => """{"title":"   ","docType":"通知","urgency":"普通","body":"正文","recipients":[]}""", "title"),
        ["unknown docType"] = (() => """{"title":"标题","docType":"通知书","urgency":"普通","body":"正文","recipients":[]}""", "docType"),
        ["missing docType"] = (() => """{"title":"标题","urgency":"普通","body":"正文","recipients":[]}""", "docType"),
        ["unknown urgency"] = (() => """{"title":"标题","docType":"通知","urgency":"十万火急","body":"正文","recipients":[]}""", "urgency"),
        ["whole county combined with a township"] = (() => """{"title":"标题","docType":"通知","urgency":"普通","body":"正文","recipients":["*","malu"]}""", "recipients"),
        ["malformed recipient code"] = (() => """{"title":"标题","docType":"通知","urgency":"普通","body":"正文","recipients":["Ma Lu!"]}""", "recipients"),
        ["body over 1 MB (ASCII)"] = (() => Json("a", OneMegabyte + 1), "body"),
        ["body over 1 MB in UTF-8 bytes (CJK, 3 bytes each)"] = (() => Json("文", (OneMegabyte / 3) + 1), "body"),
        ["malformed JSON"] = (() => """{"title":"标题","docType":"通知",""", null),
        ["not an object"] = (() => """["标题","通知"]""", null),
        ["JSON null"] = (() => "null", null),
        ["wrong type for title"] = (() => """{"title":42,"docType":"通知"}""", null),
    };

    public static TheoryData<string> BadInputs() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task CreateDocument_WithBadInput_Returns400ProblemAndStoresNothing(string name)
    {
        var (makeBody, field) = Cases[name];
        var edge = _county.Guangshun;
        await _county.Workspace.RunAsync(async () =>
        {
            var before = Counts(edge);
            var r = await edge.Api.PostRawDocumentAsync(makeBody());
            _county.Workspace.Log($"{name}: {r}");
            Assert.True(r.Status == 400, $"{name}: expected 400, got {r}");
            Assert.Equal("application/problem+json", r.ContentType);
            var problem = r.Problem;
            Assert.NotNull(problem);
            Assert.Equal(400, problem.Status);
            Assert.False(string.IsNullOrWhiteSpace(problem.Title));
            if (field is not null)
            {
                Assert.NotNull(problem.Errors);
                Assert.Contains(field, problem.Errors.Keys);
            }
            Assert.Equal(before, Counts(edge));
        });
    }

    [Fact]
    public async Task UpdateDocument_WithBadInput_Returns400ProblemAndChangesNothing()
    {
        var edge = _county.Guangshun;
        await _county.Workspace.RunAsync(async () =>
        {
            var doc = await edge.Api.CreateDocumentAsync(new NewDocument(Sync.UniqueTitle("待修改的公文"), "通知", "普通", "原正文", []));
            var before = Counts(edge);
            var cases = new (string Name, Func<HttpContent> Body, string? Field)[]
            {
                ("blank title", () => JsonContent("""{"title":"  "}"""), "title"),
                ("title over 200 characters", () => JsonContent($$"""{"title":"{{new string('题', 201)}}"}"""), "title"),
                ("unknown urgency", () => JsonContent("""{"urgency":"十万火急"}"""), "urgency"),
                ("body over 1 MB", () => JsonContent($$"""{"body":"{{new string('a', OneMegabyte + 1)}}"}"""), "body"),
                ("malformed JSON", () => JsonContent("""{"title":"""), null),
            };
            foreach (var (name, body, field) in cases)
            {
                var r = await edge.Api.SendAsync<object>(HttpMethod.Put, "api/documents/" + doc.Id, body);
                Assert.True(r.Status == 400, $"PUT {name}: expected 400, got {r}");
                Assert.Equal("application/problem+json", r.ContentType);
                if (field is not null) Assert.Contains(field, r.Problem?.Errors?.Keys ?? []);
            }
            var after = await edge.Api.GetDocumentAsync(doc.Id);
            Assert.NotNull(after);
            Assert.Equal(doc.Version, after.Version);
            Assert.Equal(doc.Title, after.Title);
            Assert.Equal(doc.Body, after.Body);
            Assert.Equal(before, Counts(edge));
        });
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("offset=-1")]
    public async Task ListDocuments_WithBadPaging_Returns400Problem(string query)
    {
        await _county.Workspace.RunAsync(async () =>
        {
            var r = await _county.Guangshun.Api.SendAsync<object>(HttpMethod.Get, "api/documents?" + query, null);
            Assert.True(r.Status == 400, $"GET /api/documents?{query}: {r}");
            Assert.Equal("application/problem+json", r.ContentType);
        });
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task CreateDocument_WithBodyOfExactly1MB_IsAccepted()
    {
        var edge = _county.Guangshun;
        await _county.Workspace.RunAsync(async () =>
        {
            var body = new string('文', OneMegabyte / 3) + "a"; // 1,048,576 UTF-8 bytes
            var r = await edge.Api.TryCreateDocumentAsync(new NewDocument(Sync.UniqueTitle("一兆字节正文"), "纪要", "普通", body, []));
            Assert.True(r.Status == 201, $"a body of exactly 1 MB must be accepted: {r.Status}");
            Assert.Equal(body, r.Value!.Body);
            Assert.Equal(body, (await Sync.WaitForDocumentAsync(_county.Hub, r.Value.Id)).Body);
        });
    }

    [Fact]
    public async Task UnknownDocument_Returns404Problem()
    {
        var edge = _county.Guangshun;
        await _county.Workspace.RunAsync(async () =>
        {
            var before = Counts(edge);
            var unknown = Guid.CreateVersion7().ToString();
            foreach (var node in new NodeProcess[] { edge, _county.Hub })
            {
                foreach (var id in new[] { unknown, "not-a-uuid" })
                {
                    var get = await node.Api.TryGetDocumentAsync(id);
                    Assert.True(get.Status == 404, $"GET {node.Name} /api/documents/{id}: {get}");
                    Assert.Equal("application/problem+json", get.ContentType);
                    Assert.Equal(404, get.Problem?.Status);
                }
            }
            Assert.Equal(404, (await edge.Api.TryUpdateDocumentAsync(unknown, new DocumentChange(Title: "x"))).Status);
            Assert.Equal(404, (await edge.Api.TryDeleteDocumentAsync(unknown)).Status);
            Assert.Equal(before, Counts(edge));
        });
    }

    [Fact]
    public async Task DocumentApi_WithoutToken_Returns401AndStoresNothing()
    {
        var edge = _county.Guangshun;
        await _county.Workspace.RunAsync(async () =>
        {
            var before = Counts(edge);
            var post = await edge.Api.SendAsync<object>(HttpMethod.Post, "api/documents",
                () => System.Net.Http.Json.JsonContent.Create(new NewDocument("未登录的公文", "通知", "普通", "正文", [])), anonymous: true);
            Assert.True(post.Status == 401, $"POST /api/documents without a token: {post}");
            Assert.Equal(401, (await edge.Api.SendAsync<object>(HttpMethod.Get, "api/documents", null, anonymous: true)).Status);
            Assert.Equal(401, (await edge.Api.SendAsync<object>(HttpMethod.Post, "api/sync/run", null, anonymous: true)).Status);
            Assert.Equal(before, Counts(edge));
        });
    }

    private static string Json(string unit, int repeat) =>
        "{\"title\":\"超长正文\",\"docType\":\"通知\",\"urgency\":\"普通\",\"recipients\":[],\"body\":\"" + string.Concat(Enumerable.Repeat(unit, repeat)) + "\"}";

    /// <summary>
    /// The edge's own documents and its change-log entries: nothing stored means neither moved. (Documents of other
    /// nodes are left out: in the shared county they may arrive by pull at any moment, and are never captured.)
    /// </summary>
    private static (long Documents, long Log) Counts(EdgeNode edge) =>
        (edge.Db.Long("SELECT COUNT(*) FROM documents WHERE origin = @n", ("@n", edge.NodeId)), edge.Db.LastLogSequence());

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : DocumentApiValidationTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : DocumentApiValidationTests(county, output);
}
