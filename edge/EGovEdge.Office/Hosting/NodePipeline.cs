using System.IO.Compression;
using EGovEdge.Office.Api;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Serilog;

namespace EGovEdge.Office.Hosting;

/// <summary>The HTTP plumbing hub and edge share: problem details, security headers, compression, localisation, health.</summary>
public static class NodePipeline
{
    public static IServiceCollection AddNodeWeb(this IServiceCollection services, string nodeId, string dataDir)
    {
        services.AddSingleton(new NodeEnvironment(nodeId, dataDir));
        services.AddNodeAuthentication(nodeId, dataDir);
        services.AddNodeMetrics();
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageExceptionHandler>();
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/problem+json"]);
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.AddRequestDecompression();
        services.AddNodeOpenApi(nodeId);
        return services;
    }

    /// <summary>The OpenAPI document of every endpoint that is not excluded, with the bearer scheme.</summary>
    public static IServiceCollection AddNodeOpenApi(this IServiceCollection services, string nodeId) =>
        services.AddOpenApi(OpenApiDocumentName, o => o.AddDocumentTransformer((document, _, _) =>
        {
            DescribeDocument(document, nodeId);
            return Task.CompletedTask;
        }));

    /// <summary>
    /// /openapi/v1.json and the reference page at <see cref="ApiReferencePath"/>. Both are public on the LAN (they
    /// describe, they do not answer); every API call still needs a token. Scalar's script is served by this node
    /// (no CDN, no web fonts, no telemetry), so the page works on an offline township LAN under the node's CSP.
    /// </summary>
    public static IEndpointRouteBuilder MapNodeApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(ApiReferencePath, o => o
                .WithTitle("EGovEdge API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .AddDocument(OpenApiDocumentName)
                .AddPreferredSecuritySchemes(BearerSchemeName))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The OpenAPI document's name: served at /openapi/v1.json.</summary>
    public const string OpenApiDocumentName = "v1";

    /// <summary>The browsable API reference (Scalar, its script served by this node: no CDN, works on an offline LAN).</summary>
    public const string ApiReferencePath = "/api/docs";

    public const string BearerSchemeName = "Bearer";

    /// <summary>Title, description and the bearer scheme (tokens from POST /api/auth/token) required by every operation.</summary>
    public static void DescribeDocument(OpenApiDocument document, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "EGovEdge API (" + nodeId + ")";
        document.Info.Version = "v1";
        document.Info.Description =
            "The same API on the county hub and on every township node. Get a token with POST /api/auth/token " +
            "{\"username\",\"password\"} and send it as Authorization: Bearer <token> (valid 8 hours). " +
            "Every /api endpoint except /api/auth/token needs it: 401 without a token, 403 when the role is not allowed. " +
            "Errors are problem details (RFC 9457); invalid input answers 400 with the field errors.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Token from POST /api/auth/token (8 hours).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeName, document)] = [] });
    }

    public static WebApplication UseNodeWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Request logging outside the exception handlers, so it records the status the client really got (e.g. 507).
        app.UseSerilogRequestLogging();
        app.UseWhen(c => IsApi(c.Request), api => api.UseExceptionHandler());
        app.UseWhen(c => !IsApi(c.Request), ui => ui.UseExceptionHandler("/Error", createScopeForErrors: true));
        app.UseStatusCodePages(async ctx =>
        {
            // Empty API errors (e.g. 405) still answer with problem details.
            var http = ctx.HttpContext;
            if (IsApi(http.Request) && http.Response.ContentLength is null && http.Response.ContentType is null)
            {
                await Results.Problem(statusCode: http.Response.StatusCode).ExecuteAsync(http);
            }
        });
        app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "same-origin";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // Blazor writes an inline import map, so inline scripts stay allowed; everything else is same-origin only.
            h.ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; " +
                "form-action 'self'; frame-ancestors 'none'";
            await next();
        });
        app.UseResponseCompression();
        app.UseRequestDecompression();
        app.UseOfficeLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (ctx, next) =>
        {
            using (EGovEdge.Sync.Audit.AuditActor.Use(ctx.User.Identity?.IsAuthenticated == true ? ctx.User.Identity.Name : null))
            {
                await next();
            }
        });
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();
        app.MapCultureSwitch();
        app.MapAuthApi();
        app.MapNodeMetrics();
        app.MapAuditApi();
        EGovEdge.Office.Conflicts.ConflictApi.MapConflictApi(app);
        app.MapNodeApiReference();
        return app;
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>Runs a node with the two-stage Serilog bootstrap; returns the process exit code.</summary>
    public static int Run(Func<WebApplication> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        NodeLogging.CreateBootstrapLogger();
        try
        {
            build().Run();
            return 0;
        }
        catch (Exception ex) when (ex is not HostAbortedException)
        {
            Log.Fatal(ex, "The node stopped: {Reason}", ex.Message);
            return 1;
        }
        finally
        {
            try
            {
                Log.CloseAndFlush();
            }
            catch (IOException)
            {
                // A full log disk must not turn a clean stop into a crash.
            }
        }
    }
}
