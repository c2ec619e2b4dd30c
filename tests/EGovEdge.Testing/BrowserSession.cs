using System.Net;
using System.Text.RegularExpressions;

namespace EGovEdge.Testing;

/// <summary>The answer to a form post: status, where it redirects and the cookies it set.</summary>
public sealed record FormAnswer(int Status, string? Location, IReadOnlyList<string> SetCookies)
{
    public override string ToString() => $"HTTP {Status} → {Location ?? "(no Location)"}; Set-Cookie: {string.Join(" | ", SetCookies.Select(c => c.Split(';')[0].Split('=')[0]))}";
}

/// <summary>
/// What a browser does with the HTML login form, over plain HTTP: keeps cookies, does not follow redirects (so the
/// tests see them), reads the antiforgery token from GET /login and posts the form to /account/login.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    private readonly HttpClient _http;

    public BrowserSession(string baseUrl)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseUrl + "/"),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public string BaseUrl { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http => _http;

    /// <summary>GET /login (200 expected) and the value of its hidden <c>__RequestVerificationToken</c> field.</summary>
    public async Task<string> GetLoginFormTokenAsync(CancellationToken ct = default)
    {
        using var res = await _http.GetAsync("login", ct).ConfigureAwait(false);
        var html = await res.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (res.StatusCode != HttpStatusCode.OK) throw new HttpRequestException($"GET {BaseUrl}/login: HTTP {(int)res.StatusCode}");
        return AntiforgeryField(html) ?? throw new InvalidOperationException($"GET {BaseUrl}/login has no __RequestVerificationToken field:\n{html[..Math.Min(html.Length, 2000)]}");
    }

    /// <summary>The hidden antiforgery field of a page, or null.</summary>
    public static string? AntiforgeryField(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        foreach (Match input in InputTag().Matches(html))
        {
            var tag = input.Value;
            if (!tag.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal)) continue;
            var value = ValueAttribute().Match(tag);
            if (value.Success) return WebUtility.HtmlDecode(value.Groups[1].Value);
        }
        return null;
    }

    /// <summary>POST /account/login as a form (username, password, returnUrl and, unless null, the antiforgery token).</summary>
    public async Task<FormAnswer> PostLoginAsync(string username, string password, string? antiforgeryToken, string returnUrl = "/", CancellationToken ct = default)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("username", username),
            new("password", password),
            new("returnUrl", returnUrl),
        };
        if (antiforgeryToken is not null) fields.Add(new("__RequestVerificationToken", antiforgeryToken));
        using var content = new FormUrlEncodedContent(fields);
        using var res = await _http.PostAsync("account/login", content, ct).ConfigureAwait(false);
        var cookies = res.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : [];
        return new FormAnswer((int)res.StatusCode, res.Headers.Location?.OriginalString, cookies);
    }

    /// <summary>GET a path with this session's cookies; the status code.</summary>
    public async Task<int> GetStatusAsync(string path, CancellationToken ct = default)
    {
        using var res = await _http.GetAsync(path.TrimStart('/'), ct).ConfigureAwait(false);
        return (int)res.StatusCode;
    }

    /// <summary>Cookies this session holds for the node whose name starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<Cookie> CookiesStartingWith(string prefix) =>
        [.. Cookies.GetCookies(new Uri(BaseUrl + "/")).Where(c => c.Name.StartsWith(prefix, StringComparison.Ordinal))];

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex("\\bvalue=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ValueAttribute();
}
