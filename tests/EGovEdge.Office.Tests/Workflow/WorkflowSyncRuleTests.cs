using System.Text.Json.Nodes;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Workflow;

/// <summary>The hub's write rule applied to rows really pushed by townships.</summary>
public sealed class WorkflowSyncRuleTests : IDisposable
{
    private readonly WorkflowWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void ForgedSignOffFromAnotherTownship_IsRejectedByTheHub_AndTheIssuerNeverSeesIt()
    {
        var doc = _w.Draft("guangshun");
        _w.Workflow("guangshun").Submit(doc.Id, WorkflowWorld.Clerk);
        _w.Workflow("guangshun").Approve(doc.Id, WorkflowWorld.Clerk);
        _w.Sync();

        // malu writes a 签发 step straight into its own database, bypassing the service.
        var malu = _w.Store("malu");
        var docRow = malu.Get("documents", doc.Id)!;
        malu.Transact(w => WorkflowService.AppendStep(w, docRow, StepKinds.SignOff, WorkflowWorld.Leader, null, "伪造", null, "2026-11-27T01:00:00.0000000Z"));
        _w.Sync();

        Assert.Equal(nameof(OutgoingState.AwaitingSignOff), _w.Workflow("guangshun").View(doc.Id, null)!.State);
        Assert.DoesNotContain(_w.Workflow("hub").Steps(doc.Id), s => s.Kind == StepKinds.SignOff);
        Assert.DoesNotContain(_w.Workflow("guangshun").Steps(doc.Id), s => s.Kind == StepKinds.SignOff);
    }

    [Fact]
    public void ForgedScreenStepForAnotherRecipient_IsRejectedByTheHub_AndTheSenderStillSeesThatRecipientAsDelivered()
    {
        var doc = _w.Draft("guangshun", recipients: ["malu", "hub"]);
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();

        // malu writes a 退文 in the county office's name straight into its own database, bypassing the service.
        var malu = _w.Store("malu");
        var docRow = malu.Get("documents", doc.Id)!;
        malu.Transact(w => WorkflowService.AppendStep(w, docRow, StepKinds.Screen, WorkflowWorld.Clerk, "hub", "伪造退文", "{\"agree\":false}",
            "2026-11-27T01:00:00.0000000Z"));
        // and its own, genuine 签收 in the same push.
        _w.Workflow("malu").SignFor(doc.Id, WorkflowWorld.Clerk);
        _w.Sync();

        Assert.DoesNotContain(_w.Workflow("hub").Steps(doc.Id), s => s.Kind == StepKinds.Screen);
        Assert.DoesNotContain(_w.Workflow("guangshun").Steps(doc.Id), s => s.Kind == StepKinds.Screen);
        var seen = _w.Workflow("guangshun").View(doc.Id, null)!.Recipients.ToDictionary(r => r.Code);
        Assert.Equal((nameof(IncomingState.Delivered), (string?)null), (seen["hub"].State, seen["hub"].RejectReason));
        Assert.Equal(nameof(IncomingState.SignedFor), seen["malu"].State);
        Assert.Equal(nameof(IncomingState.Delivered), _w.Workflow("hub").View(doc.Id, null)!.IncomingState);
    }

    [Fact]
    public void OrganDirectory_PublishedByTheHub_ReachesTownships_AndATownshipCannotChangeIt()
    {
        var organs = new OrganDirectory(_w.Store("malu"));
        var gs = organs.Get("guangshun")!;
        Assert.Equal(("广顺镇人民政府", "广府发", "广顺镇人民政府文件"), (gs.Name, gs.DocPrefix, gs.Banner));
        Assert.Equal(["hub"], gs.Upward);
        Assert.Equal("长顺县人民政府办公室", organs.Get("hub")!.Name);

        _w.Store("malu").Update(OrgansTable.Name, OrgansTable.IdFor("guangshun"), new JsonObject { ["doc_prefix"] = "假" });
        _w.Sync();

        Assert.Equal("广府发", new OrganDirectory(_w.Store("hub")).Get("guangshun")!.DocPrefix);
    }
}
