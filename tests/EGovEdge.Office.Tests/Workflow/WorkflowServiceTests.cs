using System.Text.Json.Nodes;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Workflow;

/// <summary>The 发文 and 收文 workflow on real SQLite stores: order of steps, roles, numbering, sealing and sync.</summary>
public sealed class WorkflowServiceTests : IDisposable
{
    private readonly WorkflowWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void FullOutgoingFlow_NumbersPrintsSealsDispatches_AndTheCountySeesItSealedAndVerified()
    {
        var doc = _w.Draft("guangshun");
        var wf = _w.Workflow("guangshun");

        _w.ToDispatched("guangshun", doc.Id);

        var view = wf.View(doc.Id, WorkflowWorld.Clerk)!;
        Assert.Equal(nameof(OutgoingState.Dispatched), view.State);
        Assert.Equal("广府发〔2026〕1号", view.Document.DocNumber);
        Assert.Equal(("广府发", 2026L, 1L), (view.Document.DocPrefix, view.Document.DocYear!.Value, view.Document.DocSeq!.Value));
        Assert.Equal("2026-11-27", view.Document.DateWritten);
        Assert.Equal("陈刚", view.Document.Signers);
        Assert.Equal(["submit", "approve", "signoff", "recheck", "register", "print", "seal", "dispatch"], view.Steps.Select(s => s.Kind));
        Assert.All(view.Steps, s => Assert.Equal("guangshun", s.Node));
        Assert.Equal("同意印发", view.Steps.Single(s => s.Kind == "signoff").Opinion);
        Assert.Equal("广顺镇人民政府文件", _w.Renderer.Last!.OrganBanner);
        Assert.Equal(new DateOnly(2026, 11, 27), _w.Renderer.Last.DateWritten);
        Assert.True(view.Seal.Valid);

        _w.Sync();

        var atHub = _w.Workflow("hub").View(doc.Id, null)!;
        Assert.Equal(nameof(OutgoingState.Dispatched), atHub.State);
        Assert.True(atHub.Seal.Sealed);
        Assert.True(atHub.Seal.Valid, atHub.Seal.Reason);
        Assert.NotNull(_w.Workflow("hub").Pdf(doc.Id));
        var inbox = _w.Workflow("malu").Inbox();
        var item = Assert.Single(inbox);
        Assert.Equal(("广府发〔2026〕1号", nameof(IncomingState.Delivered)), (item.DocNumber, item.State));
    }

    [Fact]
    public void Steps_CannotBeSkipped_AndRolesAreChecked()
    {
        var doc = _w.Draft("guangshun");
        var wf = _w.Workflow("guangshun");

        var skip = Assert.Throws<OfficeForbiddenException>(() => wf.Register(doc.Id, WorkflowWorld.Clerk));
        Assert.Contains("不能跳过", skip.Message, StringComparison.Ordinal);
        Assert.Throws<OfficeForbiddenException>(() => wf.SignOff(doc.Id, WorkflowWorld.Leader));
        wf.Submit(doc.Id, WorkflowWorld.Clerk);
        wf.Approve(doc.Id, WorkflowWorld.Clerk);
        Assert.Throws<OfficeForbiddenException>(() => wf.SignOff(doc.Id, WorkflowWorld.Clerk)); // a clerk cannot sign off
        Assert.Throws<OfficeForbiddenException>(() => wf.Dispatch(doc.Id, WorkflowWorld.Clerk));
        Assert.Throws<OfficeForbiddenException>(() => _w.Workflow("guangshun").SignFor(doc.Id, WorkflowWorld.Clerk));

        Assert.Equal(nameof(OutgoingState.AwaitingSignOff), wf.View(doc.Id, null)!.State);
        Assert.Null(_w.Documents("guangshun").Get(doc.Id)!.DocNumber);
    }

