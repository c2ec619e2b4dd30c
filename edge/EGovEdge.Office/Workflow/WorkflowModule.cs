using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Modules;
using EGovEdge.Sync;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Schema;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EGovEdge.Office.Workflow;

/// <summary>
/// The Workflow module (公文流转): 发文 and 收文 on top of the <c>documents</c> table, with the organ directory, the
/// append-only step rows and the document files (PDF and attachments).
/// </summary>
public sealed class WorkflowModule : OfficeModule
{
    private static readonly OwnRowsOnlyRules OwnRows = new();

    public override IReadOnlyList<SyncTable> Tables => [OrgansTable.Definition, StepsTable.Definition, FilesTable.Definition];

    /// <summary>
    /// The hub's rule for rows a township pushes. The organ directory is the hub's. Steps are append-only and written
    /// only as the pushing node: the issuing node records its document's 发文 steps; a co-issuing organ appends its own
    /// 会签; an addressee appends its own 收文 steps (签收, 登记, 初审/退文, 拟办, 批办, 承办, 传阅, 阅毕, 催办, 答复; the
    /// automatic 催办 by "system" included), never another addressee's; the sender may also 催办 an addressee. The hub sees only the row here, so every node also re-checks each step against the document when it
    /// derives the state (a step from a node that is not a co-issuer or addressee of the document is ignored).
    /// Files are written only by the document's issuing node.
    /// </summary>
    public override string? CheckWrite(string node, SyncTable table, SyncRow? existing, SyncRow incoming)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(incoming);
        return table.Name switch
        {
            OrgansTable.Name => "only the county hub publishes the organ directory",
            StepsTable.Name => CheckStep(node, existing, incoming),
            FilesTable.Name => OwnRows.Check(node, table, existing, incoming),
            _ => OwnRows.Check(node, table, existing, incoming),
        };
    }

    internal static string? CheckStep(string node, SyncRow? existing, SyncRow incoming)
    {
        if (existing is not null) return "workflow steps are append-only";
        if (incoming.Deleted) return "workflow steps are never deleted";
        if (incoming.Origin != node || incoming.Text("node") != node) return $"node '{node}' records workflow steps only as itself";
        var kind = incoming.Text("kind") ?? "";
        var docOrigin = incoming.Text("doc_origin") ?? "";
        var recipient = incoming.Text("recipient");
        var audience = incoming.Text("audience") ?? "";
        var inAudience = Scopes.Includes(audience, node);
        if (StepKinds.IssuerOnly.Contains(kind))
        {
            return docOrigin == node && recipient is null ? null : $"only the issuing node records the '{kind}' step of its document";
        }
        if (kind == StepKinds.CounterSign)
        {
            return docOrigin != node && recipient == node && inAudience ? null : "a co-issuing organ countersigns only as itself, documents it co-issues";
        }
        if (kind == StepKinds.Remind && docOrigin == node)
        {
            return recipient is not null && NodeIds.IsValid(recipient) && recipient != node ? null : "a reminder from the sender names the addressee";
        }
        if (StepKinds.Incoming.Contains(kind))
        {
            return docOrigin != node && recipient == node && inAudience ? null : $"an addressee records '{kind}' only for itself, on documents addressed to it";
        }
        return $"unknown workflow step '{kind}'";
    }

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<OrganDirectory>();
        services.AddSingleton<WorkflowService>();
        services.AddSingleton<IWorkSource, WorkflowWorkSource>();
        services.AddOptions<DocumentReminderOptions>().BindConfiguration("EGov:Documents");
        services.AddHostedService<DocumentReminderService>();
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(WorkflowJsonContext.Default));
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapWorkflowApi();

    public override IReadOnlyList<NavEntry> Nav =>
    [
        new("/inbox", typeof(WorkflowText), "Wf_Nav_Inbox", MudBlazor.Icons.Material.Filled.MoveToInbox),
    ];
}
