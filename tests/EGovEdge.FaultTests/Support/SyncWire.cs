using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EGovEdge.FaultTests.Support;

/// <summary>An answer of the hub's sync endpoint.</summary>
internal sealed record WireAnswer(int Status, string? ContentType, string Body)
{
    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
    }

    public bool Duplicate => Json.TryGetProperty("duplicate", out var d) && d.GetBoolean();

    public int Applied => Json.TryGetProperty("applied", out var a) ? a.GetInt32() : 0;

    public long AckedSeq => Json.TryGetProperty("ackedSeq", out var a) ? a.GetInt64() : 0;

    public IReadOnlyList<JsonElement> Rejected =>
        Json.TryGetProperty("rejected", out var r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray()] : [];

    public override string ToString() => $"HTTP {Status} {ContentType}: {(Body.Length > 800 ? Body[..800] + "…" : Body)}";
}

/// <summary>
/// Speaks the hub's sync protocol by hand, as a township would (X-EGov-Node, Authorization: Bearer &lt;key&gt;,
/// Content-Type application/json, Content-Encoding gzip), so the tests can send what no well-behaved edge sends.
/// The wire format is written out here on purpose (black box: no reference to the product assemblies).
/// </summary>
internal sealed class SyncWire(string hubUrl, Township township, int schemaVersion) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = new Uri(hubUrl.TrimEnd('/') + "/"),
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Township Township { get; } = township;

    public int SchemaVersion { get; } = schemaVersion;

    /// <summary>POST /api/sync/push with these exact body bytes (already compressed, or not).</summary>
    public async Task<WireAnswer> PostPushAsync(byte[] body, bool gzipHeader = true, CancellationToken ct = default)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, "api/sync/push") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (gzipHeader) req.Content.Headers.ContentEncoding.Add("gzip");
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Township.Key);
        req.Headers.Add("X-EGov-Node", Township.Code);
        req.Headers.Add("X-EGov-Schema", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        req.Headers.Add("X-Correlation-Id", "fault-" + Guid.NewGuid().ToString("N")[..12]);
        using var res = await _http.SendAsync(req, ct);
        return new WireAnswer((int)res.StatusCode, res.Content.Headers.ContentType?.MediaType, await res.Content.ReadAsStringAsync(ct));
    }

    public Task<WireAnswer> PushAsync(PushBatch batch, CancellationToken ct = default) => PostPushAsync(Gzip(batch.ToJson(Township.Code, SchemaVersion)), ct: ct);

    /// <summary>
    /// Sends the request head with the full Content-Length and only the first <paramref name="sentBytes"/> of the body,
    /// then resets the connection: an upload cut mid-way by the link.
    /// </summary>
    public async Task SendCutMidBodyAsync(byte[] body, int sentBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        var uri = _http.BaseAddress!;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, uri.Port);
        var head = new StringBuilder()
            .Append("POST /api/sync/push HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: 127.0.0.1:{uri.Port}\r\n")
            .Append("Content-Type: application/json\r\nContent-Encoding: gzip\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Authorization: Bearer {Township.Key}\r\nX-EGov-Node: {Township.Code}\r\n")
            .Append(CultureInfo.InvariantCulture, $"X-EGov-Schema: {SchemaVersion}\r\n\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()), SocketFlags.None);
        await socket.SendAsync(body.AsMemory(0, sentBytes), SocketFlags.None);
        socket.LingerState = new LingerOption(true, 0); // close → RST
    }

    public static byte[] Gzip(string json)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(json));
        return ms.ToArray();
    }

    /// <summary>A hybrid logical clock stamp as the engine writes it: 16 digits of wall milliseconds, 5 of counter, "@node".</summary>
    public static string Hlc(DateTimeOffset wall, int counter, string node) =>
        string.Create(CultureInfo.InvariantCulture, $"{wall.ToUnixTimeMilliseconds():D16}.{counter:D5}@{node}");

    public void Dispose() => _http.Dispose();
}

/// <summary>One push batch: the sender's store id, its change-log range and the row versions.</summary>
internal sealed record PushBatch(string StoreId, long FirstSeq, long LastSeq, IReadOnlyList<DocVersion> Changes)
{
    public string ToJson(string node, int schemaVersion)
    {
        var changes = new JsonArray();
        foreach (var c in Changes) changes.Add(c.ToJson());
        return new JsonObject
        {
            ["nodeId"] = node,
            ["schemaVersion"] = schemaVersion,
            ["batchId"] = string.Create(CultureInfo.InvariantCulture, $"{node}:{FirstSeq}-{LastSeq}"),
            ["storeId"] = StoreId,
            ["firstSeq"] = FirstSeq,
            ["lastSeq"] = LastSeq,
            ["changes"] = changes,
        }.ToJsonString();
    }
}

/// <summary>A version of a row of the replicated <c>documents</c> table.</summary>
internal sealed record DocVersion(string Id, string Hlc, string? Prev, string Origin, string Title, string Body, bool Deleted = false, string Recipients = "")
{
    public static DocVersion New(string origin, string title, string body, DateTimeOffset wall, int counter = 0) =>
        new(Guid.CreateVersion7().ToString(), SyncWire.Hlc(wall, counter, origin), null, origin, title, body);

    /// <summary>The next version of this row, made by its origin at <paramref name="wall"/>.</summary>
    public DocVersion Edit(string title, string body, DateTimeOffset wall, int counter = 0) =>
        this with { Prev = Hlc, Hlc = SyncWire.Hlc(wall, counter, Origin), Title = title, Body = body };

    public JsonObject ToJson()
    {
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var o = new JsonObject
        {
            ["table"] = "documents",
            ["id"] = Id,
            ["hlc"] = Hlc,
            ["origin"] = Origin,
            ["deleted"] = Deleted,
            ["data"] = new JsonObject
            {
                ["title"] = Title,
                ["doc_type"] = "通知",
                ["urgency"] = "普通",
                ["body"] = Body,
                ["recipients"] = Recipients,
                ["created_utc"] = now,
                ["updated_utc"] = now,
            },
        };
        if (Prev is not null) o["prev"] = Prev;
        return o;
    }
}