    [Fact]
    public void ReturnForRevision_KeepsHistory_AndEditAfterSignOffGoesBackToTheSigner()
    {
        var doc = _w.Draft("guangshun");
        var wf = _w.Workflow("guangshun");
        wf.Submit(doc.Id, WorkflowWorld.Clerk);
        Assert.Throws<OfficeValidationException>(() => wf.Return(doc.Id, WorkflowWorld.Clerk, ""));
        wf.Return(doc.Id, WorkflowWorld.Clerk, "请补充工作要求");
        Assert.Equal(nameof(OutgoingState.Draft), wf.View(doc.Id, null)!.State);
        wf.Submit(doc.Id, WorkflowWorld.Clerk);
        wf.Approve(doc.Id, WorkflowWorld.Clerk);
        Assert.Throws<OfficeForbiddenException>(() => _w.Documents("guangshun").Update(doc.Id, new DocumentUpdate { Body = "改" }));
        wf.SignOff(doc.Id, WorkflowWorld.Leader);

        _w.Documents("guangshun").Update(doc.Id, new DocumentUpdate { Body = "各村（社区）：\n一、压实责任。" }, WorkflowWorld.Clerk);

        var view = wf.View(doc.Id, WorkflowWorld.Leader)!;
        Assert.Equal(nameof(OutgoingState.AwaitingSignOff), view.State);
        Assert.Equal(["submit", "return", "submit", "approve", "signoff", "resign"], view.Steps.Select(s => s.Kind));
        Assert.Contains(StepKinds.SignOff, view.Actions);
        Assert.Throws<OfficeForbiddenException>(() => wf.ReCheck(doc.Id, WorkflowWorld.Clerk));
    }

    [Fact]
    public void Numbering_TwoOfflineTownshipsAndTheHub_EachGapFreeAndNoDuplicatesAfterSync()
    {
        var ids = new List<(string Node, string Id)>();
        foreach (var node in new[] { "guangshun", "malu", "hub" })
        {
            for (var i = 0; i < 3; i++)
            {
                var doc = _w.Draft(node, $"{node} 第{i}件", recipients: node == "hub" ? ["guangshun"] : ["hub"]);
                _w.ToReChecked(node, doc.Id);
                _w.Workflow(node).Register(doc.Id, WorkflowWorld.Clerk);
                ids.Add((node, doc.Id));
            }
        }

        _w.Sync();

        var docs = _w.Workflow("hub");
        var numbers = ids.Select(x => _w.Documents("hub").Get(x.Id)!).ToList();
        Assert.Equal(9, numbers.Select(d => d.DocNumber).Distinct().Count());
        Assert.Equal(["广府发〔2026〕1号", "广府发〔2026〕2号", "广府发〔2026〕3号"], numbers.Where(d => d.OriginNode == "guangshun").Select(d => d.DocNumber));
        Assert.Equal(["马府发〔2026〕1号", "马府发〔2026〕2号", "马府发〔2026〕3号"], numbers.Where(d => d.OriginNode == "malu").Select(d => d.DocNumber));
        Assert.Equal(["长府办发〔2026〕1号", "长府办发〔2026〕2号", "长府办发〔2026〕3号"], numbers.Where(d => d.OriginNode == "hub").Select(d => d.DocNumber));
        Assert.NotNull(docs);

        // Sorted as numbers, not text: the 10th comes after the 9th.
        for (var i = 0; i < 7; i++)
        {
            var doc = _w.Draft("guangshun", $"补充 {i}", recipients: ["hub"]);
            _w.ToReChecked("guangshun", doc.Id);
            _w.Workflow("guangshun").Register(doc.Id, WorkflowWorld.Clerk);
        }
        using var conn = _w.Store("guangshun").OpenConnection();
        var last = conn.ScalarString("SELECT doc_number FROM documents WHERE origin = 'guangshun' ORDER BY doc_seq DESC LIMIT 1");
        Assert.Equal("广府发〔2026〕10号", last);
    }

    [Fact]
    public void Register_AnotherOrgansDocument_IsRefused()
    {
        var doc = _w.Draft("guangshun");
        _w.ToReChecked("guangshun", doc.Id);
        _w.Sync();

        var ex = Assert.Throws<OfficeForbiddenException>(() => _w.Workflow("malu").Register(doc.Id, WorkflowWorld.Clerk));
        Assert.Contains("发文机关", ex.Message, StringComparison.Ordinal);
        Assert.Throws<OfficeForbiddenException>(() => _w.Workflow("hub").Register(doc.Id, WorkflowWorld.Clerk));
        Assert.Null(_w.Documents("guangshun").Get(doc.Id)!.DocNumber);
    }

