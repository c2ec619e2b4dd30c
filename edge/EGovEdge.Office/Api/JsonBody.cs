using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace EGovEdge.Office.Api;

/// <summary>Reads a JSON request body and turns malformed input into a 400 problem instead of an exception.</summary>
public static class JsonBody
{
    /// <summary>Largest accepted JSON body: a 1 MB document body can take up to ~6 MB once escaped.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> info, string badJsonMessage)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large"));
        }
        if (request.ContentType is { } ct && !ct.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send application/json"));
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, info, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null
                ? (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: badJsonMessage))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: badJsonMessage, detail: ex.Message));
        }
    }
}
