using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using EGovEdge.Edge.Configuration;
using EGovEdge.Sync.Transport;
using Microsoft.Extensions.Options;

namespace EGovEdge.Edge.Sync;

/// <summary>
/// This township's credential towards the hub: the key obtained by enrollment (kept in DataDir/hub-credential,
/// readable by the service account only) or else the configured EGov:HubKey.
/// </summary>
public sealed partial class EdgeCredentials(IOptions<EdgeOptions> options, IHttpClientFactory http, ILogger<EdgeCredentials> logger)
{
    private readonly Lock _gate = new();
    private string? _key;
    private string? _enrolledCode;
    private bool _loaded;

    private string FilePath => Path.Combine(options.Value.DataDir, "hub-credential");

    /// <summary>Why the last enrollment failed, if it did.</summary>
    public string? EnrollmentError { get; private set; }

    public SyncCredentials Current()
    {
        Load();
        return new SyncCredentials(options.Value.NodeId, _key ?? options.Value.HubKey);
    }

    /// <summary>Exchanges EGov:EnrollmentCode for a key when that code has not been used here yet. Network errors are left for the next cycle.</summary>
    public async Task EnsureEnrolledAsync(CancellationToken ct)
    {
        Load();
        var code = options.Value.EnrollmentCode;
        if (string.IsNullOrWhiteSpace(code) || Hash(code) == _enrolledCode) return;
        try
        {
            using var response = await http.CreateClient("hub-enroll").PostAsJsonAsync("api/sync/enroll",
                new EnrollBody(options.Value.NodeId, code.Trim()), EdgeJsonContext.Default.EnrollBody, ct);
            if (!response.IsSuccessStatusCode)
            {
                EnrollmentError = $"enrollment refused by the hub ({(int)response.StatusCode}): the code is unknown, expired, already used or for another township";
                LogEnrollFailed(EnrollmentError);
                return;
            }
            var body = await response.Content.ReadFromJsonAsync(EdgeJsonContext.Default.EnrollAnswer, ct);
            if (body?.Key is not { Length: > 0 } key) return;
            Save(key, Hash(code));
            EnrollmentError = null;
            LogEnrolled(options.Value.NodeId);
        }
        catch (HttpRequestException ex)
        {
            LogEnrollFailed("hub unreachable: " + ex.Message);
        }
    }

    private void Load()
    {
        lock (_gate)
        {
            if (_loaded) return;
            _loaded = true;
            if (!File.Exists(FilePath)) return;
            var lines = File.ReadAllLines(FilePath);
            _key = lines.ElementAtOrDefault(0);
            _enrolledCode = lines.ElementAtOrDefault(1);
        }
    }

    private void Save(string key, string codeHash)
    {
        lock (_gate)
        {
            var tmp = FilePath + ".tmp";
            File.WriteAllLines(tmp, [key, codeHash]);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(tmp, FilePath, overwrite: true);
            _key = key;
            _enrolledCode = codeHash;
        }
    }

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s.Trim())));

    [LoggerMessage(Level = LogLevel.Information, Message = "Township {NodeId} enrolled at the hub; credential stored")]
    private partial void LogEnrolled(string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enrollment failed: {Reason}")]
    private partial void LogEnrollFailed(string reason);
}

public sealed record EnrollBody(string NodeId, string EnrollmentCode);

public sealed record EnrollAnswer(string Key);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EnrollBody))]
[JsonSerializable(typeof(EnrollAnswer))]
[JsonSerializable(typeof(SyncStatusDto))]
[JsonSerializable(typeof(SyncRunDto))]
public sealed partial class EdgeJsonContext : JsonSerializerContext;
