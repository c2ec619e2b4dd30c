using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Sync.Tests.TestSupport;

/// <summary>
/// A more permissive rule set than <see cref="OwnRowsOnlyRules"/>: townships still create rows only as themselves,
/// but any township a row is addressed to may also edit it (so two townships can really edit the same row).
/// </summary>
internal sealed class AddressedMayEditRules : IHubWriteRules
{
    public string? Check(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        if (existing is null)
        {
            return incoming.Origin == node ? null : $"node '{node}' may not create a row on behalf of '{incoming.Origin}'";
        }
        if (existing.Origin != incoming.Origin) return "the origin of a row cannot change";
        return Scopes.Includes(table.Scope(existing), node) ? null : $"node '{node}' is not addressed by this row";
    }
}
