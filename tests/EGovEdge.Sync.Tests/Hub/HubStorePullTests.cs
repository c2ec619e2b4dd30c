using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Tests.TestSupport;
using static EGovEdge.Sync.Tests.TestSupport.TestSchema;

namespace EGovEdge.Sync.Tests.Hub;

/// <summary>
/// The hub serving pulls: by hub sequence, limited to the rows a township may see, paged.
/// Runs once per hub database engine (<see cref="OnSqlite"/>, <see cref="OnPostgres"/>).
/// </summary>
public abstract class HubStorePullTests(HubProvider provider) : IDisposable
{
    private readonly SyncWorld _world = new(provider: provider);

    public sealed class OnSqlite() : HubStorePullTests(HubProvider.Sqlite);

    public sealed class OnPostgres() : HubStorePullTests(HubProvider.Postgres);

    public void Dispose()
    {
        _world.Dispose();
        GC.SuppressFinalize(this);
    }

    private SyncRow Publish(string origin, string title, string recipients)
    {
        var edge = _world.Edge(origin).Store;
        var row = edge.Insert(Documents, Doc(title, recipients));
        var batch = edge.ReadPending(500, SchemaVersion)!;
        edge.AckPush(batch, _world.Hub.ApplyPush(origin, batch));
        return row;
    }

    private PullResponse Pull(string node, long cursor = 0, int limit = 500, bool includeOwn = false) =>
        Wire.RoundTrip(
            _world.Hub.Pull(node, Wire.RoundTrip(
                new PullRequest { NodeId = node, SchemaVersion = TestSchema.SchemaVersion, Cursor = cursor, Limit = limit, IncludeOwn = includeOwn },
                SyncJsonContext.Default.PullRequest)),
            SyncJsonContext.Default.PullResponse);

    [Fact]
    public void Pull_DocAddressedToOneTownship_OnlyThatTownshipReceivesIt()
    {
        var doc = Publish(Malu, "For guangshun only", To(Guangshun));

        var guangshun = Pull(Guangshun);
        var xinzhuang = Pull(Xinzhuang);

        var change = Assert.Single(guangshun.Changes);
        Assert.Equal((doc.Id, doc.Hlc, "For guangshun only", Malu), (change.Id, change.Hlc, change.ToRow().Text("title"), change.Origin));
        Assert.Empty(xinzhuang.Changes);
        // The township that may not see it still moves past it.
        Assert.Equal(_world.Hub.MaxSequence(), xinzhuang.NextCursor);
        Assert.False(xinzhuang.HasMore);
    }

    [Fact]
    public void Pull_DocForEveryone_ReachesEveryTownshipButNotItsWriter()
    {
        var doc = Publish(Malu, "County holiday", To());

        Assert.Equal(doc.Id, Assert.Single(Pull(Guangshun).Changes).Id);
        Assert.Equal(doc.Id, Assert.Single(Pull(Xinzhuang).Changes).Id);
        Assert.Equal(doc.Id, Assert.Single(Pull("shuangxi").Changes).Id);
        Assert.Empty(Pull(Malu).Changes);
    }

    [Fact]
    public void Pull_OwnRows_OnlyWithIncludeOwn()
    {
        var ownPrivate = Publish(Malu, "internal memo", To());
        var ownAddressed = Publish(Malu, "to guangshun", To(Guangshun));

        var without = Pull(Malu);
        var with = Pull(Malu, includeOwn: true);

        Assert.Empty(without.Changes);
        Assert.Equal(_world.Hub.MaxSequence(), without.NextCursor);
        Assert.Equal([ownPrivate.Id, ownAddressed.Id], with.Changes.Select(c => c.Id));
    }

    [Fact]
    public void Pull_AfterCursor_ReturnsOnlyNewerChangesOldestFirst()
    {
        var first = Publish(Malu, "first", To());
        var cursor = Pull(Guangshun).NextCursor;
        var second = Publish(Malu, "second", To());
        var third = Publish(Xinzhuang, "third", To());

        var page = Pull(Guangshun, cursor);

        Assert.Equal([second.Id, third.Id], page.Changes.Select(c => c.Id));
        Assert.True(page.Changes[0].Seq > cursor && page.Changes[1].Seq > page.Changes[0].Seq);
        Assert.DoesNotContain(page.Changes, c => c.Id == first.Id);
        Assert.Empty(Pull(Guangshun, page.NextCursor).Changes);
    }

