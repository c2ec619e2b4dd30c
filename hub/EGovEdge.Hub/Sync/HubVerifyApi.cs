using System.Text.Json;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Verify;

namespace EGovEdge.Hub.Sync;

/// <summary>
/// POST /api/sync/verify: row counts and checksums of a township's scope, for <c>EGovEdge.Edge sync verify</c>.
/// Same township authentication as push and pull (X-EGov-Node + the township's key); read-only.
/// </summary>
public static partial class HubVerifyApi
{
    private const long MaxRequestBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapHubVerifyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sync/verify", HandleAsync)
            .WithTags("Sync")
            .AllowAnonymous() // townships authenticate with their own key, checked below
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxRequestBytes));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, HubStore store, NodeAuthenticator auth, ILoggerFactory logs)
    {
        var logger = logs.CreateLogger("EGovEdge.Hub.Sync.Verify");
        var node = auth.Authenticate(http.Request, out var reason);
        if (node is null)
        {
            LogRefused(logger, http.Request.Headers[SyncProtocol.NodeHeader].ToString(), reason);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Township not authenticated", detail: reason);
        }
        var schema = store.Schema;
        if (int.TryParse(http.Request.Headers[SyncProtocol.SchemaHeader], out var version) && version != schema.Version && version != schema.Version - 1)
        {
            return Results.Problem(statusCode: StatusCodes.Status426UpgradeRequired, title: "Incompatible schema version",
                detail: $"this hub speaks schema {schema.Version} (and {schema.Version - 1}); the township runs {version}: upgrade the township node");
        }
        VerifyRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, VerifyJsonContext.Default.VerifyRequest, http.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException)
        {
            return Results.Problem(statusCode: 400, title: "Malformed verify request", detail: ex.Message);
        }
        if (body is null) return Results.Problem(statusCode: 400, title: "Empty verify request");
        if (body.NodeId != node) return Results.Problem(statusCode: 400, title: "nodeId in the request differs from the authenticated township");
        using (logger.BeginScope(new Dictionary<string, object>
               {
                   ["NodeId"] = node,
                   ["SyncSessionId"] = http.Request.Headers[SyncProtocol.CorrelationHeader].ToString(),
               }))
        {
            try
            {
                var answer = HubVerifier.Answer(store, node, body);
                LogVerify(logger, node, body.Tables?.Count ?? 0, body.Tables?.Sum(t => t.Buckets?.Count ?? 0) ?? 0, answer.Tables.Sum(t => t.Rows?.Count ?? 0));
                return Results.Json(answer, VerifyJsonContext.Default.VerifyResponse);
            }
            catch (VerifyRequestException ex)
            {
                return Results.Problem(statusCode: 400, title: "Verify request cannot be answered", detail: ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verify for {Township}: {Tables} tables, {Buckets} buckets listed, {Rows} rows sent")]
    private static partial void LogVerify(ILogger logger, string township, int tables, int buckets, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verify refused for {Township}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string township, string reason);
}
