using System.Net.Http.Json;
using System.Text.Json;
using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>
/// The office-work promise across real processes: a township whose link to the county is cut takes a document from
/// draft to sealed and dispatched on its own; once the link is back the county and the addressed township both see it
/// sealed and verify the seal offline from their own copies of the registry; the addressee's receipt reaches the sender;
/// and a change made to the document after sealing shows as a broken seal with the reason.
/// </summary>
public abstract class SealedOfflineTests(HubProvider provider, ITestOutputHelper output)
{
    [Fact]
    public async Task DocumentSealedOffline_VerifiesAtHubAndRecipient_AndTamperingBreaksTheSeal()
    {
        await using var ws = new TestWorkspace("sealed-offline-" + provider.Tag(), TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun, County.Malu], provider);
            var proxy = ws.AddProxy(hub.Port);
            var guangshun = ws.AddEdge("guangshun", proxy.Url, County.Guangshun.Key, syncIntervalSeconds: 1);
            var malu = ws.AddEdge("malu", hub.BaseUrl, County.Malu.Key, syncIntervalSeconds: 1);
            await hub.StartAsync();
            await TestWorkspace.StartAllAsync(guangshun, malu);

            var (clerk, clerkPassword) = await Accounts.CreateAsync(hub, "gsclerk", "guangshun", "clerk", "seal_admin");
            var (leader, leaderPassword) = await Accounts.CreateAsync(hub, "gsleader", "guangshun", "leader");
            var (maluClerk, maluPassword) = await Accounts.CreateAsync(hub, "mlclerk", "malu", "clerk");
            await Accounts.WaitForAccountAsync(guangshun, clerk.Username);
            await Accounts.WaitForAccountAsync(guangshun, leader.Username);
            await Accounts.WaitForAccountAsync(malu, maluClerk.Username);
            using var asClerk = new NodeApiClient(guangshun.BaseUrl, (clerk.Username, clerkPassword));
            using var asLeader = new NodeApiClient(guangshun.BaseUrl, (leader.Username, leaderPassword));
            using var atMalu = new NodeApiClient(malu.BaseUrl, (maluClerk.Username, maluPassword));

            // The seal: requested at the township (its signing key is made and stays there), issued by the county.
            var requested = await Send(asClerk, HttpMethod.Post, "/api/seals", new { name = "广顺镇人民政府公章", signer = clerk.Username });
            var sealId = requested.GetProperty("id").GetString()!;
            Assert.Equal("requested", requested.GetProperty("status").GetString());
            await Poll.WaitUntilAsync(() => hub.Db.Long("SELECT COUNT(*) FROM seals WHERE id = @id", ("@id", sealId)) == 1,
                Sync.Timeout, "the seal request to reach the hub");
            var issued = await Send(hub.Api, HttpMethod.Post, $"/api/seals/{sealId}/issue", null);
            Assert.Equal("issued", issued.GetProperty("status").GetString());
            await Poll.WaitUntilAsync(async () => (await Send(asClerk, HttpMethod.Get, "/api/seals", null)).EnumerateArray()
                    .Any(s => s.GetProperty("id").GetString() == sealId && s.GetProperty("status").GetString() == "issued"),
                Sync.Timeout, "the issued seal to reach guangshun");

            proxy.Mode = ProxyMode.Drop;
            await Sync.WaitForStatusAsync(guangshun, s => s.HubReachable == false, "guangshun offline", TimeSpan.FromSeconds(30));
            ws.Log("link cut: guangshun works alone from draft to dispatch");

