using EGovEdge.Office.Identity;

namespace EGovEdge.Office.Workflow;

/// <summary>Step kinds (one row per event in <see cref="StepsTable"/>).</summary>
public static class StepKinds
{
    // Outgoing (发文), written only by the issuing node, except 会签 by the co-issuing organs.
    public const string Submit = "submit";            // 拟稿完成，送核稿
    public const string Approve = "approve";          // 核稿通过
    public const string Return = "return";            // 退回修改
    public const string CounterSign = "countersign";  // 会签
    public const string SignOff = "signoff";          // 签发
    public const string ReCheck = "recheck";          // 复核通过
    public const string ReSign = "resign";            // 复核发现实质性修改，退回签发人
    public const string Register = "register";        // 发文登记（编号）
    public const string Print = "print";              // 印制
    public const string Seal = "seal";                // 用印
    public const string Dispatch = "dispatch";        // 核发

    // Incoming (收文), written by the recipient organ's node.
    public const string SignFor = "signfor";          // 签收
    public const string InRegister = "in_register";   // 收文登记
    public const string Assign = "assign";            // 承办
    public const string Circulate = "circulate";      // 传阅
    public const string Read = "read";                // 阅毕
    public const string Remind = "remind";            // 催办
    public const string Reply = "reply";              // 答复（办结）

    public static readonly IReadOnlyList<string> Outgoing =
        [Submit, Approve, Return, CounterSign, SignOff, ReCheck, ReSign, Register, Print, Seal, Dispatch];

    public static readonly IReadOnlyList<string> Incoming = [SignFor, InRegister, Assign, Circulate, Read, Remind, Reply];

    /// <summary>Outgoing steps only the issuing node may record.</summary>
    public static readonly IReadOnlyList<string> IssuerOnly = [Submit, Approve, Return, SignOff, ReCheck, ReSign, Register, Print, Seal, Dispatch];
}

/// <summary>States of an outgoing document, derived from its steps.</summary>
public enum OutgoingState
{
    Draft,
    InReview,
    CounterSign,
    AwaitingSignOff,
    Signed,
    ReChecked,
    Registered,
    Printed,
    Sealed,
    Dispatched,
}

/// <summary>States of a dispatched document at one recipient organ.</summary>
public enum IncomingState
{
    Delivered,
    SignedFor,
    Registered,
    InHandling,
    Replied,
}

/// <summary>One workflow event as read back from <see cref="StepsTable"/>.</summary>
public sealed record StepRecord(string Id, string Hlc, string DocumentId, string DocOrigin, string Kind, string? Recipient, string Node,
    string Actor, string? ActorName, DateTimeOffset AtUtc, string? Opinion, string? Data);

/// <summary>The pure rules of the workflow: which step may follow which, and the state a list of steps leads to.</summary>
public static class WorkflowRules
{
    /// <summary>The state an outgoing document is in after its steps (in HLC order). Steps that do not fit are ignored.</summary>
    public static OutgoingState Outgoing(string docOrigin, IReadOnlyCollection<string> coIssuers, IEnumerable<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(coIssuers);
        ArgumentNullException.ThrowIfNull(steps);
        var state = OutgoingState.Draft;
        var signed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in steps.OrderBy(s => s.Hlc, StringComparer.Ordinal))
        {
            if (s.Kind == StepKinds.CounterSign)
            {
                if (state != OutgoingState.CounterSign || !coIssuers.Contains(s.Node) || s.Node == docOrigin) continue;
                if (IsDisagree(s.Data)) { state = OutgoingState.Draft; continue; }
                signed.Add(s.Node);
                if (coIssuers.All(signed.Contains)) state = OutgoingState.AwaitingSignOff;
                continue;
            }
            if (s.Node != docOrigin) continue;
            var next = Next(state, s.Kind, coIssuers.Count > 0);
            if (next is null) continue;
            if (next == OutgoingState.CounterSign) signed.Clear();
            state = next.Value;
        }
        return state;
    }

    /// <summary>The state after an issuer step, or null when the step may not follow <paramref name="state"/>.</summary>
    public static OutgoingState? Next(OutgoingState state, string kind, bool coIssued) => (state, kind) switch
    {
        (OutgoingState.Draft, StepKinds.Submit) => OutgoingState.InReview,
        (OutgoingState.InReview, StepKinds.Approve) => coIssued ? OutgoingState.CounterSign : OutgoingState.AwaitingSignOff,
        (OutgoingState.InReview or OutgoingState.CounterSign or OutgoingState.AwaitingSignOff or OutgoingState.Signed, StepKinds.Return) => OutgoingState.Draft,
        (OutgoingState.AwaitingSignOff, StepKinds.SignOff) => OutgoingState.Signed,
        (OutgoingState.Signed, StepKinds.ReCheck) => OutgoingState.ReChecked,
        (OutgoingState.Signed, StepKinds.ReSign) => OutgoingState.AwaitingSignOff,
        (OutgoingState.ReChecked, StepKinds.Register) => OutgoingState.Registered,
        (OutgoingState.Registered, StepKinds.Print) => OutgoingState.Printed,
        (OutgoingState.Printed, StepKinds.Seal) => OutgoingState.Sealed,
        (OutgoingState.Sealed, StepKinds.Dispatch) => OutgoingState.Dispatched,
        _ => null,
    };

    /// <summary>The state of a dispatched document at recipient <paramref name="recipient"/> after its steps there.</summary>
    public static IncomingState Incoming(string recipient, IEnumerable<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var state = IncomingState.Delivered;
        foreach (var s in steps.Where(s => s.Recipient == recipient && s.Node == recipient).OrderBy(s => s.Hlc, StringComparer.Ordinal))
        {
            state = NextIncoming(state, s.Kind) ?? state;
        }
        return state;
    }

    public static IncomingState? NextIncoming(IncomingState state, string kind) => (state, kind) switch
    {
        (IncomingState.Delivered, StepKinds.SignFor) => IncomingState.SignedFor,
        (IncomingState.SignedFor, StepKinds.InRegister) => IncomingState.Registered,
        (IncomingState.Registered or IncomingState.InHandling, StepKinds.Assign) => IncomingState.InHandling,
        (IncomingState.InHandling, StepKinds.Reply) => IncomingState.Replied,
        _ => null,
    };

    /// <summary>Steps that need a state but do not change it (传阅, 阅毕, 催办): allowed from registration on.</summary>
    public static bool SideStepAllowed(IncomingState state, string kind) => kind switch
    {
        StepKinds.Circulate or StepKinds.Read => state >= IncomingState.Registered,
        StepKinds.Remind => state is >= IncomingState.Delivered and < IncomingState.Replied,
        _ => false,
    };

    /// <summary>Roles that may record a step (admin may do everything).</summary>
    public static IReadOnlyList<string> RolesFor(string kind) => kind switch
    {
        StepKinds.SignOff or StepKinds.CounterSign => [Roles.Leader, Roles.Admin],
        StepKinds.Approve or StepKinds.Return => [Roles.Clerk, Roles.Leader, Roles.Admin],
        StepKinds.Seal => [Roles.Clerk, Roles.SealAdmin, Roles.Admin],
        StepKinds.Read => [.. Roles.All],
        StepKinds.Reply => [Roles.Clerk, Roles.Leader, Roles.Reporter, Roles.Admin],
        _ => [Roles.Clerk, Roles.Leader, Roles.Admin],
    };

    internal static bool IsDisagree(string? data) =>
        data is not null && data.Contains("\"agree\":false", StringComparison.Ordinal);
}
