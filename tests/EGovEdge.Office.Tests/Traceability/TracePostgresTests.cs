using EGovEdge.Office.Localization;
using EGovEdge.Office.Traceability;
using EGovEdge.Office.Training;
using EGovEdge.Sync;
using EGovEdge.Sync.Hub;
using EGovEdge.Sync.Protocol;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using EGovEdge.Testing;
using Npgsql;

namespace EGovEdge.Office.Tests.Traceability;

/// <summary>The same traceability and training SQL against a PostgreSQL hub (EGOV_TEST_PG, set by tests/run.sh).</summary>
public sealed class TracePostgresTests : IDisposable
{
    private readonly (string Name, string ConnectionString) _db = TestPostgres.CreateDatabase(); // fails without EGOV_TEST_PG
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "egov-trace-pg-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();

    public TracePostgresTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        TestPostgres.DropDatabase(_db.Name);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Sync(EdgeStore edge, HubStore hub, int version)
    {
        while (edge.ReadPending(500, version) is { } batch) edge.AckPush(batch, hub.ApplyPush(edge.NodeId, batch));
        while (true)
        {
            var page = hub.Pull(edge.NodeId, new PullRequest { NodeId = edge.NodeId, SchemaVersion = version, Cursor = edge.PullCursor, Limit = 500 });
            edge.ApplyPulled(page);
            if (!page.HasMore) break;
        }
    }

    private TraceService Trace(ILocalStore store) =>
        new(store, _time, _services.GetRequiredService<IStringLocalizer<TraceText>>(), Options.Create(new TraceOptions()));

    private TrainingService Training(ILocalStore store) => new(store, _time, _services.GetRequiredService<IStringLocalizer<TrainingText>>());

    [Fact]
    public void PostgresHub_FindsABatchRegisteredOffline_AndPublishesTrainingResults()
    {
        var schema = OfficeSchema.Create();
        var hub = new HubStore(new PostgresHubDatabase(_db.ConnectionString), schema, _time, new OfficeWriteRules());
        var gs = new EdgeStore(Path.Combine(_dir, "guangshun.db"), "guangshun", schema, _time);

        var trace = Trace(gs);
        var actor = TraceWorld.Staff("zhang", "guangshun");
        var producer = trace.CreateProducer(new ProducerInput { Kind = TraceTables.KindFarmer, Name = "王大伯", Contact = "13812345678" }, actor);
        var product = trace.CreateProduct(new ProductInput { ProducerId = producer.Id, Name = "长顺高钙苹果" });
        var batch = trace.RegisterBatch(new BatchInput { ProductId = product.Id, ProducedOn = "2026-11-20" }, actor);
        Assert.Equal("/portal/trace/" + batch.ShortCode, batch.QrPayload); // no EGov:PublicBaseUrl: relative
        var exam = Training(hub).CreateExam(new ExamInput
        {
            Title = "小考", Period = "2026-Q4", TimeLimitMinutes = 5, PassMark = 60,
            Questions = [new() { Kind = TrainingTables.QuestionTrueFalse, Text = "每季度一次小考", Answer = [0] }],
        }, TraceWorld.Staff("admin", NodeIds.Hub));
        Sync(gs, hub, schema.Version);

        var hubTrace = Trace(hub);
        var found = hubTrace.Lookup(batch.QrPayload);
        Assert.NotNull(found);
        Assert.Equal("长顺高钙苹果", found.ProductName);
        hubTrace.AddInspection(batch.Id, new InspectionInput { InspectedOn = "2026-11-22", Agency = "县检测站", Result = TraceTables.ResultPass }, TraceWorld.Staff("admin", NodeIds.Hub));
        Assert.Single(hubTrace.Lookup(batch.ShortCode)!.Inspections);
        Assert.Single(hubTrace.Batches(search: batch.ShortCode));
        Assert.Equal(0, hubTrace.Uninspected());

        var train = Training(gs);
        train.Submit(train.Start(exam.Id, actor).Id, new SubmitInput { Answers = [[1]] }, actor);
        Sync(gs, hub, schema.Version);
        var hubTraining = Training(hub);
        var row = Assert.Single(hubTraining.Results());
        Assert.Equal(("guangshun", 1, 0), (row.Unit, row.Examined, row.Passed));
        Assert.Equal("zhang", Assert.Single(hubTraining.Retraining()).Username);
        Assert.Equal(["2026-Q4"], hubTraining.Periods());
    }
}
