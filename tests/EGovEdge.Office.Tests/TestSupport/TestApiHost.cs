using System.Security.Claims;
using System.Text.Encodings.Web;
using EGovEdge.Office.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.TestSupport;

/// <summary>
/// A module's endpoints on a real Kestrel host on loopback, over real SQLite stores. Sign-in is a header naming the
/// user, unit and roles (the process-level integration tests cover the real tokens); the endpoints' policies decide.
/// </summary>
internal static class TestApiHost
{
    public const string Scheme = "test";

    /// <summary>"username|unit|role,role".</summary>
    public const string Header = "X-Test-User";

    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    public static AuthenticationBuilder AddHeaderSignIn(this IServiceCollection services) =>
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, HeaderSignIn>(Scheme, null);

    /// <summary>Starts the host and returns a client for the address Kestrel chose.</summary>
    public static async Task<HttpClient> StartAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address) };
    }

    public static HttpRequestMessage SignedAs(this HttpRequestMessage request, string user, string unit, string roles)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Add(Header, $"{user}|{unit}|{roles}");
        return request;
    }

    private sealed class HeaderSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers[Header].ToString();
            if (header.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
            var parts = header.Split('|');
            var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]), new(StaffClaims.Unit, parts[1]), new(StaffClaims.DisplayName, parts[0]) };
            claims.AddRange(parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, TestApiHost.Scheme, ClaimTypes.Name, ClaimTypes.Role));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, TestApiHost.Scheme)));
        }
    }
}
