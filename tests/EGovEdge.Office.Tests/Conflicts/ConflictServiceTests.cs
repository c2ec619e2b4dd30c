using EGovEdge.Office.Conflicts;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Tests.TestSupport;

namespace EGovEdge.Office.Tests.Conflicts;

/// <summary>Conflicts reviewed by a person: visible wherever the row is, resolved once, closed on every node.</summary>
public sealed class ConflictServiceTests : IDisposable
{
    private readonly OfficeWorld _world = new(new AnyoneMayWriteRules());

    public void Dispose() => _world.Dispose();

    private (string DocId, string OwnerTitle, string OtherTitle) ConcurrentEdits()
    {
        var gs = _world.Edge("guangshun");
        var malu = _world.Edge("malu");
        var doc = _world.Documents(gs).Create(new DocumentInput { Title = "原标题", DocType = "通知", Body = "正文", Recipients = ["malu"] });
        _world.SyncAll();
        // The link is down: both townships edit the same document.
        gs.Update(DocumentsTable.Name, doc.Id, OfficeWorld.Set("title", "广顺镇修改的标题"));
        _world.Time.Advance(TimeSpan.FromMinutes(5));
        malu.Update(DocumentsTable.Name, doc.Id, OfficeWorld.Set("title", "马路乡修改的标题"));
        _world.SyncAll();
        return (doc.Id, "广顺镇修改的标题", "马路乡修改的标题");
    }

    [Fact]
    public void Open_ConcurrentEditsOnTwoEdges_OneConflictVisibleAtHubAndBothEdgesWithFieldDifference()
    {
        var (docId, ownerTitle, otherTitle) = ConcurrentEdits();

        foreach (var store in new EGovEdge.Sync.Storage.ILocalStore[] { _world.Hub, _world.Edge("guangshun"), _world.Edge("malu") })
        {
            var conflict = Assert.Single(new ConflictService(store, _world.Time, _world.Text).Open());
            Assert.Equal(docId, conflict.RowId);
            Assert.Equal(otherTitle, conflict.Winner.Text("title")); // the later edit wins
            Assert.Equal(ownerTitle, conflict.Loser.Text("title"));  // the other is kept whole
            Assert.Equal(["title"], conflict.Fields.Where(f => f.Differs).Select(f => f.Field));
            Assert.Equal(otherTitle, store.Get(DocumentsTable.Name, docId)!.Text("title"));
        }
    }

    [Fact]
    public void Resolve_KeepLoserAtHub_RowTakesLoserEverywhereAndConflictClosesOnEveryNode()
    {
        var (docId, ownerTitle, _) = ConcurrentEdits();
        var atHub = new ConflictService(_world.Hub, _world.Time, _world.Text);
        var pair = Assert.Single(atHub.Open()).PairId;

        atHub.Resolve(pair, ConflictService.KeepLoser, null, "supervisor1");
        _world.SyncAll();

        foreach (var store in new EGovEdge.Sync.Storage.ILocalStore[] { _world.Hub, _world.Edge("guangshun"), _world.Edge("malu") })
        {
            Assert.Equal(ownerTitle, store.Get(DocumentsTable.Name, docId)!.Text("title"));
            Assert.Empty(new ConflictService(store, _world.Time, _world.Text).Open());
        }
    }

    [Fact]
    public void Resolve_MergedAtOwnerEdge_EveryNodeConvergesToMergedContent()
    {
        var (docId, _, _) = ConcurrentEdits();
        var atOwner = new ConflictService(_world.Edge("guangshun"), _world.Time, _world.Text);
        var pair = Assert.Single(atOwner.Open()).PairId;

        atOwner.Resolve(pair, ConflictService.KeepMerged, OfficeWorld.Set("title", "合并后的标题"), "clerk1");
        _world.SyncAll();

        foreach (var store in new EGovEdge.Sync.Storage.ILocalStore[] { _world.Hub, _world.Edge("guangshun"), _world.Edge("malu") })
        {
            Assert.Equal("合并后的标题", store.Get(DocumentsTable.Name, docId)!.Text("title"));
            Assert.Empty(new ConflictService(store, _world.Time, _world.Text).Open());
        }
    }

    [Fact]
    public void Resolve_AtATownshipThatDoesNotOwnTheRow_ForbiddenAndNothingChanges()
    {
        var (docId, _, otherTitle) = ConcurrentEdits();
        var atMalu = new ConflictService(_world.Edge("malu"), _world.Time, _world.Text);
        var pair = Assert.Single(atMalu.Open()).PairId;

        Assert.Throws<OfficeForbiddenException>(() => atMalu.Resolve(pair, ConflictService.KeepLoser, null, "clerk2"));
        Assert.Equal(otherTitle, _world.Edge("malu").Get(DocumentsTable.Name, docId)!.Text("title"));
        Assert.Single(atMalu.Open());
    }

    [Fact]
    public void Resolve_UnknownChoice_ValidationErrorAndConflictStaysOpen()
    {
        ConcurrentEdits();
        var atHub = new ConflictService(_world.Hub, _world.Time, _world.Text);
        var pair = Assert.Single(atHub.Open()).PairId;

        var ex = Assert.Throws<OfficeValidationException>(() => atHub.Resolve(pair, "both", null, "x"));
        Assert.Contains("keep", ex.Errors.Keys);
        Assert.Single(atHub.Open());
    }
}
