using System.Collections.Concurrent;
using System.Globalization;

namespace EGovEdge.FaultTests.Support;

/// <summary>What the writer knows about a request: acknowledged (201/200/204), refused (a 4xx: not applied), or unknown (no answer, 5xx).</summary>
internal enum WriteOutcome
{
    Acked,
    Refused,
    Unknown,
}

/// <summary>The full state of a document a write leaves behind (edits send every field, so each write sets all of it).</summary>
internal sealed record DocState(string Title, string Body, string Urgency, bool Deleted)
{
    public override string ToString() => Deleted ? "deleted" : $"'{Title}' ({Urgency}, body {Body.Length} chars)";
}

/// <summary>One write a writer loop sent.</summary>
internal sealed record WriteRecord(long Order, string Node, string Op, string Token, string? DocId, DocState State, WriteOutcome Outcome, int Status, string? Error, TimeSpan At)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"#{Order} {At.TotalSeconds:0.0}s {Node} {Op} {Token} {DocId ?? "(no id)"} → {Outcome} {(Status == 0 ? "" : "HTTP " + Status)} {Error} [{State}]");
}

/// <summary>Every write the writer loops sent, in order, with what they heard back.</summary>
internal sealed class Ledger
{
    private readonly ConcurrentQueue<WriteRecord> _records = new();
    private long _order;

    public WriteRecord Add(string node, string op, string token, string? docId, DocState state, WriteOutcome outcome, int status, string? error, TimeSpan at)
    {
        var r = new WriteRecord(Interlocked.Increment(ref _order), node, op, token, docId, state, outcome, status, error, at);
        _records.Enqueue(r);
        return r;
    }

    public IReadOnlyList<WriteRecord> All => [.. _records.OrderBy(r => r.Order)];
}
