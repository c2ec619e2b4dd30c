using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;

namespace EGovEdge.Office.Localization;

/// <summary>Simplified Chinese by default, English on request; the choice is kept in the standard culture cookie.</summary>
public static class CultureEndpoints
{
    public static readonly CultureInfo[] Supported = [new("zh-CN"), new("en")];

    /// <summary>
    /// The browser's Accept-Language is deliberately ignored: county staff get Chinese unless they choose English
    /// (cookie, or ?culture=en on an API call).
    /// </summary>
    public static IApplicationBuilder UseOfficeLocalization(this IApplicationBuilder app)
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("zh-CN"),
            SupportedCultures = Supported,
            SupportedUICultures = Supported,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        return app.UseRequestLocalization(options);
    }

    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/culture", (HttpContext http, string? c, string? r) =>
        {
            var culture = Supported.FirstOrDefault(s => string.Equals(s.Name, c, StringComparison.OrdinalIgnoreCase));
            if (culture is null) return Results.Problem(statusCode: 400, title: "Supported cultures: zh-CN, en");
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            // Only local paths: never redirect to another site.
            var back = r is { Length: > 0 } && r[0] == '/' && !r.StartsWith("//", StringComparison.Ordinal) && !r.Contains('\\') ? r : "/";
            return Results.LocalRedirect(back);
        }).AllowAnonymous();
        return app;
    }
}
