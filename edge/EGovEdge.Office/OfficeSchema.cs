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
    /// <summary>Bump once per release that changes a replicated table (additive changes only): the hub serves N and N-1.</summary>
    public const int Version = 4;

    public static SyncSchema Create() => new(Version,
    [
        DocumentsTable.Definition, TownshipsTable.Definition, UsersTable.Definition, AuditTable.Definition,
        ConflictTables.ConflictsDefinition, ConflictTables.ResolutionsDefinition,
        .. OfficeModules.All.SelectMany(m => m.Tables),
    ]);
}
