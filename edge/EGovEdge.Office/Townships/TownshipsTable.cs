using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Townships;

/// <summary>The county's directory of townships, published by the hub to every node.</summary>
public static class TownshipsTable
{
    public const string Name = "townships";

    public static readonly SyncTable Definition = new(
        Name,
        [new SyncColumn("code", Required: true), new SyncColumn("name", Required: true)],
        _ => Scopes.Everyone,
        ["ix_townships_code(code)"]);

    /// <summary>A stable row id per township code, so every hub restart updates the same row.</summary>
    public static string IdFor(string code)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("township:" + code));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