    [Fact]
    public void ClassifiedDocument_IsRefusedWithAClearMessage()
    {
        var ex = Assert.Throws<OfficeValidationException>(() => _w.Documents("guangshun").Create(new DocumentInput
        {
            Title = "关于某事项的通知", DocType = "通知", Secrecy = "秘密★1年",
        }));

        Assert.Contains("不是涉密网络", ex.Errors["secrecy"][0], StringComparison.Ordinal);
        Assert.Equal(0, _w.Documents("guangshun").List(new DocumentQuery()).Total);
    }

    [Fact]
    public void Attachments_SyncAndAreSealed_TamperingAfterSealingFailsVerification()
    {
        var doc = _w.Draft("guangshun");
        var wf = _w.Workflow("guangshun");
        wf.AddAttachment(doc.Id, WorkflowWorld.Clerk, "附件1.xlsx", "application/vnd.ms-excel", [1, 2, 3]);
        var big = new byte[WorkflowService.MaxAttachmentBytes + 1];
        var tooBig = Assert.Throws<OfficeValidationException>(() => wf.AddAttachment(doc.Id, WorkflowWorld.Clerk, "大文件.zip", null, big));
        Assert.Contains("超过10MB", tooBig.Errors["file"][0], StringComparison.Ordinal);

        _w.ToDispatched("guangshun", doc.Id);
        Assert.Throws<OfficeForbiddenException>(() => wf.AddAttachment(doc.Id, WorkflowWorld.Clerk, "补充.txt", null, [9]));
        Assert.Equal(["附件1.xlsx"], _w.Renderer.Last!.AttachmentTitles);
        _w.Sync();
        Assert.True(_w.Workflow("malu").View(doc.Id, null)!.Seal.Valid);
        Assert.Equal(2, _w.Workflow("malu").Files(doc.Id).Count);

        // Someone changes the body behind the workflow's back: the seal no longer verifies, anywhere.
        _w.Store("guangshun").Update(DocumentsTable.Name, doc.Id, new JsonObject { ["body"] = "篡改后的正文" });
        _w.Sync();

        var atHub = _w.Workflow("hub").View(doc.Id, null)!.Seal;
        Assert.True(atHub.Sealed);
        Assert.False(atHub.Valid);
        Assert.Equal("内容已被篡改", atHub.Reason);
    }

    [Fact]
    public void Incoming_SignForRegisterScreenAssignCirculateReply_SenderSeesEachRecipient()
    {
        var doc = _w.Draft("guangshun", recipients: ["malu", "hub"]);
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();
        var malu = _w.Workflow("malu");

        Assert.Throws<OfficeForbiddenException>(() => malu.Assign(doc.Id, WorkflowWorld.Clerk, "wang", null)); // sign for first
        malu.SignFor(doc.Id, WorkflowWorld.Clerk);
        malu.RegisterIncoming(doc.Id, WorkflowWorld.Clerk);
        var early = Assert.Throws<OfficeForbiddenException>(() => malu.Assign(doc.Id, WorkflowWorld.Clerk, "wang", null)); // 初审 first
        Assert.Equal("请先完成初审，再交办承办", early.Message);
        malu.Screen(doc.Id, WorkflowWorld.Clerk, true, null);
        Assert.Throws<OfficeValidationException>(() => malu.Assign(doc.Id, WorkflowWorld.Clerk, "nobody", null));
        malu.Assign(doc.Id, WorkflowWorld.Clerk, "wang", "2026-11-28");
        malu.Circulate(doc.Id, WorkflowWorld.Clerk, ["li"]);
        var li = new WorkflowActor("li", "李华", ["reporter"]);
        Assert.True(Assert.Single(malu.Inbox(li)).ToReadByMe);
        malu.MarkRead(doc.Id, li);
        Assert.Throws<OfficeForbiddenException>(() => malu.MarkRead(doc.Id, li));
        Assert.True(Assert.Single(malu.Inbox()).DeadlineNear);
        var wang = new WorkflowActor("wang", "王明", ["clerk"]);
        Assert.Equal(1, malu.Counts(wang).ToHandle);
        malu.Reply(doc.Id, wang, "已按要求落实");
        _w.Sync();

        var sender = _w.Workflow("guangshun").View(doc.Id, WorkflowWorld.Clerk)!;
        var byCode = sender.Recipients.ToDictionary(r => r.Code);
        Assert.Equal(nameof(IncomingState.Replied), byCode["malu"].State);
        Assert.Equal("已按要求落实", byCode["malu"].Reply);
        Assert.NotNull(byCode["malu"].SignedForUtc);
        Assert.Equal(nameof(IncomingState.Delivered), byCode["hub"].State);
    }

