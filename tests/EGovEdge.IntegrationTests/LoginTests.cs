using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>
/// Signing in, at the HTTP level against the real nodes: API tokens (POST /api/auth/token) and the HTML login form
/// (GET /login, POST /account/login), with the lockout after five failures. Each test uses accounts of its own:
/// locking out a shared account (admin) would break every test after it.
/// </summary>
public abstract class LoginTests
{
    private readonly SharedCounty _county;

    protected LoginTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    [Fact]
    public async Task Token_RightPasswordSucceeds_WrongFails_FiveFailuresLockEvenTheRightPassword()
    {
        var hub = _county.Hub;
        await _county.Workspace.RunAsync(async () =>
        {
            var (user, password) = await Accounts.CreateAsync(hub, "lock", "hub", "clerk");

            // Success: a token good for about 8 hours that opens the API.
            var ok = await hub.Api.RequestTokenAsync(user.Username, password);
            Assert.True(ok.Status == 200, $"right password: {ok}");
            Assert.False(string.IsNullOrWhiteSpace(ok.Value!.Token));
            var lifetime = ok.Value.ExpiresUtc - DateTimeOffset.UtcNow;
            Assert.InRange(lifetime, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8.1));
            var list = await hub.Api.SendWithAuthorizationAsync(HttpMethod.Get, "api/documents", "Bearer " + ok.Value.Token);
            Assert.True(list.Status == 200, $"GET /api/documents with the new token: {list}");

            // Unknown user and wrong password look the same: 401 problem, no token.
            var unknown = await hub.Api.RequestTokenAsync(Accounts.NewUsername("nobody"), password);
            Assert.True(unknown.Status == 401, $"unknown user: {unknown}");

            // Four failures: 401 each. The fifth locks the account (423), and then even the right password is refused.
            for (var i = 1; i <= 4; i++)
            {
                var bad = await hub.Api.RequestTokenAsync(user.Username, password + "x");
                Assert.True(bad.Status == 401, $"failure {i}: {bad}");
                Assert.Equal("application/problem+json", bad.ContentType);
                Assert.Null(bad.Value);
            }
            var fifth = await hub.Api.RequestTokenAsync(user.Username, password + "x");
            Assert.True(fifth.Status == 423, $"failure 5 must lock the account: {fifth}");
            Assert.Equal("application/problem+json", fifth.ContentType);
            var locked = await hub.Api.RequestTokenAsync(user.Username, password);
            Assert.True(locked.Status == 423, $"the right password while locked out: {locked}");
            Assert.Null(locked.Value);

            // The lockout is kept in the hub's database (SQLite or PostgreSQL), for this account only.
            var until = hub.Db.Scalar("SELECT locked_until FROM auth_lockout WHERE username = @u", ("@u", user.Username)) as string;
            Assert.NotNull(until);
            Assert.True(DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(10),
                $"locked until {until}: expected about 15 minutes from now");
            var others = await hub.Api.SendAsync<object>(HttpMethod.Get, "api/documents?limit=1", null);
            Assert.True(others.Status == 200, $"other accounts keep working: {others}");
        });
    }

    [Fact]
    public async Task LoginForm_SuccessSetsCookieAndRedirects_FailureRedirectsWithError_LockoutShown()
    {
        var (hub, guangshun) = (_county.Hub, _county.Guangshun);
        await _county.Workspace.RunAsync(async () =>
        {
            // A clerk of guangshun, created at the hub, signs in on guangshun's own login page.
            var (user, password) = await Accounts.CreateAsync(hub, "form", "guangshun", "clerk");
            await Accounts.WaitForAccountAsync(guangshun, user.Username);
            using var browser = new BrowserSession(guangshun.BaseUrl);
            const string authCookie = ".EGov.Auth.guangshun";

            var token = await browser.GetLoginFormTokenAsync();
            Assert.NotEmpty(browser.CookiesStartingWith(".EGov.Antiforgery."));

            // Without the antiforgery token the form is refused and nobody is signed in.
            var forged = await browser.PostLoginAsync(user.Username, password, antiforgeryToken: null);
            Assert.True(forged.Status == 400, $"login form without its antiforgery token: {forged}");
            Assert.Empty(browser.CookiesStartingWith(authCookie));

            // Wrong password: back to the login page with ?error=, no cookie.
            var wrong = await browser.PostLoginAsync(user.Username, password + "x", token, "/documents");
            _county.Workspace.Log($"wrong password: {wrong}");
            Assert.True(wrong.Status is 302 or 303, $"wrong password: {wrong}");
            Assert.StartsWith("/login?error=", wrong.Location, StringComparison.Ordinal);
            Assert.DoesNotContain("lockedout", wrong.Location, StringComparison.Ordinal);
            Assert.Contains("returnUrl=%2Fdocuments", wrong.Location, StringComparison.Ordinal);
            Assert.Empty(browser.CookiesStartingWith(authCookie));
            Assert.Equal(401, await browser.GetStatusAsync("/api/documents"));

            // The login page shows the error.
            using (var page = await browser.Http.GetAsync(wrong.Location!.TrimStart('/')))
            {
                Assert.Equal(200, (int)page.StatusCode);
                Assert.Contains("data-testid=\"login-error\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // Right password: the auth cookie (HttpOnly) and a redirect to where the user was going.
            var right = await browser.PostLoginAsync(user.Username, password, token, "/documents");
            _county.Workspace.Log($"right password: {right}");
            Assert.True(right.Status is 302 or 303, $"right password: {right}");
            Assert.Equal("/documents", right.Location);
            var cookie = Assert.Single(right.SetCookies, c => c.StartsWith(authCookie + "=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.NotEmpty(browser.CookiesStartingWith(authCookie));
            Assert.Equal(200, await browser.GetStatusAsync("/api/documents")); // the cookie signs the user in

            // Five failures in a row lock the account; the form then says so, even for the right password.
            using var other = new BrowserSession(guangshun.BaseUrl);
            var otherToken = await other.GetLoginFormTokenAsync();
            FormAnswer last = null!;
            for (var i = 1; i <= 5; i++) last = await other.PostLoginAsync(user.Username, "wrong-" + i + "x", otherToken);
            Assert.StartsWith("/login?error=lockedout", last.Location, StringComparison.Ordinal);
            var lockedOut = await other.PostLoginAsync(user.Username, password, otherToken);
            Assert.StartsWith("/login?error=lockedout", lockedOut.Location, StringComparison.Ordinal);
            Assert.Empty(other.CookiesStartingWith(authCookie));
            var api = await guangshun.Api.RequestTokenAsync(user.Username, password);
            Assert.True(api.Status == 423, $"the API refuses the locked account too: {api}");
        });
    }

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : LoginTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : LoginTests(county, output);
}
