using EGovEdge.Office.Documents;
using EGovEdge.Office.Tests.TestSupport;

namespace EGovEdge.Office.Tests.Documents;

public sealed class DocumentServiceTests : IDisposable
{
    private readonly OfficeWorld _world = new();

    public void Dispose() => _world.Dispose();

    public DocumentServiceTests()
    {
        _world.Edge("guangshun");
        _world.Edge("malu");
    }

    private DocumentService Gs => _world.Documents(_world.Edge("guangshun"));

    private static DocumentInput Valid(string title = "关于做好冬春森林防火工作的通知") =>
        new() { Title = title, DocType = "通知", Urgency = "加急", Body = "各村：", Recipients = ["malu"] };

    [Theory]
    [InlineData("", "通知", "普通", "title")]
    [InlineData("标题", "通告函", "普通", "docType")]
    [InlineData("标题", "通知", "平急", "urgency")]
    public void Create_BadField_ValidationErrorNamesTheFieldAndNothingIsStored(string title, string docType, string urgency, string field)
    {
        var ex = Assert.Throws<OfficeValidationException>(() =>
            Gs.Create(new DocumentInput { Title = title, DocType = docType, Urgency = urgency }));

        Assert.Contains(field, ex.Errors.Keys);
        Assert.Equal(0, Gs.List(new DocumentQuery()).Total);
        Assert.Equal(0, _world.Edge("guangshun").PendingRowCount());
    }

    [Fact]
    public void Create_BodyOverOneMegabyte_RejectedInChinese()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        var input = Valid();
        input.Body = new string('文', DocumentService.MaxBodyBytes / 3 + 1);

        var ex = Assert.Throws<OfficeValidationException>(() => Gs.Create(input));

        Assert.Equal("正文不能超过1MB", Assert.Single(ex.Errors["body"]));
    }

    [Fact]
    public void Create_RecipientsWithCountyAndATownship_Rejected()
    {
        var input = Valid();
        input.Recipients = ["*", "malu"];

        Assert.Contains("recipients", Assert.Throws<OfficeValidationException>(() => Gs.Create(input)).Errors.Keys);
    }

    [Fact]
    public void Create_ValidDocument_StoredCapturedAndListedAsSent()
    {
        var doc = Gs.Create(Valid());

        Assert.Equal(("guangshun", "通知", "加急"), (doc.OriginNode, doc.DocType, doc.Urgency));
        Assert.Equal(["malu"], doc.Recipients);
        Assert.Equal(1, _world.Edge("guangshun").PendingRowCount()); // the document (its audit entry travels with it)
        Assert.Equal(doc.Id, Assert.Single(Gs.List(new DocumentQuery(Box: DocumentBox.Sent)).Items).Id);
        Assert.Empty(Gs.List(new DocumentQuery(Box: DocumentBox.Received)).Items);
    }

    [Fact]
    public void List_AfterSync_AddresseeSeesItAsReceivedAndAnotherTownshipDoesNot()
    {
        var doc = Gs.Create(Valid());
        _world.Edge("xinzhuang");
        _world.SyncAll();

        var malu = _world.Documents(_world.Edge("malu"));
        Assert.Equal(doc.Id, Assert.Single(malu.List(new DocumentQuery(Box: DocumentBox.Received)).Items).Id);
        Assert.Equal(0, _world.Documents(_world.Edge("xinzhuang")).List(new DocumentQuery()).Total);
    }

    [Fact]
    public void Update_DocumentOfAnotherTownship_Forbidden()
    {
        var doc = Gs.Create(Valid());
        _world.SyncAll();
        var malu = _world.Documents(_world.Edge("malu"));

        Assert.Throws<OfficeForbiddenException>(() => malu.Update(doc.Id, new DocumentUpdate { Title = "改" }));
        Assert.Throws<OfficeForbiddenException>(() => malu.Delete(doc.Id));
        Assert.Equal(doc.Title, malu.Get(doc.Id)!.Title);
    }

    [Fact]
    public void Delete_OwnDocument_GoneHereAndAtTheAddresseeAfterSync()
    {
        var doc = Gs.Create(Valid());
        _world.SyncAll();

        Assert.True(Gs.Delete(doc.Id));
        _world.SyncAll();

        Assert.Null(Gs.Get(doc.Id));
        Assert.Null(_world.Documents(_world.Edge("malu")).Get(doc.Id));
        Assert.True(_world.Hub.Get(DocumentsTable.Name, doc.Id)!.Deleted);
    }

    [Fact]
    public void List_SearchWithLikeWildcards_MatchesLiterally()
    {
        Gs.Create(Valid("关于100%完成任务的通报"));
        Gs.Create(Valid("关于做好防汛工作的通知"));

        Assert.Single(Gs.List(new DocumentQuery(Search: "100%")).Items);
        Assert.Empty(Gs.List(new DocumentQuery(Search: "_")).Items);
    }
}
