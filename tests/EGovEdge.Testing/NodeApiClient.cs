using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EGovEdge.Testing;

/// <summary>Typed client for the node HTTP API (documents on hub and edge; sync status/run on the edge; townships on the hub).</summary>
public sealed class NodeApiClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly (string User, string Password)? _credentials;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private string? _token;

    /// <param name="credentials">When given, every call carries <c>Authorization: Bearer</c> with a token from POST /api/auth/token
    /// (fetched on first use, renewed once on a 401).</param>
    public NodeApiClient(string baseUrl, (string User, string Password)? credentials = null, TimeSpan? timeout = null)
    {
        _credentials = credentials;
        BaseUrl = baseUrl.TrimEnd('/');
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = new Uri(BaseUrl + "/"),
            Timeout = timeout ?? TimeSpan.FromSeconds(100),
        };
    }

    public string BaseUrl { get; }

    public HttpClient Http => _http;

    // ---- documents ------------------------------------------------------------------------------

    public Task<ApiResult<Document>> TryCreateDocumentAsync(NewDocument doc, CancellationToken ct = default) =>
        SendAsync<Document>(HttpMethod.Post, "api/documents", () => JsonContent.Create(doc, options: Json), ct);

    /// <summary>POST /api/documents; throws unless 201.</summary>
    public async Task<Document> CreateDocumentAsync(NewDocument doc, CancellationToken ct = default)
    {
        var r = await TryCreateDocumentAsync(doc, ct).ConfigureAwait(false);
        return r.Status == 201 && r.Value is not null ? r.Value : throw new HttpRequestException($"POST {BaseUrl}/api/documents: expected 201, got {r}");
    }

    /// <summary>Sends a raw body (for malformed-input tests).</summary>
    public Task<ApiResult<Document>> PostRawDocumentAsync(string body, string contentType = "application/json", CancellationToken ct = default) =>
        SendAsync<Document>(HttpMethod.Post, "api/documents", () => new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)), ct);

    public Task<ApiResult<Document>> TryGetDocumentAsync(string id, CancellationToken ct = default) =>
        SendAsync<Document>(HttpMethod.Get, "api/documents/" + Uri.EscapeDataString(id), null, ct);

    /// <summary>The document, or null on 404; throws on anything else.</summary>
    public async Task<Document?> GetDocumentAsync(string id, CancellationToken ct = default)
    {
        var r = await TryGetDocumentAsync(id, ct).ConfigureAwait(false);
        return r.Status switch
        {
            200 => r.Value,
            404 => null,
            _ => throw new HttpRequestException($"GET {BaseUrl}/api/documents/{id}: {r}"),
        };
    }

    public async Task<DocumentPage> ListDocumentsAsync(string? originNode = null, int limit = 100, int offset = 0, CancellationToken ct = default)
    {
        var q = string.Create(CultureInfo.InvariantCulture, $"api/documents?limit={limit}&offset={offset}");
        if (originNode is not null) q += "&originNode=" + Uri.EscapeDataString(originNode);
        var r = await SendAsync<DocumentPage>(HttpMethod.Get, q, null, ct).ConfigureAwait(false);
        return r.Status == 200 && r.Value is not null ? r.Value : throw new HttpRequestException($"GET {BaseUrl}/{q}: {r}");
    }

    /// <summary>Every document visible here (all pages).</summary>
    public async Task<IReadOnlyList<Document>> ListAllDocumentsAsync(string? originNode = null, CancellationToken ct = default)
    {
        var all = new List<Document>();
        for (var offset = 0; ; offset += 500)
        {
            var page = await ListDocumentsAsync(originNode, 500, offset, ct).ConfigureAwait(false);
            all.AddRange(page.Items);
            if (page.Items.Count < 500 || all.Count >= page.Total) return all;
        }
    }

    public Task<ApiResult<Document>> TryUpdateDocumentAsync(string id, DocumentChange change, CancellationToken ct = default) =>
        SendAsync<Document>(HttpMethod.Put, "api/documents/" + Uri.EscapeDataString(id), () => JsonContent.Create(change, options: Json), ct);

    public async Task<Document> UpdateDocumentAsync(string id, DocumentChange change, CancellationToken ct = default)
    {
        var r = await TryUpdateDocumentAsync(id, change, ct).ConfigureAwait(false);
        return r.Status == 200 && r.Value is not null ? r.Value : throw new HttpRequestException($"PUT {BaseUrl}/api/documents/{id}: expected 200, got {r}");
    }

    public Task<ApiResult<object>> TryDeleteDocumentAsync(string id, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, "api/documents/" + Uri.EscapeDataString(id), null, ct);

    // ---- sync -----------------------------------------------------------------------------------

    /// <summary>GET /api/sync/status (edge).</summary>
    public async Task<SyncStatus> GetSyncStatusAsync(CancellationToken ct = default)
    {
        var r = await SendAsync<SyncStatus>(HttpMethod.Get, "api/sync/status", null, ct).ConfigureAwait(false);
        return r.Status == 200 && r.Value is not null ? r.Value : throw new HttpRequestException($"GET {BaseUrl}/api/sync/status: {r}");
    }

    /// <summary>POST /api/sync/run (edge): 200 with counts, 503 when the hub is unreachable, 502 when it refuses.</summary>
    public Task<ApiResult<SyncRun>> RunSyncAsync(CancellationToken ct = default) =>
        SendAsync<SyncRun>(HttpMethod.Post, "api/sync/run", null, ct);

    /// <summary>GET /api/sync/townships (hub).</summary>
    public async Task<IReadOnlyList<HubNodeInfo>> GetTownshipsAsync(CancellationToken ct = default)
    {
        var r = await SendAsync<List<HubNodeInfo>>(HttpMethod.Get, "api/sync/townships", null, ct).ConfigureAwait(false);
        return r.Status == 200 && r.Value is not null ? r.Value : throw new HttpRequestException($"GET {BaseUrl}/api/sync/townships: {r}");
    }

    // ---- accounts, townships, audit -------------------------------------------------------------

    /// <summary>POST /api/auth/token for any user, without signing this client in (200 with a token, 401, 423 locked out, 429).</summary>
    public Task<ApiResult<TokenAnswer>> RequestTokenAsync(string username, string password, CancellationToken ct = default) =>
        SendAsync<TokenAnswer>(HttpMethod.Post, "api/auth/token", () => JsonContent.Create(new { username, password }, options: Json), ct, anonymous: true);

    /// <summary>POST /api/users (hub, administrators).</summary>
    public Task<ApiResult<StaffAccount>> TryCreateUserAsync(NewUser user, CancellationToken ct = default) =>
        SendAsync<StaffAccount>(HttpMethod.Post, "api/users", () => JsonContent.Create(user, options: Json), ct);

    public async Task<StaffAccount> CreateUserAsync(NewUser user, CancellationToken ct = default)
    {
        var r = await TryCreateUserAsync(user, ct).ConfigureAwait(false);
        return r.Status == 201 && r.Value is not null ? r.Value : throw new HttpRequestException($"POST {BaseUrl}/api/users: expected 201, got {r}");
    }

    /// <summary>POST /api/townships {"code","name"} (hub, administrators): 201 with a one-time enrollment code.</summary>
    public Task<ApiResult<TownshipEnrollment>> TryCreateTownshipAsync(string code, string name, CancellationToken ct = default) =>
        SendAsync<TownshipEnrollment>(HttpMethod.Post, "api/townships", () => JsonContent.Create(new { code, name }, options: Json), ct);

    public async Task<TownshipEnrollment> CreateTownshipAsync(string code, string name, CancellationToken ct = default)
    {
        var r = await TryCreateTownshipAsync(code, name, ct).ConfigureAwait(false);
        return r.Status == 201 && r.Value is not null ? r.Value : throw new HttpRequestException($"POST {BaseUrl}/api/townships: expected 201, got {r}");
    }

    /// <summary>POST /api/townships/{code}/enrollment (hub): a new one-time code; using it replaces the township's credential.</summary>
    public async Task<TownshipEnrollment> IssueEnrollmentCodeAsync(string code, CancellationToken ct = default)
    {
        var r = await SendAsync<TownshipEnrollment>(HttpMethod.Post, $"api/townships/{Uri.EscapeDataString(code)}/enrollment", null, ct).ConfigureAwait(false);
        return r.Status == 200 && r.Value is not null ? r.Value : throw new HttpRequestException($"POST {BaseUrl}/api/townships/{code}/enrollment: expected 200, got {r}");
    }

    /// <summary>POST /api/townships/{code}/revoke (hub): 204.</summary>
    public Task<ApiResult<object>> TryRevokeTownshipAsync(string code, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, $"api/townships/{Uri.EscapeDataString(code)}/revoke", null, ct);

    /// <summary>GET /api/audit/verify.</summary>
    public async Task<AuditReport> VerifyAuditAsync(CancellationToken ct = default)
    {
        var r = await SendAsync<AuditReport>(HttpMethod.Get, "api/audit/verify", null, ct).ConfigureAwait(false);
        return r.Status == 200 && r.Value is not null ? r.Value : throw new HttpRequestException($"GET {BaseUrl}/api/audit/verify: {r}");
    }

    /// <summary>
    /// Sends a request with exactly the given <c>Authorization</c> header value (null: none at all), whatever this
    /// client's credentials: for the refusal tests.
    /// </summary>
    /// <param name="headers">More request headers (e.g. X-EGov-Node).</param>
    public async Task<ApiResult<object>> SendWithAuthorizationAsync(HttpMethod method, string path, string? authorization, Func<HttpContent?>? content = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null, CancellationToken ct = default)
    {
        using var req = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
        if (authorization is not null) req.Headers.TryAddWithoutValidation("Authorization", authorization);
        foreach (var (name, value) in headers ?? []) req.Headers.TryAddWithoutValidation(name, value);
        using var res = await _http.SendAsync(req, ct).ConfigureAwait(false);
        var body = await res.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return new ApiResult<object>((int)res.StatusCode, res.Content.Headers.ContentType?.MediaType, body, null);
    }

    /// <summary>The bearer token this client signs in with (fetched on first use).</summary>
    public Task<string> GetTokenAsync(CancellationToken ct = default) => TokenAsync(renew: false, ct);

    // ---- plumbing -------------------------------------------------------------------------------

    /// <summary>Sends a request (signed in when the client has credentials, unless <paramref name="anonymous"/>).</summary>
    /// <param name="content">Makes the body; called again if the request is repeated after renewing the token.</param>
    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, Func<HttpContent?>? content, CancellationToken ct = default, bool anonymous = false)
        where T : class
    {
        var signIn = _credentials is not null && !anonymous;
        for (var attempt = 1; ; attempt++)
        {
            using var req = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            if (signIn) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(renew: attempt > 1, ct).ConfigureAwait(false));
            using var res = await _http.SendAsync(req, ct).ConfigureAwait(false);
            if (signIn && attempt == 1 && res.StatusCode == System.Net.HttpStatusCode.Unauthorized) continue;
            var body = await res.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var ctype = res.Content.Headers.ContentType?.MediaType;
            T? value = null;
            if (res.IsSuccessStatusCode && body.Length > 0 && typeof(T) != typeof(object))
            {
                value = JsonSerializer.Deserialize<T>(body, Json);
            }
            return new ApiResult<T>((int)res.StatusCode, ctype, body, value);
        }
    }

    private async Task<string> TokenAsync(bool renew, CancellationToken ct)
    {
        await _tokenGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_token is not null && !renew) return _token;
            var (user, password) = _credentials ?? throw new InvalidOperationException($"This client of {BaseUrl} has no credentials.");
            // Sign-in is rate limited per client address (a fixed window of a minute). Every test talks from 127.0.0.1, so
            // a busy test run can use up a node's window with its own sign-ins: wait for the next window rather than fail.
            // The tests of the rate limit itself do not come through here.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage res;
            string body;
            while (true)
            {
                res = await _http.PostAsJsonAsync("api/auth/token", new { username = user, password }, Json, ct).ConfigureAwait(false);
                body = await res.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if ((int)res.StatusCode != 429 || waited.Elapsed > TimeSpan.FromSeconds(75)) break;
                res.Dispose();
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            }
            using var answer = res;
            if (!res.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"POST {BaseUrl}/api/auth/token as '{user}': HTTP {(int)res.StatusCode} {body}");
            }
            using var doc = JsonDocument.Parse(body);
            _token = doc.RootElement.GetProperty("token").GetString()
                ?? throw new HttpRequestException($"POST {BaseUrl}/api/auth/token: no token in {body}");
            return _token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _tokenGate.Dispose();
    }
}