            var doc = await asClerk.CreateDocumentAsync(new NewDocument(
                Sync.UniqueTitle("长顺县广顺镇人民政府关于做好低温雨雪凝冻天气防范工作的通知"), "通知", "加急",
                "马路乡人民政府：\n据县气象局预报，近期我县将出现持续低温雨雪凝冻天气。请加强交界路段巡查，做好群众安全防护工作。\n特此通知。",
                ["malu"]));
            await Step(asClerk, doc.Id, "submit");
            await Step(asClerk, doc.Id, "approve");
            await Step(asLeader, doc.Id, "signoff", new { opinion = "同意印发" });
            await Step(asClerk, doc.Id, "recheck");
            await Step(asClerk, doc.Id, "register");
            await Step(asClerk, doc.Id, "print");
            await Step(asClerk, doc.Id, "seal", new { sealId });
            var step = await Step(asClerk, doc.Id, "dispatch");
            Assert.Equal("dispatch", step.GetProperty("kind").GetString());
            Assert.Equal("guangshun", step.GetProperty("node").GetString());
            Assert.Equal(clerk.Username, step.GetProperty("actor").GetString());
            var dispatched = await Send(asClerk, HttpMethod.Get, $"/api/documents/{doc.Id}/workflow", null);
            Assert.Equal(["submit", "approve", "signoff", "recheck", "register", "print", "seal", "dispatch"],
                dispatched.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("kind").GetString()!).ToArray());
            Assert.Equal("Dispatched", dispatched.GetProperty("state").GetString());
            var docNumber = dispatched.GetProperty("document").GetProperty("docNumber").GetString();
            Assert.Matches(@"^.+〔\d{4}〕[1-9]\d*号$", docNumber);
            AssertSealValid(dispatched, "at guangshun, offline");
            Assert.False(hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", doc.Id)) > 0, "the hub cannot have it yet");

            proxy.Mode = ProxyMode.PassThrough;
            ws.Log("link back");

            await Poll.WaitUntilAsync(() => hub.Db.Long("SELECT COUNT(*) FROM seal_uses WHERE document_id = @id", ("@id", doc.Id)) == 1,
                Sync.Timeout, "the seal use to reach the hub");
            var atHub = await Poll.WaitForAsync(() => Send(hub.Api, HttpMethod.Get, $"/api/documents/{doc.Id}/workflow", null),
                view => view.GetProperty("state").GetString() == "Dispatched" && view.GetProperty("seal").GetProperty("sealed").GetBoolean(),
                Sync.Timeout, "the dispatched and sealed document at the hub");
            AssertSealValid(atHub, "at the hub");
            Assert.Equal(docNumber, atHub.GetProperty("document").GetProperty("docNumber").GetString());

            await Poll.WaitForAsync(() => Send(atMalu, HttpMethod.Get, "/api/inbox", null),
                inbox => inbox.EnumerateArray().Any(i => i.GetProperty("documentId").GetString() == doc.Id),
                Sync.Timeout, "the document in malu's 收文 inbox");
            var atRecipient = await Poll.WaitForAsync(() => Send(atMalu, HttpMethod.Get, $"/api/documents/{doc.Id}/workflow", null),
                view => view.GetProperty("seal").GetProperty("sealed").GetBoolean(), Sync.Timeout, "the seal use at malu");
            AssertSealValid(atRecipient, "at malu");

            // Malu signs for it; the sender sees the receipt.
            await Step(atMalu, doc.Id, "signfor");
            await Poll.WaitUntilAsync(async () =>
                {
                    var view = await Send(asClerk, HttpMethod.Get, $"/api/documents/{doc.Id}/workflow", null);
                    return view.GetProperty("recipients").EnumerateArray()
                        .Any(r => r.GetProperty("code").GetString() == "malu" && r.GetProperty("state").GetString() == "SignedFor");
                },
                Sync.Timeout, "guangshun to see malu's 签收");

            // Someone changes the body in the hub's database after sealing: the seal shows broken, with the reason.
            Assert.Equal(1, hub.Db.Execute("UPDATE documents SET body = body || '（擅自增加的内容）' WHERE id = @id", ("@id", doc.Id)));
            var tampered = await Send(hub.Api, HttpMethod.Get, $"/api/documents/{doc.Id}/workflow", null);
            var seal = tampered.GetProperty("seal");
            Assert.True(seal.GetProperty("sealed").GetBoolean());
            Assert.False(seal.GetProperty("valid").GetBoolean(), $"tampered document still verifies: {seal}");
            Assert.False(string.IsNullOrWhiteSpace(seal.GetProperty("reason").GetString()));
            ws.Log($"after tampering at the hub: {seal}");
            Sync.AssertNoRejections(hub);
        });
    }

    private static void AssertSealValid(JsonElement view, string where)
    {
        var seal = view.GetProperty("seal");
        Assert.True(seal.GetProperty("sealed").GetBoolean(), $"not sealed {where}: {seal}");
        Assert.True(seal.GetProperty("valid").GetBoolean(), $"seal not valid {where}: {seal}");
    }

    private static Task<JsonElement> Step(NodeApiClient api, string id, string action, object? body = null) =>
        Send(api, HttpMethod.Post, $"/api/documents/{id}/workflow/{action}", body ?? new { });

    private static async Task<JsonElement> Send(NodeApiClient api, HttpMethod method, string path, object? body)
    {
        var answer = await api.SendAsync<object>(method, path.TrimStart('/'), body is null ? null : () => JsonContent.Create(body));
        Assert.True(answer.IsSuccess, $"{method} {path}: {answer}");
        using var json = JsonDocument.Parse(answer.Body);
        return json.RootElement.Clone();
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(ITestOutputHelper output) : SealedOfflineTests(HubProvider.Sqlite, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(ITestOutputHelper output) : SealedOfflineTests(HubProvider.Postgres, output);
}
