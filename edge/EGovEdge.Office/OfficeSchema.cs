using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Modules;
using EGovEdge.Office.Townships;
using EGovEdge.Sync.Audit;
using EGovEdge.Sync.Conflicts;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office;

/// <summary>The replicated tables of the office modules and their schema version.</summary>
public static class OfficeSchema
{
    /// <summary>Bump on every change of a replicated table; additive changes keep N-1 edges syncing.</summary>
    public const int Version = 5;

    public static SyncSchema Create() => new(Version,
    [
        DocumentsTable.Definition, TownshipsTable.Definition, UsersTable.Definition, AuditTable.Definition,
        ConflictTables.ConflictsDefinition, ConflictTables.ResolutionsDefinition,
        .. OfficeModules.All.SelectMany(m => m.Tables),
    ]);
}
