using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Agent;

/// <summary>
/// Whole sync cycles through <see cref="EdgeSyncAgent.RunOnceAsync"/> over the in-process transport.
/// Runs once per hub database engine (<see cref="OnSqlite"/>, <see cref="OnPostgres"/>).
/// </summary>
public abstract class EdgeSyncAgentTests(HubProvider provider) : IDisposable
{
    private readonly SyncWorld _world = new(provider: provider);

    public sealed class OnSqlite() : EdgeSyncAgentTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : EdgeSyncAgentTests(HubProvider.Postgres);

    public void Dispose()
    {
        _world.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task RunOnceAsync_LocalChanges_PushesThenPullsOthersChanges()
    {
        var malu = _world.Edge(Malu);
        var guangshun = _world.Edge(Guangshun);
        var notice = malu.Store.Insert(Documents, Doc("Notice to all"));
        var memo = malu.Store.Insert(Documents, Doc("Memo to guangshun", To(Guangshun)));
        var reply = guangshun.Store.Insert(Documents, Doc("Reply from guangshun"));

        var first = await malu.SyncOkAsync();
        var second = await guangshun.SyncOkAsync();
        var third = await malu.SyncOkAsync();

        Assert.Equal((2, 0, 0, 0), (first.Pushed, first.Pulled, first.Conflicts, first.Rejected));
        Assert.Equal((1, 2), (second.Pushed, second.Pulled));
        Assert.Equal((0, 1), (third.Pushed, third.Pulled));
        Assert.Equal("Memo to guangshun", guangshun.Store.Get(Documents, memo.Id)!.Text("title"));
        Assert.Equal(notice.Hlc, guangshun.Store.Get(Documents, notice.Id)!.Hlc);
        Assert.Equal("Reply from guangshun", malu.Store.Get(Documents, reply.Id)!.Text("title"));
        Assert.Equal(3, Sql.CountRows(_world.Hub));
        Assert.Equal((0L, 0L), (malu.Store.PendingRowCount(), guangshun.Store.PendingRowCount()));
        Assert.Equal(_world.Hub.MaxSequence(), malu.Store.PullCursor);
        Assert.True(first.BytesUp > 0 && first.BytesDown > 0);
    }

    [Fact]
    public async Task RunOnceAsync_SecondRunWithNothingToDo_MovesNothing()
    {
        var malu = _world.Edge(Malu);
        var guangshun = _world.Edge(Guangshun);
        malu.Store.Insert(Documents, Doc("once"));
        await malu.SyncOkAsync();
        await guangshun.SyncOkAsync();
        var pushCalls = (malu.Transport.Pushes.Count, guangshun.Transport.Pushes.Count);
        var cursors = (malu.Store.PullCursor, guangshun.Store.PullCursor);
        var max = _world.Hub.MaxSequence();

        var maluAgain = await malu.SyncOkAsync();
        var guangshunAgain = await guangshun.SyncOkAsync();

        Assert.Equal((0, 0, 0), (maluAgain.Pushed, maluAgain.Pulled, maluAgain.Conflicts));
        Assert.Equal((0, 0, 0), (guangshunAgain.Pushed, guangshunAgain.Pulled, guangshunAgain.Conflicts));
        Assert.Equal(pushCalls, (malu.Transport.Pushes.Count, guangshun.Transport.Pushes.Count));
        Assert.Equal(cursors, (malu.Store.PullCursor, guangshun.Store.PullCursor));
        Assert.Equal(max, _world.Hub.MaxSequence());
        Assert.Empty(guangshun.Transport.Pulls[^1].Changes);
    }

    [Fact]
    public async Task RunOnceAsync_PulledRows_AreNotCapturedNorPushedBack()
    {
        var malu = _world.Edge(Malu);
        var guangshun = _world.Edge(Guangshun);
        malu.Store.Insert(Documents, Doc("a"));
        malu.Store.Insert(Documents, Doc("b", To(Guangshun)));
        await malu.SyncOkAsync();

        var pulled = await guangshun.SyncOkAsync();
        var again = await guangshun.SyncOkAsync();

        Assert.Equal(2, pulled.Pulled);
        Assert.Equal(2, Sql.CountRows(guangshun.Store));
        Assert.Empty(Sql.SyncLog(guangshun.Store));
        Assert.Equal(0, guangshun.Store.PendingRowCount());
        Assert.Equal(0, again.Pushed);
        Assert.Empty(guangshun.Transport.Pushes);
        Assert.Equal(2, Sql.HubLog(_world.Hub).Count(e => e.Writer == Malu));
    }

    [Fact]
    public async Task RunOnceAsync_AddressedDoc_NeverReachesOtherTownships()
    {
        var malu = _world.Edge(Malu);
        var guangshun = _world.Edge(Guangshun);
        var xinzhuang = _world.Edge(Xinzhuang);
        var secret = malu.Store.Insert(Documents, Doc("Personnel matter", To(Guangshun)));
        var open = malu.Store.Insert(Documents, Doc("Public notice"));
        await malu.SyncOkAsync();

        await guangshun.SyncOkAsync();
        var x = await xinzhuang.SyncOkAsync();

        Assert.NotNull(guangshun.Store.Get(Documents, secret.Id));
        Assert.Null(xinzhuang.Store.Get(Documents, secret.Id));
        Assert.NotNull(xinzhuang.Store.Get(Documents, open.Id));
        Assert.Equal(1, x.Pulled);
        Assert.Equal(_world.Hub.MaxSequence(), xinzhuang.Store.PullCursor);
    }

    [Fact]
    public async Task RunOnceAsync_FreshEdge_RebuildsOwnRowsWithIncludeOwn()
    {
        var malu = _world.Edge(Malu);
        var doc = malu.Store.Insert(Documents, Doc("kept at the hub"));
        await malu.SyncOkAsync();
        Assert.True(malu.Transport.Pulls.Count > 0);

        // A replacement machine for malu starts from an empty database.
        using var dir = new TempDirectory();
        var store = new EdgeStore(dir.File("malu-new.db"), Malu, _world.Schema, malu.Time);
        var transport = new InProcessTransport(_world.Hub, Malu);
        var agent = new EdgeSyncAgent(store, transport, new SyncAgentOptions(), malu.Time,
            NullLogger<EdgeSyncAgent>.Instance);

        var result = await agent.RunOnceAsync(CancellationToken.None);

        Assert.Equal((SyncOutcome.Ok, 1), (result.Outcome, result.Pulled));
        Assert.Equal(doc.Hlc, store.Get(Documents, doc.Id)!.Hlc);
        Assert.Empty(Sql.SyncLog(store));
        Assert.Equal(_world.Hub.MaxSequence(), store.PullCursor);
    }

    [Fact]
    public async Task RunOnceAsync_SmallBatches_PushesAndPullsEverythingInSeveralRoundTrips()
    {
        var options = new SyncAgentOptions { PushBatchSize = 2, PullBatchSize = 2, AdaptiveBatchSize = false, SchemaVersion = TestSchema.SchemaVersion };
        var malu = _world.Edge(Malu, options);
        var guangshun = _world.Edge(Guangshun, options);
        var ids = Enumerable.Range(1, 5).Select(i => malu.Store.Insert(Documents, Doc($"doc {i}")).Id).ToList();

        var up = await malu.SyncOkAsync();
        var down = await guangshun.SyncOkAsync();

        Assert.Equal(5, up.Pushed);
        Assert.Equal(["malu:1-2", "malu:3-4", "malu:5-5"], malu.Transport.Pushes.Select(p => p.BatchId));
        Assert.Equal(5, down.Pulled);
        Assert.Equal([2, 2, 1], guangshun.Transport.Pulls.Select(p => p.Changes.Count));
        Assert.All(ids, id => Assert.NotNull(guangshun.Store.Get(Documents, id)));
        Assert.Equal(5, malu.Store.PushCursor);
    }

    [Fact]
    public async Task RunOnceAsync_AdaptiveBatches_GrowWhileFastShrinkAfterFailure()
    {
        var malu = _world.Edge(Malu, new SyncAgentOptions { PushBatchSize = 2, PullBatchSize = 2, SchemaVersion = TestSchema.SchemaVersion });
        for (var i = 0; i < 30; i++) malu.Store.Insert(Documents, Doc($"doc {i}"));

        await malu.SyncOkAsync();
        var sizes = malu.Transport.Pushes.Select(p => p.Changes.Count).ToList();
        Assert.Equal(30, sizes.Sum());
        Assert.True(sizes.Count < 15, $"batches should grow on a fast link: {string.Join(",", sizes)}");
        Assert.True(malu.Agent.BatchSizes.Push > 2);

        var grown = malu.Agent.BatchSizes.Push;
        malu.Store.Insert(Documents, Doc("while the link is down"));
        malu.Transport.Unreachable = true;
        await malu.SyncAsync();
        Assert.True(malu.Agent.BatchSizes.Push < grown, "a failed call halves the batch");
    }

    [Fact]
    public async Task RunOnceAsync_HubUnreachable_OutcomeUnreachableAndChangesStayPending()
    {
        var malu = _world.Edge(Malu);
        malu.Store.Insert(Documents, Doc("written offline 1"));
        malu.Store.Insert(Documents, Doc("written offline 2"));
        malu.Transport.Unreachable = true;

        var result = await malu.SyncAsync();

        Assert.Equal(SyncOutcome.Unreachable, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal((0, 0), (result.Pushed, result.Pulled));
        Assert.StartsWith("hub unreachable: ", result.Error, StringComparison.Ordinal);
        Assert.Equal((false, false, false), (malu.Agent.Status.HubReachable!.Value, malu.Agent.Status.AuthFailed, malu.Agent.Status.Running));
        Assert.Equal(result.Error, malu.Agent.Status.LastError);
        Assert.Null(malu.Agent.Status.LastSuccessUtc);
        Assert.Equal(2, malu.Store.PendingRowCount());
        Assert.Equal(0, malu.Store.PushCursor);
        Assert.Equal(0, Sql.CountRows(_world.Hub));
        var history = Assert.Single(malu.Store.History(10));
        Assert.Equal(("unreachable", result.CorrelationId), (history.Result, history.CorrelationId));
        Assert.Null(malu.Store.GetState("last_success_utc"));

        malu.Transport.Unreachable = false;
        var retry = await malu.SyncOkAsync();

        Assert.Equal(2, retry.Pushed);
        Assert.Equal(0, malu.Store.PendingRowCount());
        Assert.Equal(2, Sql.CountRows(_world.Hub));
        Assert.True(malu.Agent.Status.HubReachable);
        Assert.Null(malu.Agent.Status.LastError);
    }

    [Fact]
    public async Task RunOnceAsync_Refused401_OutcomeRefusedAndAuthFailed()
    {
        var malu = _world.Edge(Malu);
        malu.Store.Insert(Documents, Doc("waiting"));
        malu.Transport.RefuseWith = 401;

        var result = await malu.SyncAsync();

        Assert.Equal(SyncOutcome.Refused, result.Outcome);
        Assert.Contains("401", result.Error, StringComparison.Ordinal);
        Assert.True(malu.Agent.Status.AuthFailed);
        Assert.True(malu.Agent.Status.HubReachable);
        Assert.Equal(1, malu.Store.PendingRowCount());
        Assert.Equal("refused", malu.Store.History(1).Single().Result);

        malu.Transport.RefuseWith = null;
        await malu.SyncOkAsync();

        Assert.False(malu.Agent.Status.AuthFailed);
        Assert.Equal(0, malu.Store.PendingRowCount());
    }

    [Fact]
    public async Task RunOnceAsync_Refused409_RefusedButNotAnAuthenticationFailure()
    {
        var malu = _world.Edge(Malu);
        malu.Transport.RefuseWith = 409;

        var result = await malu.SyncAsync();

        Assert.Equal(SyncOutcome.Refused, result.Outcome);
        Assert.False(malu.Agent.Status.AuthFailed);
    }

    [Fact]
    public async Task RunOnceAsync_PushResponseLost_RetryIsDuplicateAndNothingIsDoubled()
    {
        var malu = _world.Edge(Malu);
        var doc = malu.Store.Insert(Documents, Doc("sent once"));
        malu.Transport.LoseNextPushResponse = true;

        var lost = await malu.SyncAsync();

        Assert.Equal(SyncOutcome.Unreachable, lost.Outcome);
        Assert.Equal("sent once", _world.Hub.Get(Documents, doc.Id)!.Text("title")); // the hub did apply it
        Assert.Equal(1, malu.Store.PendingRowCount());
        var max = _world.Hub.MaxSequence();

        var retry = await malu.SyncOkAsync();

        Assert.True(malu.Transport.PushResponses[^1].Duplicate);
        Assert.Equal(max, _world.Hub.MaxSequence());
        Assert.Equal(0, malu.Store.PendingRowCount());
        Assert.Equal(0, retry.Conflicts);
        Assert.Equal(0, _world.Hub.OpenConflictCount());
    }

    [Fact]
    public async Task RunOnceAsync_RejectedRow_CountedAndKeptOnTheEdge()
    {
        var malu = _world.Edge(Malu);
        var guangshun = _world.Edge(Guangshun);
        var doc = malu.Store.Insert(Documents, Doc("malu's", To(Guangshun)));
        await malu.SyncOkAsync();
        await guangshun.SyncOkAsync();
        guangshun.Store.Update(Documents, doc.Id, Set("title", "not yours to edit"));

        var result = await guangshun.SyncOkAsync();

        Assert.Equal((0, 1), (result.Pushed, result.Rejected));
        Assert.Equal(1, guangshun.Store.RejectedCount());
        Assert.Equal("malu's", _world.Hub.Get(Documents, doc.Id)!.Text("title"));
        Assert.Equal(1, guangshun.Store.History(1).Single().Rejected);
    }

    [Fact]
    public async Task RunOnceAsync_Success_RecordsHistoryStatusAndEvent()
    {
        var malu = _world.Edge(Malu);
        malu.Store.Insert(Documents, Doc("x"));
        SyncCycleResult? raised = null;
        malu.Agent.CycleCompleted += (_, r) => raised = r;
        malu.Time.Advance(TimeSpan.FromMinutes(3));

        var result = await malu.SyncOkAsync();

        Assert.Same(result, raised);
        Assert.Same(result, malu.Agent.Status.LastCycle);
        Assert.Equal(malu.Time.GetUtcNow(), malu.Agent.Status.LastSuccessUtc);
        Assert.Equal(malu.Time.GetUtcNow(), malu.Agent.Status.LastAttemptUtc);
        var history = Assert.Single(malu.Store.History(10));
        Assert.Equal(("ok", 1, result.CorrelationId), (history.Result, history.Pushed, history.CorrelationId));
        Assert.Equal(result.BytesUp, history.BytesUp);
        Assert.NotNull(malu.Store.GetState("last_success_utc"));
        Assert.Equal(32, result.CorrelationId.Length);
    }

    [Fact]
    public async Task RunOnceAsync_StatusAfterRestart_LoadsLastSuccess()
    {
        var malu = _world.Edge(Malu);
        await malu.SyncOkAsync();

        var restarted = new EdgeSyncAgent(malu.Store, malu.Transport, new SyncAgentOptions(), malu.Time,
            NullLogger<EdgeSyncAgent>.Instance);

        // Stored as the cycle's start plus its (real) duration.
        var loaded = Assert.NotNull(restarted.Status.LastSuccessUtc);
        Assert.InRange(loaded, malu.Time.GetUtcNow(), malu.Time.GetUtcNow().AddMinutes(1));
    }

    [Fact]
    public async Task RunOnceAsync_Cancelled_ThrowsAndMovesNothing()
    {
        var malu = _world.Edge(Malu);
        malu.Store.Insert(Documents, Doc("x"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => malu.Agent.RunOnceAsync(cts.Token));

        Assert.Equal(1, malu.Store.PendingRowCount());
        Assert.Empty(malu.Transport.Pushes);
    }
}
