using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Schema;

namespace EGovEdge.Office.Tests.Workflow;

/// <summary>The pure rules: order of steps, 会签, and the hub's write rule for step rows.</summary>
public sealed class WorkflowRulesTests
{
    private static int _n;

    private static StepRecord Step(string kind, string node = "guangshun", string? data = null, string? recipient = null) =>
        new(Guid.NewGuid().ToString(), $"{Interlocked.Increment(ref _n):D16}.00000@{node}", "d", "guangshun", kind, recipient, node, "u", null,
            DateTimeOffset.UnixEpoch, null, data);

    [Theory]
    [InlineData(OutgoingState.Draft, StepKinds.SignOff)]
    [InlineData(OutgoingState.Draft, StepKinds.Register)]
    [InlineData(OutgoingState.InReview, StepKinds.SignOff)]
    [InlineData(OutgoingState.AwaitingSignOff, StepKinds.Register)]
    [InlineData(OutgoingState.Signed, StepKinds.Register)]
    [InlineData(OutgoingState.ReChecked, StepKinds.Seal)]
    [InlineData(OutgoingState.Registered, StepKinds.Dispatch)]
    [InlineData(OutgoingState.Printed, StepKinds.Dispatch)]
    [InlineData(OutgoingState.Dispatched, StepKinds.Return)]
    public void Next_SkippingAStep_IsNotAllowed(OutgoingState state, string kind) => Assert.Null(WorkflowRules.Next(state, kind, coIssued: false));

    [Fact]
    public void Outgoing_StepsFromAnotherNodeOrOutOfOrder_AreIgnored()
    {
        var steps = new[] { Step(StepKinds.Submit), Step(StepKinds.Approve, node: "malu"), Step(StepKinds.Register) };

        Assert.Equal(OutgoingState.InReview, WorkflowRules.Outgoing("guangshun", [], steps));
    }

    [Fact]
    public void Outgoing_CounterSign_WaitsForEveryCoIssuer_AndADisagreementReturnsTheDraft()
    {
        var co = new[] { "malu", "daishui" };
        var steps = new List<StepRecord> { Step(StepKinds.Submit), Step(StepKinds.Approve), Step(StepKinds.CounterSign, "malu", "{\"agree\":true}") };
        Assert.Equal(OutgoingState.CounterSign, WorkflowRules.Outgoing("guangshun", co, steps));
        steps.Add(Step(StepKinds.CounterSign, "baihe", "{\"agree\":true}")); // not a co-issuer
        Assert.Equal(OutgoingState.CounterSign, WorkflowRules.Outgoing("guangshun", co, steps));
        steps.Add(Step(StepKinds.CounterSign, "daishui", "{\"agree\":true}"));
        Assert.Equal(OutgoingState.AwaitingSignOff, WorkflowRules.Outgoing("guangshun", co, steps));

        var disagree = new[] { Step(StepKinds.Submit), Step(StepKinds.Approve), Step(StepKinds.CounterSign, "malu", "{\"agree\":false}") };
        Assert.Equal(OutgoingState.Draft, WorkflowRules.Outgoing("guangshun", co, disagree));
    }

    [Fact]
    public void Incoming_ReplyBeforeSignFor_IsIgnored()
    {
        var steps = new[] { Step(StepKinds.Reply, "malu", recipient: "malu"), Step(StepKinds.SignFor, "malu", recipient: "malu") };

        Assert.Equal(IncomingState.SignedFor, WorkflowRules.Incoming("malu", steps));
    }

    private static SyncRow Row(string origin, string kind, string docOrigin, string? recipient, string audience, string? node = null) => new()
    {
        Table = StepsTable.Name,
        Id = Guid.NewGuid().ToString(),
        Hlc = "0000000000000001.00000@" + origin,
        Origin = origin,
        Data = new System.Text.Json.Nodes.JsonObject
        {
            ["document_id"] = Guid.NewGuid().ToString(), ["doc_origin"] = docOrigin, ["audience"] = audience, ["kind"] = kind,
            ["recipient"] = recipient, ["node"] = node ?? origin, ["actor"] = "u", ["at_utc"] = "2026-11-27T01:00:00.0000000Z",
        },
    };

    [Fact]
    public void CheckWrite_StepRules()
    {
        var module = new WorkflowModule();
        var steps = StepsTable.Definition;

        Assert.Null(module.CheckWrite("guangshun", steps, null, Row("guangshun", StepKinds.SignOff, "guangshun", null, "|guangshun|malu|")));
        Assert.Null(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.SignFor, "guangshun", "malu", "|guangshun|malu|")));
        Assert.Null(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.CounterSign, "guangshun", "malu", "|guangshun|malu|")));
        Assert.Null(module.CheckWrite("guangshun", steps, null, Row("guangshun", StepKinds.Remind, "guangshun", "malu", "|guangshun|malu|")));

        // Forged: malu signs off guangshun's document; malu writes as guangshun; malu signs for hub; steps are append-only.
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.SignOff, "guangshun", null, "|guangshun|malu|")));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("guangshun", StepKinds.Submit, "guangshun", null, "|guangshun|")));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.SignFor, "guangshun", "malu", "|guangshun|malu|", node: "guangshun")));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.SignFor, "guangshun", "hub", "|guangshun|hub|")));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.CounterSign, "guangshun", "malu", "|guangshun|")));
        var existing = Row("guangshun", StepKinds.Submit, "guangshun", null, "|guangshun|");
        Assert.NotNull(module.CheckWrite("guangshun", steps, existing, existing.Clone()));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", "approve_all", "malu", null, "|malu|")));
        Assert.NotNull(module.CheckWrite("malu", OrgansTable.Definition, null, Row("malu", "x", "malu", null, "*")));
    }
}
