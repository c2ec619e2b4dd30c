using System.Security.Cryptography;
using System.Text;

namespace EGovEdge.Office.Booking;

/// <summary>
/// Ids of bookable resources (rooms, vehicles) are bound to their owner node: a UUIDv7 whose last 64 bits are a hash
/// of the owner's code. The hub's write rule needs no lookup to see that a decision names a resource of the node
/// writing it, and that a resource row was created by the node its id names.
/// </summary>
public static class ResourceIds
{
    public static string New(string ownerNode, DateTimeOffset now) => Guid.CreateVersion7(now).ToString()[..19] + Suffix(ownerNode);

    public static bool IsOwnedBy(string? id, string node) =>
        id is { Length: 36 } && id.EndsWith(Suffix(node), StringComparison.Ordinal) && Guid.TryParse(id, out _);

    private static string Suffix(string node)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes("egov-resource|" + node));
        h[0] = (byte)(0x80 | (h[0] & 0x3F)); // RFC 9562 variant bits
        var hex = Convert.ToHexStringLower(h.AsSpan(0, 8));
        return hex[..4] + "-" + hex[4..];
    }
}