    [Fact]
    public void Pull_UpdatedRow_IsSentOnceAsItsLatestVersionWithHubLineage()
    {
        var edge = _world.Edge(Malu).Store;
        var doc = Publish(Malu, "v1", To());
        var v2 = edge.Update(Documents, doc.Id, Set("title", "v2"))!;
        var batch = edge.ReadPending(500, SchemaVersion)!;
        edge.AckPush(batch, _world.Hub.ApplyPush(Malu, batch));

        var change = Assert.Single(Pull(Guangshun).Changes);

        Assert.Equal((v2.Hlc, doc.Hlc, "v2"), (change.Hlc, change.Prev, change.ToRow().Text("title")));
    }

    [Fact]
    public void Pull_SmallLimit_PagesThroughEverythingOnce()
    {
        var ids = Enumerable.Range(1, 5).Select(i => Publish(Malu, $"doc {i}", To()).Id).ToList();
        var received = new List<string>();
        var pages = new List<(int Count, bool HasMore)>();
        long cursor = 0;

        while (true)
        {
            var page = Pull(Guangshun, cursor, limit: 2);
            received.AddRange(page.Changes.Select(c => c.Id));
            pages.Add((page.Changes.Count, page.HasMore));
            Assert.True(page.NextCursor >= cursor);
            cursor = page.NextCursor;
            if (!page.HasMore) break;
        }

        Assert.Equal(ids, received);
        Assert.Equal([(2, true), (2, true), (1, false)], pages);
        Assert.Equal(_world.Hub.MaxSequence(), cursor);
    }

    [Fact]
    public void Pull_HiddenRowsBetweenVisibleOnes_CursorStillCoversThem()
    {
        Publish(Malu, "visible 1", To());
        Publish(Malu, "hidden", To(Xinzhuang));
        Publish(Malu, "visible 2", To());

        var page = Pull(Guangshun, limit: 2);

        Assert.Equal(["visible 1", "visible 2"], page.Changes.Select(c => c.ToRow().Text("title")));
        Assert.True(page.HasMore); // a full page: the township asks once more
        var rest = Pull(Guangshun, page.NextCursor, limit: 2);
        Assert.Empty(rest.Changes);
        Assert.False(rest.HasMore);
        Assert.Equal(_world.Hub.MaxSequence(), rest.NextCursor);
    }

    [Fact]
    public void Pull_NodeIdWithUnderscore_IsNotAWildcard()
    {
        Publish(Malu, "for axb", "|axb|");

        Assert.Empty(Pull("a_b").Changes);
        Assert.Single(Pull("axb").Changes);
    }

    [Fact]
    public void Pull_NodeIdPrefixOfAnother_DoesNotSeeTheOthersRows()
    {
        Publish(Malu, "for guangshun", To(Guangshun));

        Assert.Empty(Pull("guang").Changes);
    }

    [Fact]
    public void Pull_HubOwnWrite_ReachesTownshipsWithHubOrigin()
    {
        var notice = _world.Hub.Insert(Documents, Doc("From the county", To(Guangshun)));

        var change = Assert.Single(Pull(Guangshun).Changes);
        Assert.Equal((notice.Id, "hub", notice.Hlc), (change.Id, change.Origin, change.Hlc));
        Assert.Empty(Pull(Malu).Changes);
        Assert.Equal(("hub", "|guangshun|hub|"), (Sql.HubLog(_world.Hub).Single().Writer, Sql.HubLog(_world.Hub).Single().Scope));
    }

    [Fact]
    public void Pull_Tombstone_IsSentSoTownshipsDeleteToo()
    {
        var edge = _world.Edge(Malu).Store;
        var doc = Publish(Malu, "withdrawn", To());
        edge.Delete(Documents, doc.Id);
        var batch = edge.ReadPending(500, SchemaVersion)!;
        _world.Hub.ApplyPush(Malu, batch);

        var change = Assert.Single(Pull(Guangshun).Changes);

        Assert.True(change.Deleted);
        Assert.Equal(doc.Id, change.Id);
    }

    [Fact]
    public void Pull_RecordsTheTownshipsProgress()
    {
        Publish(Malu, "a", To());
        Publish(Malu, "b", To());
        var first = Pull(Guangshun);

        Pull(Guangshun, first.NextCursor);

        var info = _world.Hub.Nodes().Single(n => n.Node == Guangshun);
        Assert.Equal((first.NextCursor, 2L, TestSchema.SchemaVersion), (info.PullCursor, info.ChangesSent, info.SchemaVersion));
        Assert.Equal(_world.HubTime.GetUtcNow(), info.LastPullUtc);
        Assert.Equal(_world.Hub.MaxSequence(), info.HubSequence);
    }

    [Fact]
    public void Pull_EmptyHub_CursorStaysWhereItWas()
    {
        var page = Pull(Guangshun, cursor: 0);

        Assert.Empty(page.Changes);
        Assert.Equal((0L, false), (page.NextCursor, page.HasMore));
    }
}
