using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EGovEdge.Sync.Protocol;

namespace EGovEdge.Sync.Transport;

/// <summary>
/// One request of the sync protocol: gzip JSON body, the township's key and headers, br/gzip answer decompressed here so
/// the bytes counted are the bytes on the wire. Refusals (400/401/403/409/413/426) become
/// <see cref="SyncRefusedException"/> with the hub's reason; other failures <see cref="HttpRequestException"/>.
/// </summary>
public static class SyncHttp
{
    public static async Task<TransportResult<TRes>> SendAsync<TReq, TRes>(
        HttpClient http, SyncCredentials creds, string path, TReq body, JsonTypeInfo<TReq> reqInfo, JsonTypeInfo<TRes> resInfo,
        int schemaVersion, string correlationId, CancellationToken ct, Func<int, string?>? refusalFor = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(creds);
        var payload = Compress(JsonSerializer.SerializeToUtf8Bytes(body, reqInfo));
        using var message = new HttpRequestMessage(HttpMethod.Post, path);
        message.Content = new ByteArrayContent(payload);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Content.Headers.ContentEncoding.Add("gzip");
        message.Headers.Authorization = string.IsNullOrEmpty(creds.Key) ? null : new AuthenticationHeaderValue("Bearer", creds.Key);
        message.Headers.Add(SyncProtocol.NodeHeader, creds.NodeId);
        message.Headers.Add(SyncProtocol.SchemaHeader, schemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
            if (refusalFor?.Invoke(code) is { } special) throw new SyncRefusedException(code, special);
            if (code is 401 or 403 or 400 or 409 or 413 or 426)
            {
                throw new SyncRefusedException(code, $"hub refused the request ({code}): {Detail(text)}");
            }
            throw new HttpRequestException($"hub answered {code}: {Detail(text)}", null, response.StatusCode);
        }
        var value = await JsonSerializer.DeserializeAsync(content, resInfo, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException("The hub sent an empty response.");
        return new TransportResult<TRes>(value, payload.Length, wire.Length);
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

    private static byte[] Compress(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }
}
