using EGovEdge.Office.Identity;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office;

/// <summary>What a township may write, table by table; checked by the hub on every pushed row.</summary>
public sealed class OfficeWriteRules : IHubWriteRules
{
    private static readonly string[] PasswordColumns = ["password_hash", "security_stamp", "password_changed_utc"];
    private readonly OwnRowsOnlyRules _own = new();

    public string? Check(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        return table.Name switch
        {
            TownshipsTable.Name => "only the county hub publishes the township directory",
            UsersTable.Name => CheckUser(node, existing, incoming),
            AuditTable.Name => existing is not null ? "audit entries are append-only"
                : incoming.Origin != node || incoming.Text("node") != node ? "a township appends only to its own audit chain"
                : null,
            _ => OfficeModules.Owning(table.Name) is { } module
                ? module.CheckWrite(node, table, existing, incoming)
                : _own.Check(node, table, existing, incoming),
        };
    }

    /// <summary>A township may change only the password of its own (non county-wide) staff, offline included.</summary>
    private static string? CheckUser(string node, SyncRow? existing, SyncRow incoming)
    {
        const string reason = "accounts are managed at the county hub; a township may only change its own staff's passwords";
        if (existing is null || existing.Deleted || incoming.Deleted) return reason;
        if (existing.Text("unit") != node || UsersTable.DecodeRoles(existing.Text("roles")).Any(r => Roles.CountyWide.Contains(r))) return reason;
        foreach (var (key, value) in existing.Data)
        {
            if (PasswordColumns.Contains(key)) continue;
            incoming.Data.TryGetPropertyValue(key, out var other);
            if (!System.Text.Json.Nodes.JsonNode.DeepEquals(value, other)) return reason;
        }
        return null;
    }
}