    [Fact]
    public void OfflineBothSides_SignForAndRemind_NeitherStepIsLost()
    {
        var doc = _w.Draft("guangshun", recipients: ["malu"]);
        _w.ToDispatched("guangshun", doc.Id);
        _w.Sync();

        // Both offline: malu signs for, guangshun chases malu at the same time.
        _w.Workflow("malu").SignFor(doc.Id, WorkflowWorld.Clerk);
        _w.Workflow("guangshun").Remind(doc.Id, WorkflowWorld.Clerk, "请尽快签收", "malu");
        _w.Sync();

        foreach (var node in new[] { "guangshun", "malu", "hub" })
        {
            var kinds = _w.Workflow(node).Steps(doc.Id).Select(s => s.Kind).ToList();
            Assert.Contains(StepKinds.SignFor, kinds);
            Assert.Contains(StepKinds.Remind, kinds);
        }
        Assert.Equal(nameof(IncomingState.SignedFor), _w.Workflow("guangshun").View(doc.Id, null)!.Recipients.Single().State);
    }

    [Fact]
    public void CoIssued_CounterSignAtTheOtherTownship_ThenSignOffAtTheIssuer()
    {
        var doc = _w.Draft("guangshun", recipients: ["hub"], coIssuers: ["malu"]);
        var gs = _w.Workflow("guangshun");
        gs.Submit(doc.Id, WorkflowWorld.Clerk);
        gs.Approve(doc.Id, WorkflowWorld.Clerk);
        Assert.Throws<OfficeForbiddenException>(() => gs.SignOff(doc.Id, WorkflowWorld.Leader));
        _w.Sync();

        var malu = _w.Workflow("malu");
        Assert.Equal(1, malu.Counts(WorkflowWorld.Leader).ToSign);
        Assert.Throws<OfficeForbiddenException>(() => malu.CounterSign(doc.Id, WorkflowWorld.Clerk, true, null));
        malu.CounterSign(doc.Id, WorkflowWorld.Leader, true, "同意联合发文");
        _w.Sync();

        Assert.Equal(nameof(OutgoingState.AwaitingSignOff), gs.View(doc.Id, null)!.State);
        gs.SignOff(doc.Id, WorkflowWorld.Leader);
        gs.ReCheck(doc.Id, WorkflowWorld.Clerk);
        gs.Register(doc.Id, WorkflowWorld.Clerk);
        Assert.Equal("广府发〔2026〕1号", _w.Documents("guangshun").Get(doc.Id)!.DocNumber);
    }

    [Fact]
    public void Delete_OnlyDrafts()
    {
        var doc = _w.Draft("guangshun");
        _w.Workflow("guangshun").Submit(doc.Id, WorkflowWorld.Clerk);

        Assert.Throws<OfficeForbiddenException>(() => _w.Documents("guangshun").Delete(doc.Id));
        Assert.NotNull(_w.Documents("guangshun").Get(doc.Id));
    }

    [Fact]
    public void HomeCounts_FollowTheState()
    {
        var doc = _w.Draft("guangshun");
        var wf = _w.Workflow("guangshun");
        wf.Submit(doc.Id, WorkflowWorld.Clerk);
        Assert.Equal(1, wf.Counts(WorkflowWorld.Clerk).ToReview);
        wf.Approve(doc.Id, WorkflowWorld.Clerk);
        Assert.Equal(1, wf.Counts(WorkflowWorld.Leader).ToSign);
        Assert.Equal(0, wf.Counts(WorkflowWorld.Clerk).ToSign);
        wf.SignOff(doc.Id, WorkflowWorld.Leader);
        wf.ReCheck(doc.Id, WorkflowWorld.Clerk);
        wf.Register(doc.Id, WorkflowWorld.Clerk);
        wf.Print(doc.Id, WorkflowWorld.Clerk);
        Assert.Equal(1, wf.Counts(WorkflowWorld.SealAdmin).ToSeal);
        wf.Seal(doc.Id, WorkflowWorld.SealAdmin, FakeSeals.SealId);
        wf.Dispatch(doc.Id, WorkflowWorld.Clerk);
        _w.Sync();
        Assert.Equal(1, _w.Workflow("malu").Counts(WorkflowWorld.Clerk).ToSignFor);
    }
}
