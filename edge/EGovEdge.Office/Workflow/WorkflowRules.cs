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
    public const string Screen = "screen";            // 初审（通过，或 {"agree":false} 退文，须写明理由）
    public const string Propose = "propose";          // 拟办（办公室提出拟办意见）
    public const string Instruct = "instruct";        // 批办（领导批示）
    public const string Assign = "assign";            // 承办
    public const string Circulate = "circulate";      // 传阅
    public const string Read = "read";                // 阅毕
    public const string Remind = "remind";            // 催办
    public const string Reply = "reply";              // 答复（办结）

    public static readonly IReadOnlyList<string> Outgoing =
        [Submit, Approve, Return, CounterSign, SignOff, ReCheck, ReSign, Register, Print, Seal, Dispatch];

    public static readonly IReadOnlyList<string> Incoming = [SignFor, InRegister, Screen, Propose, Instruct, Assign, Circulate, Read, Remind, Reply];

    /// <summary>The actions of POST /api/documents/{id}/workflow/{action}, in workflow order.</summary>
    public static readonly IReadOnlyList<string> Actions =
        [Submit, Approve, Return, CounterSign, SignOff, ReCheck, Register, Print, Seal, Dispatch, .. Incoming];

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

/// <summary>
/// States of a dispatched document at one recipient organ. The main line is in order (code compares states with
/// <c>&gt;=</c> and <c>&lt;</c>); <see cref="Rejected"/> (退文 at 初审) is terminal and comes after it, so "before
/// <see cref="Replied"/>" never includes a returned document.
/// </summary>
public enum IncomingState
{
    Delivered,
    SignedFor,
    Registered,
    Screened,
    Proposed,
    Instructed,
    InHandling,
    Replied,
    Rejected,
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
            state = NextIncoming(state, s.Kind, s.Data) ?? state;
        }
        return state;
    }

    /// <summary>
    /// The state after a recipient step, or null when the step may not follow <paramref name="state"/>. 初审
    /// (<see cref="StepKinds.Screen"/>) passes, or with <c>{"agree":false}</c> in <paramref name="data"/> returns the
    /// document (退文). 拟办 and 批办 are optional. 承办 also follows 登记 directly: documents assigned before 初审 existed
    /// keep folding as they did; that a new 承办 needs 初审 first is checked when it is recorded (<see cref="NeedsScreening"/>).
    /// </summary>
    public static IncomingState? NextIncoming(IncomingState state, string kind, string? data = null) => (state, kind) switch
    {
        (IncomingState.Delivered, StepKinds.SignFor) => IncomingState.SignedFor,
        (IncomingState.SignedFor, StepKinds.InRegister) => IncomingState.Registered,
        (IncomingState.Registered, StepKinds.Screen) => IsDisagree(data) ? IncomingState.Rejected : IncomingState.Screened,
        (IncomingState.Screened or IncomingState.Proposed, StepKinds.Propose) => IncomingState.Proposed,
        (IncomingState.Screened or IncomingState.Proposed or IncomingState.Instructed, StepKinds.Instruct) => IncomingState.Instructed,
        (IncomingState.Registered or IncomingState.Screened or IncomingState.Proposed or IncomingState.Instructed or IncomingState.InHandling,
            StepKinds.Assign) => IncomingState.InHandling,
        (IncomingState.InHandling, StepKinds.Reply) => IncomingState.Replied,
        _ => null,
    };

    /// <summary>
    /// True when a new step of <paramref name="kind"/> must wait for 初审: a 承办 straight after 登记. The fold still
    /// accepts that order (older histories have no 初审), the services refuse to record it.
    /// </summary>
    public static bool NeedsScreening(IncomingState state, string kind) => kind == StepKinds.Assign && state == IncomingState.Registered;

    /// <summary>
    /// Steps that need a state but do not change it (传阅, 阅毕, 催办): allowed from registration on; a document returned
    /// at 初审 is no longer circulated nor chased (a reader it was circulated to before may still mark it read).
    /// </summary>
    public static bool SideStepAllowed(IncomingState state, string kind) => kind switch
    {
        StepKinds.Circulate => state >= IncomingState.Registered && state != IncomingState.Rejected,
        StepKinds.Read => state >= IncomingState.Registered,
        StepKinds.Remind => state is >= IncomingState.Delivered and < IncomingState.Replied,
        _ => false,
    };

    /// <summary>True for a 初审 step that returned the document (退文).</summary>
    public static bool IsRejection(string kind, string? data) => kind == StepKinds.Screen && IsDisagree(data);

    /// <summary>Roles that may record a step (admin may do everything).</summary>
    public static IReadOnlyList<string> RolesFor(string kind) => kind switch
    {
        StepKinds.SignOff or StepKinds.CounterSign or StepKinds.Instruct => [Roles.Leader, Roles.Admin],
        StepKinds.Approve or StepKinds.Return or StepKinds.Screen or StepKinds.Propose => [Roles.Clerk, Roles.Leader, Roles.Admin],
        StepKinds.Seal => [Roles.Clerk, Roles.SealAdmin, Roles.Admin],
        StepKinds.Read => [.. Roles.All],
        StepKinds.Reply => [Roles.Clerk, Roles.Leader, Roles.Reporter, Roles.Admin],
        _ => [Roles.Clerk, Roles.Leader, Roles.Admin],
    };

    internal static bool IsDisagree(string? data) =>
        data is not null && data.Contains("\"agree\":false", StringComparison.Ordinal);
}
