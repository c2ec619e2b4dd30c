using EGovEdge.Office.Identity;
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

    private static StepRecord At(string kind, string? data = null, string node = "malu") => Step(kind, node, data, recipient: node);

    [Fact]
    public void Incoming_OldHistoryWithoutScreening_StillFoldsToInHandlingAndReplied()
    {
        var steps = new List<StepRecord> { At(StepKinds.SignFor), At(StepKinds.InRegister), At(StepKinds.Assign, "{\"handler\":\"wang\"}") };
        Assert.Equal(IncomingState.InHandling, WorkflowRules.Incoming("malu", steps));
        steps.Add(At(StepKinds.Assign, "{\"handler\":\"li\"}")); // re-assigned
        Assert.Equal(IncomingState.InHandling, WorkflowRules.Incoming("malu", steps));
        steps.Add(At(StepKinds.Reply));
        Assert.Equal(IncomingState.Replied, WorkflowRules.Incoming("malu", steps));
    }

    [Fact]
    public void Incoming_ScreenProposeInstructAssignReply_EachStepMovesTheState()
    {
        var steps = new List<StepRecord> { At(StepKinds.SignFor), At(StepKinds.InRegister) };
        var expected = new (StepRecord Step, IncomingState State)[]
        {
            (At(StepKinds.Screen, "{\"agree\":true}"), IncomingState.Screened),
            (At(StepKinds.Propose), IncomingState.Proposed),
            (At(StepKinds.Instruct), IncomingState.Instructed),
            (At(StepKinds.Assign), IncomingState.InHandling),
            (At(StepKinds.Reply), IncomingState.Replied),
        };
        foreach (var (step, state) in expected)
        {
            steps.Add(step);
            Assert.Equal(state, WorkflowRules.Incoming("malu", steps));
        }
    }

    [Fact]
    public void Incoming_ScreenedThenAssigned_SkippingTheOptionalProposeAndInstruct()
    {
        var direct = new[] { At(StepKinds.SignFor), At(StepKinds.InRegister), At(StepKinds.Screen, "{\"agree\":true}"), At(StepKinds.Assign) };
        var leaderOnly = new[] { At(StepKinds.SignFor), At(StepKinds.InRegister), At(StepKinds.Screen, "{\"agree\":true}"), At(StepKinds.Instruct) };

        Assert.Equal(IncomingState.InHandling, WorkflowRules.Incoming("malu", direct));
        Assert.Equal(IncomingState.Instructed, WorkflowRules.Incoming("malu", leaderOnly));
    }

    [Fact]
    public void Incoming_RejectedAtScreening_IsTerminal_LaterStepsAreIgnored()
    {
        var steps = new[]
        {
            At(StepKinds.SignFor), At(StepKinds.InRegister), At(StepKinds.Screen, "{\"agree\":false}"),
            At(StepKinds.Screen, "{\"agree\":true}"), At(StepKinds.Propose), At(StepKinds.Assign), At(StepKinds.Reply),
        };

        Assert.Equal(IncomingState.Rejected, WorkflowRules.Incoming("malu", steps));
        Assert.Equal(IncomingState.Delivered, WorkflowRules.Incoming("hub", steps)); // another recipient is not affected
    }

    [Fact]
    public void Incoming_AScreenStepWrittenByAnotherNode_IsIgnored()
    {
        var steps = new[] { At(StepKinds.SignFor), At(StepKinds.InRegister), Step(StepKinds.Screen, "guangshun", "{\"agree\":false}", recipient: "malu") };

        Assert.Equal(IncomingState.Registered, WorkflowRules.Incoming("malu", steps));
    }

    [Theory]
    [InlineData(IncomingState.SignedFor, StepKinds.Screen)]
    [InlineData(IncomingState.Registered, StepKinds.Propose)]
    [InlineData(IncomingState.Registered, StepKinds.Instruct)]
    [InlineData(IncomingState.Screened, StepKinds.Screen)]
    [InlineData(IncomingState.Screened, StepKinds.Reply)]
    [InlineData(IncomingState.Instructed, StepKinds.Propose)]
    [InlineData(IncomingState.InHandling, StepKinds.Instruct)]
    [InlineData(IncomingState.Replied, StepKinds.Screen)]
    [InlineData(IncomingState.Rejected, StepKinds.Assign)]
    [InlineData(IncomingState.Rejected, StepKinds.Propose)]
    [InlineData(IncomingState.Rejected, StepKinds.Reply)]
    public void NextIncoming_OutOfOrder_IsNotAllowed(IncomingState state, string kind) => Assert.Null(WorkflowRules.NextIncoming(state, kind));

    [Fact]
    public void NeedsScreening_OnlyANewAssignStraightAfterRegistration()
    {
        Assert.True(WorkflowRules.NeedsScreening(IncomingState.Registered, StepKinds.Assign));
        Assert.NotNull(WorkflowRules.NextIncoming(IncomingState.Registered, StepKinds.Assign)); // the fold keeps accepting old data
        foreach (var state in new[] { IncomingState.Screened, IncomingState.Proposed, IncomingState.Instructed, IncomingState.InHandling })
        {
            Assert.False(WorkflowRules.NeedsScreening(state, StepKinds.Assign));
            Assert.Equal(IncomingState.InHandling, WorkflowRules.NextIncoming(state, StepKinds.Assign));
        }
        Assert.False(WorkflowRules.NeedsScreening(IncomingState.Registered, StepKinds.Screen));
    }

    [Fact]
    public void SideSteps_ARejectedDocument_IsNeitherChasedNorCirculated()
    {
        Assert.False(WorkflowRules.SideStepAllowed(IncomingState.Rejected, StepKinds.Remind));
        Assert.False(WorkflowRules.SideStepAllowed(IncomingState.Rejected, StepKinds.Circulate));
        Assert.False(WorkflowRules.SideStepAllowed(IncomingState.Replied, StepKinds.Remind));
        foreach (var state in new[] { IncomingState.Screened, IncomingState.Proposed, IncomingState.Instructed, IncomingState.InHandling })
        {
            Assert.True(WorkflowRules.SideStepAllowed(state, StepKinds.Remind));
            Assert.True(WorkflowRules.SideStepAllowed(state, StepKinds.Circulate));
        }
        Assert.True(WorkflowRules.SideStepAllowed(IncomingState.Delivered, StepKinds.Remind));
        Assert.False(WorkflowRules.SideStepAllowed(IncomingState.SignedFor, StepKinds.Circulate));
    }

    [Fact]
    public void RolesFor_ScreenAndProposeByTheOffice_InstructByTheLeader()
    {
        Assert.Equal([Roles.Clerk, Roles.Leader, Roles.Admin], WorkflowRules.RolesFor(StepKinds.Screen));
        Assert.Equal([Roles.Clerk, Roles.Leader, Roles.Admin], WorkflowRules.RolesFor(StepKinds.Propose));
        Assert.Equal([Roles.Leader, Roles.Admin], WorkflowRules.RolesFor(StepKinds.Instruct));
    }

    [Fact]
    public void Actions_ListTheIncomingSteps_InOrder_WithScreenProposeInstruct()
    {
        Assert.Equal(
            ["signfor", "in_register", "screen", "propose", "instruct", "assign", "circulate", "read", "remind", "reply"],
            StepKinds.Actions.SkipWhile(a => a != StepKinds.SignFor));
        Assert.DoesNotContain(StepKinds.ReSign, StepKinds.Actions);
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
        // 初审/拟办/批办 are the recipient's own: malu screens, proposes and instructs only for itself.
        Assert.Null(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.Screen, "guangshun", "malu", "|guangshun|malu|")));
        Assert.Null(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.Propose, "guangshun", "malu", "|guangshun|malu|")));
        Assert.Null(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.Instruct, "guangshun", "malu", "|guangshun|malu|")));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.Screen, "guangshun", "hub", "|guangshun|hub|")));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.Screen, "guangshun", "hub", "|guangshun|hub|malu|")));
        Assert.NotNull(module.CheckWrite("guangshun", steps, null, Row("guangshun", StepKinds.Screen, "guangshun", "malu", "|guangshun|malu|")));
        Assert.NotNull(module.CheckWrite("malu", steps, null, Row("malu", StepKinds.Instruct, "guangshun", "malu", "|guangshun|malu|", node: "hub")));
        Assert.NotNull(module.CheckWrite("malu", OrgansTable.Definition, null, Row("malu", "x", "malu", null, "*")));
    }
}
