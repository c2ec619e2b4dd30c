using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EGovEdge.Office;
using EGovEdge.Office.Identity;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using Microsoft.AspNetCore.Mvc;

namespace EGovEdge.Hub.Sync;

/// <summary>The sync endpoint: POST /api/sync/push and /api/sync/pull, for enrolled townships only.</summary>
public static partial class HubSyncApi
{
    private const long MaxBatchBytes = 64 * 1024 * 1024;

    public static IEndpointRouteBuilder MapHubSyncApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sync").WithTags("Sync");
        group.MapPost("/push", (HttpContext http, HubStore store, NodeAuthenticator auth, ILoggerFactory logs) =>
            Handle(http, auth, logs, SyncJsonContext.Default.PushRequest, (node, req) =>
            {
                if (req.NodeId != node) return Results.Problem(statusCode: 400, title: "nodeId in the batch differs from the authenticated township");
                var res = store.ApplyPush(node, req);
                LogPush(logs.CreateLogger("EGovEdge.Hub.Sync"), node, req.BatchId, req.Changes.Count, res.Applied, res.Conflicts, res.Rejected.Count, res.Duplicate);
                return Results.Json(res, SyncJsonContext.Default.PushResponse);
            }))
            .AllowAnonymous() // townships authenticate with their own key, checked below
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBytes));
        group.MapPost("/pull", (HttpContext http, HubStore store, NodeAuthenticator auth, ILoggerFactory logs) =>
            Handle(http, auth, logs, SyncJsonContext.Default.PullRequest, (node, req) =>
            {
                var res = store.Pull(node, req);
                return Results.Json(res, SyncJsonContext.Default.PullResponse);
            }))
            .AllowAnonymous();
        group.MapGet("/townships", (HubStore store) => Results.Ok(store.Nodes())).RequireAuthorization(Policies.Supervise);
        return app;
    }

    private static async Task<IResult> Handle<T>(HttpContext http, NodeAuthenticator auth, ILoggerFactory logs, JsonTypeInfo<T> info, Func<string, T, IResult> action)
        where T : class
    {
        var node = auth.Authenticate(http.Request, out var reason);
        if (node is null)
        {
            LogRefused(logs.CreateLogger("EGovEdge.Hub.Sync"), http.Request.Headers[SyncProtocol.NodeHeader].ToString(), reason);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Township not authenticated", detail: reason);
        }
        var schema = http.RequestServices.GetRequiredService<EGovEdge.Sync.Schema.SyncSchema>();
        if (int.TryParse(http.Request.Headers[SyncProtocol.SchemaHeader], out var version) && version != schema.Version && version != schema.Version - 1)
        {
            return Results.Problem(statusCode: StatusCodes.Status426UpgradeRequired, title: "Incompatible schema version",
                detail: $"this hub speaks schema {schema.Version} (and {schema.Version - 1}); the township runs {version}: upgrade the township node");
        }
        T? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, info, http.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException)
        {
            return Results.Problem(statusCode: 400, title: "Malformed sync batch; nothing was applied", detail: ex.Message);
        }
        if (body is null) return Results.Problem(statusCode: 400, title: "Empty sync batch");
        EGovEdge.Sync.Diagnostics.SyncMetrics.HubRequests.Add(1, new KeyValuePair<string, object?>("township", node),
            new KeyValuePair<string, object?>("kind", typeof(T).Name));
        using (http.RequestServices.GetRequiredService<ILogger<HubSyncMarker>>().BeginScope(new Dictionary<string, object>
               {
                   ["NodeId"] = node,
                   ["SyncSessionId"] = http.Request.Headers[SyncProtocol.CorrelationHeader].ToString(),
               }))
        {
            return action(node, body);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push from {Township} batch {BatchId}: {Changes} changes, {Applied} applied, {Conflicts} conflicts, {Rejected} rejected, duplicate {Duplicate}")]
    private static partial void LogPush(ILogger logger, string township, string batchId, int changes, int applied, int conflicts, int rejected, bool duplicate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync refused for {Township}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string township, string reason);

    /// <summary>Logger category for sync requests.</summary>
    public sealed class HubSyncMarker;
}
