using EGovEdge.Sync;
using EGovEdge.Sync.Protocol;

namespace EGovEdge.Hub.Sync;

/// <summary>Checks that a sync request comes from a known township presenting a valid key.</summary>
public sealed class NodeAuthenticator(EnrollmentService enrollment)
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
        var problem = enrollment.Check(node, auth[7..].Trim());
        reason = problem ?? "";
        return problem is null ? node : null;
    }
}
