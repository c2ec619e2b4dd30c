using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Transport;

namespace EGovEdge.Sync.Verify;

/// <summary>How an edge asks the hub a verify question.</summary>
public interface IVerifyTransport
{
    Task<TransportResult<VerifyResponse>> VerifyAsync(VerifyRequest request, string correlationId, CancellationToken ct);
}

/// <summary>
/// POST /api/sync/verify with the township's key, like push and pull: gzip body, br/gzip answer, bytes counted as they
/// cross the wire. Refusals (401/403/400/426) become <see cref="SyncRefusedException"/>; other failures
/// <see cref="HttpRequestException"/>.
/// </summary>
public sealed class HttpVerifyTransport(HttpClient http, Func<SyncCredentials> credentials) : IVerifyTransport
{
    public const string Path = "/api/sync/verify";

    public async Task<TransportResult<VerifyResponse>> VerifyAsync(VerifyRequest request, string correlationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var creds = credentials();
        byte[] payload;
        using (var ms = new MemoryStream())
        {
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            {
                JsonSerializer.Serialize(gz, request, VerifyJsonContext.Default.VerifyRequest);
            }
            payload = ms.ToArray();
        }
        using var message = new HttpRequestMessage(HttpMethod.Post, Path);
        message.Content = new ByteArrayContent(payload);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Content.Headers.ContentEncoding.Add("gzip");
        message.Headers.Authorization = string.IsNullOrEmpty(creds.Key) ? null : new AuthenticationHeaderValue("Bearer", creds.Key);
        message.Headers.Add(SyncProtocol.NodeHeader, creds.NodeId);
        message.Headers.Add(SyncProtocol.SchemaHeader, request.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add(SyncProtocol.CorrelationHeader, correlationId);
        message.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        message.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var wire = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
        using var raw = new MemoryStream(wire);
        using Stream content = encoding switch
        {
            "br" => new BrotliStream(raw, CompressionMode.Decompress),
            "gzip" => new GZipStream(raw, CompressionMode.Decompress),
            "deflate" => new DeflateStream(raw, CompressionMode.Decompress),
            _ => raw,
        };
        if (!response.IsSuccessStatusCode)
        {
            using var reader = new StreamReader(content);
            var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code == 404) throw new SyncRefusedException(code, "the hub does not offer verify (404): upgrade the hub");
            if (code is 401 or 403 or 400 or 409 or 413 or 426) throw new SyncRefusedException(code, $"hub refused the request ({code}): {Detail(text)}");
            throw new HttpRequestException($"hub answered {code}: {Detail(text)}", null, response.StatusCode);
        }
        var value = await JsonSerializer.DeserializeAsync(content, VerifyJsonContext.Default.VerifyResponse, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException("The hub sent an empty verify answer.");
        return new TransportResult<VerifyResponse>(value, payload.Length, wire.Length);
    }

    private static string Detail(string problemJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(problemJson);
            if (doc.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) return d.GetString()!;
            if (doc.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String) return t.GetString()!;
        }
        catch (JsonException)
        {
        }
        return problemJson.Length > 200 ? problemJson[..200] : problemJson;
    }
}
