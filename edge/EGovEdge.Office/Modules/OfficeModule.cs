using System.Security.Claims;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Modules;

/// <summary>
/// One office module (document workflow, seals, meetings, vehicles, notices): its replicated tables, the hub's write
/// rule for them, its services, its HTTP endpoints and its entries in the navigation drawer.
/// </summary>
public abstract class OfficeModule
{
    private static readonly OwnRowsOnlyRules OwnRows = new();

    /// <summary>The module's replicated tables (part of <see cref="OfficeSchema"/>).</summary>
    public abstract IReadOnlyList<SyncTable> Tables { get; }

    /// <summary>
    /// Checked by the hub for every row a township pushes into one of <see cref="Tables"/>: null allows it, else the
    /// reason it is refused. The default lets a township write only rows it created.
    /// </summary>
    public virtual string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming) =>
        OwnRows.Check(node, table, existing, incoming);

    public virtual void AddServices(IServiceCollection services)
    {
    }

    public virtual void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }

    /// <summary>Drawer entries, in order.</summary>
    public virtual IReadOnlyList<NavEntry> Nav => [];
}

/// <summary>
/// A drawer entry: the label is <paramref name="TextKey"/> in the resources of <paramref name="Resource"/> (a marker
/// class such as <c>Text</c>); shown only to users who satisfy <paramref name="Policy"/> when one is given.
/// </summary>
public sealed record NavEntry(string Href, Type Resource, string TextKey, string Icon, string? Policy = null, bool MatchAll = false);

/// <summary>One line of "what waits for me" on the home page.</summary>
/// <param name="Key">Stable id (for tests and anchors), e.g. "workflow.signoff".</param>
/// <param name="Label">Already localised for the current UI culture.</param>
public sealed record WorkItemCount(string Key, string Label, int Count, string Href, string Icon);

/// <summary>A module's contribution to the home page: counts of what waits for this user at this node.</summary>
public interface IWorkSource
{
    IEnumerable<WorkItemCount> For(ClaimsPrincipal user);
}
