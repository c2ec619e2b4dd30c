using System.Security.Cryptography;
using System.Text;
using EGovEdge.Hub.Configuration;
using EGovEdge.Sync;
using EGovEdge.Sync.Protocol;
using Microsoft.Extensions.Options;

namespace EGovEdge.Hub.Sync;

/// <summary>Checks that a sync request comes from a known township presenting its key.</summary>
public sealed class NodeAuthenticator(IOptions<HubOptions> options)
{
    /// <summary>The township code, or null with the reason.</summary>
    public string? Authenticate(HttpRequest request, out string reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        var node = request.Headers[SyncProtocol.NodeHeader].ToString();
        var auth = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(node) || !NodeIds.IsValid(node))
        {
            reason = $"missing or malformed {SyncProtocol.NodeHeader} header";
            return null;
        }
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || auth.Length <= 7)
        {
            reason = "missing township key (Authorization: Bearer <key>)";
            return null;
        }
        var presented = auth[7..].Trim();
        if (!options.Value.Townships.TryGetValue(node, out var township) || string.IsNullOrEmpty(township.Key)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(township.Key)))
        {
            reason = $"unknown township '{node}' or wrong key";
            return null;
        }
        reason = "";
        return node;
    }
}
