namespace EGovEdge.Office.Seals;

/// <summary>
/// Seeding for the demo and tests, where a unit's node and the hub run in one process: the real flow (request at the
/// unit, sync, issue at the hub, sync back) in one call. The signing key is made and stays at the unit's node.
/// </summary>
public static class SealSetup
{
    /// <param name="unit">The registry of the unit's node (the hub's own registry for the hub's unit).</param>
    /// <param name="hub">The hub's registry.</param>
    /// <param name="sync">Syncs the unit's node with the hub both ways (not called when the unit is the hub).</param>
    public static SealDto IssueForUnit(SealRegistry unit, SealRegistry hub, Action sync, SealRequest request, string actor)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(request);
        if (ReferenceEquals(unit, hub) || unit.IsHub)
        {
            request.Issue = true;
            return unit.Request(request, actor);
        }
        request.Issue = false;
        var requested = unit.Request(request, actor);
        hub.PublishMakerKey();
        sync();
        hub.Issue(requested.Id, actor);
        sync();
        return unit.Get(requested.Id) ?? throw new InvalidOperationException("The issued seal did not reach the unit's node.");
    }

    /// <inheritdoc cref="IssueForUnit"/>
    public static async Task<SealDto> IssueForUnitAsync(SealRegistry unit, SealRegistry hub, Func<Task> sync, SealRequest request, string actor)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(request);
        if (ReferenceEquals(unit, hub) || unit.IsHub) return IssueForUnit(unit, hub, () => { }, request, actor);
        request.Issue = false;
        var requested = unit.Request(request, actor);
        hub.PublishMakerKey();
        await sync().ConfigureAwait(false);
        hub.Issue(requested.Id, actor);
        await sync().ConfigureAwait(false);
        return unit.Get(requested.Id) ?? throw new InvalidOperationException("The issued seal did not reach the unit's node.");
    }
}
