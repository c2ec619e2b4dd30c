using System.Text.Json.Nodes;
using EGovEdge.Office.Api;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Conflicts;

/// <summary>GET /api/sync/conflicts and POST /api/sync/conflicts/{id}/resolve {"keep":"winner|loser|merged","data":{...}}.</summary>
public static class ConflictApi
{
    public static IEndpointRouteBuilder MapConflictApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sync/conflicts").WithTags("Sync").RequireAuthorization(Policies.Supervise);
        group.MapGet("/", (ConflictService conflicts) => Results.Ok(conflicts.Open().Select(ConflictDto.From).ToList()));
        group.MapPost("/{id}/resolve", async (string id, HttpRequest request, HttpContext http, ConflictService conflicts, IStringLocalizer<Text> text) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, OfficeJsonContext.Default.ResolveRequest, text["Val_BadJson"]);
            if (error is not null) return error;
            try
            {
                var resolved = conflicts.Resolve(id, body!.Keep, body.Data, http.User.Identity?.Name ?? "unknown");
                return Results.Ok(ConflictDto.From(resolved));
            }
            catch (KeyNotFoundException)
            {
                return Results.Problem(statusCode: 404, title: text["Conflict_NotFound"]);
            }
            catch (OfficeValidationException ex)
            {
                return Results.ValidationProblem(ex.Errors);
            }
            catch (OfficeForbiddenException ex)
            {
                return Results.Problem(statusCode: 403, title: ex.Message);
            }
        });
        return app;
    }
}

public sealed class ResolveRequest
{
    public string? Keep { get; set; }
    public JsonObject? Data { get; set; }
}

public sealed class ConflictDto
{
    public required string Id { get; init; }
    public required string Table { get; init; }
    public required string RowId { get; init; }
    public required string Title { get; init; }
    public required string WinnerVersion { get; init; }
    public required string LoserVersion { get; init; }
    public required string WinnerBy { get; init; }
    public required string LoserBy { get; init; }
    public bool WinnerDeleted { get; init; }
    public bool LoserDeleted { get; init; }
    public required JsonObject WinnerData { get; init; }
    public required JsonObject LoserData { get; init; }
    public required IReadOnlyList<string> Differences { get; init; }
    public required IReadOnlyList<string> DetectedBy { get; init; }
    public DateTimeOffset DetectedUtc { get; init; }
    public bool CanResolveHere { get; init; }

    public static ConflictDto From(ConflictView c) => new()
    {
        Id = c.PairId, Table = c.Table, RowId = c.RowId, Title = c.Title, WinnerVersion = c.Winner.Hlc, LoserVersion = c.Loser.Hlc,
        WinnerBy = c.WinnerBy, LoserBy = c.LoserBy, WinnerDeleted = c.Winner.Deleted, LoserDeleted = c.Loser.Deleted,
        WinnerData = c.Winner.Data, LoserData = c.Loser.Data, Differences = c.Fields.Where(f => f.Differs).Select(f => f.Field).ToList(),
        DetectedBy = c.DetectedBy, DetectedUtc = c.DetectedUtc, CanResolveHere = c.CanResolve,
    };
}
