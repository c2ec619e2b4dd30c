using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using EGovEdge.Sync.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EGovEdge.Sync.Tests.Transport;

/// <summary>The HTTP transport against a canned hub (an <see cref="HttpMessageHandler"/> stub; no network).</summary>
public sealed class HttpSyncTransportTests : IDisposable
{
    private readonly StubHandler _handler = new();
    private readonly HttpClient _http;

    public HttpSyncTransportTests() => _http = new HttpClient(_handler) { BaseAddress = new Uri("http://hub.test") };

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private HttpSyncTransport Transport(string? key = "s3cret") => new(_http, () => new SyncCredentials("malu", key));

    private static PushRequest Batch() => new()
    {
        NodeId = "malu", SchemaVersion = 2, BatchId = "malu:1-1", FirstSeq = 1, LastSeq = 1,
        Changes = [new SyncChange { Table = "documents", Id = Guid.CreateVersion7().ToString(), Hlc = "0001772438400000.00000@malu", Origin = "malu", Data = TestSchema.Doc("t") }],
    };

    [Fact]
    public async Task PushAsync_Success_SendsGzippedJsonWithHeadersAndReadsResponse()
    {
        _handler.Respond(HttpStatusCode.OK, JsonSerializer.Serialize(new PushResponse { AckedSeq = 1, Applied = 1 }, SyncJsonContext.Default.PushResponse));
        var batch = Batch();

        var result = await Transport().PushAsync(batch, "corr-1", CancellationToken.None);

        var req = _handler.Requests.Single();
        Assert.Equal((HttpMethod.Post, "/api/sync/push"), (req.Method, req.Path));
        Assert.Equal("gzip", req.ContentEncoding);
        Assert.Equal("Bearer s3cret", req.Authorization);
        Assert.Equal(("malu", "2", "corr-1"), (req.Headers[SyncProtocol.NodeHeader], req.Headers[SyncProtocol.SchemaHeader], req.Headers[SyncProtocol.CorrelationHeader]));
        var sent = JsonSerializer.Deserialize(Gunzip(req.Body), SyncJsonContext.Default.PushRequest)!;
        Assert.Equal((batch.BatchId, batch.Changes[0].Id), (sent.BatchId, sent.Changes.Single().Id));
        Assert.Equal((1L, 1), (result.Value.AckedSeq, result.Value.Applied));
        Assert.Equal(req.Body.Length, result.BytesUp);
        Assert.True(result.BytesDown > 0);
    }

    [Fact]
    public async Task PullAsync_NoKey_SendsNoAuthorizationHeader()
    {
        _handler.Respond(HttpStatusCode.OK, """{"changes":[],"nextCursor":5,"hasMore":false}""");

        var result = await Transport(key: null).PullAsync(new PullRequest { NodeId = "malu", Cursor = 5 }, "c", CancellationToken.None);

        Assert.Null(_handler.Requests.Single().Authorization);
        Assert.Equal("/api/sync/pull", _handler.Requests.Single().Path);
        Assert.Equal(5, result.Value.NextCursor);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, true)]
    [InlineData(HttpStatusCode.Forbidden, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, false)]
    [InlineData(HttpStatusCode.UpgradeRequired, false)]
    public async Task PushAsync_HubRefuses_ThrowsSyncRefusedWithProblemDetail(HttpStatusCode status, bool isAuthentication)
    {
        _handler.Respond(status, """{"title":"Refused","detail":"schema 2 is too old"}""");

        var ex = await Assert.ThrowsAsync<SyncRefusedException>(() => Transport().PushAsync(Batch(), "c", CancellationToken.None));

        Assert.Equal(((int)status, isAuthentication), (ex.StatusCode, ex.IsAuthentication));
        Assert.Contains("schema 2 is too old", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task PushAsync_HubFails_ThrowsHttpRequestException(HttpStatusCode status)
    {
        _handler.Respond(status, "upstream down");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Transport().PushAsync(Batch(), "c", CancellationToken.None));

        Assert.Equal(status, ex.StatusCode);
        Assert.Contains("upstream down", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_HubAnswers503_UnreachableAndRefusal401_AuthFailed()
    {
        using var dir = new TempDirectory();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(SyncWorld.Start);
        var store = new EdgeStore(dir.File("malu.db"), "malu", TestSchema.Create(), time);
        store.Insert(TestSchema.Documents, TestSchema.Doc("pending"));
        var agent = new EdgeSyncAgent(store, Transport(), new SyncAgentOptions(), time, NullLogger<EdgeSyncAgent>.Instance);

        _handler.Respond(HttpStatusCode.ServiceUnavailable, "");
        var unreachable = await agent.RunOnceAsync(CancellationToken.None);
        _handler.Respond(HttpStatusCode.Unauthorized, """{"title":"bad key"}""");
        var refused = await agent.RunOnceAsync(CancellationToken.None);

        Assert.Equal(SyncOutcome.Unreachable, unreachable.Outcome);
        Assert.Equal(SyncOutcome.Refused, refused.Outcome);
        Assert.True(agent.Status.AuthFailed);
        Assert.Contains("bad key", agent.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(1, store.PendingRowCount());
    }

    private static string Gunzip(byte[] body)
    {
        using var gz = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed record Captured(HttpMethod Method, string Path, string? ContentEncoding, string? Authorization, Dictionary<string, string> Headers, byte[] Body);

    private sealed class StubHandler : HttpMessageHandler
    {
        private HttpStatusCode _status = HttpStatusCode.OK;
        private string _body = "{}";

        public List<Captured> Requests { get; } = [];

        public void Respond(HttpStatusCode status, string body) => (_status, _body) = (status, body);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add(new Captured(
                request.Method,
                request.RequestUri!.AbsolutePath,
                request.Content?.Headers.ContentEncoding.SingleOrDefault(),
                request.Headers.Authorization?.ToString(),
                request.Headers.Where(h => h.Key.StartsWith("X-", StringComparison.Ordinal)).ToDictionary(h => h.Key, h => h.Value.Single()),
                body));
            return new HttpResponseMessage(_status) { Content = new StringContent(_body, Encoding.UTF8, "application/json") };
        }
    }
}
