using System.Text;
using EGovEdge.FaultTests.Support;

namespace EGovEdge.FaultTests;

/// <summary>
/// Hostile or broken requests straight at the hub's sync endpoint, with a valid township key: damaged bodies are refused
/// whole (400 problem details, nothing applied, the township's push sequence unmoved); replays and late deliveries are
/// answered "duplicate" and change nothing; a row stamped a day or more ahead is refused with its reason while the rest
/// of its batch applies and the hub's clock stays where it was.
/// </summary>
[Collection(SmallCountyCollection.Name)]
public sealed class BadBatchTests
{
    private readonly SmallCounty _county;
    private readonly Action<string> _log;

    public BadBatchTests(SmallCounty county, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(county);
        _county = county;
        _log = TestLog.To(output);
        county.AttachOutput(_log);
    }

    private HubNode Hub => _county.Hub;

    private SyncWire Wire(Township t) => new(Hub.BaseUrl, t, _county.SchemaVersion);

    private static string NewStore() => "fault-store-" + Guid.NewGuid().ToString("N")[..10];

    private static PushBatch ThreeNewDocuments(string node, string what)
    {
        var now = DateTimeOffset.UtcNow;
        var docs = Enumerable.Range(1, 3)
            .Select(i => DocVersion.New(node, $"{what} 第{i}号 [{Guid.NewGuid().ToString("N")[..6]}]", $"{what}：正文 {i}。" + new string('文', 400), now, i))
            .ToList();
        return new PushBatch(NewStore(), 1, 3, docs);
    }

    public static TheoryData<string> Damages => ["truncated gzip", "corrupted gzip", "malformed json", "json that is not gzip", "json of another shape", "empty body"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task DamagedBody_Answered400ProblemDetails_NothingApplied_IntactBatchThenApplies(string damage)
    {
        using var wire = Wire(County.Malu);
        var batch = ThreeNewDocuments("malu", "损坏请求测试");
        var json = batch.ToJson("malu", wire.SchemaVersion);
        var good = SyncWire.Gzip(json);
        var (body, gzipHeader) = damage switch
        {
            "truncated gzip" => (good[..(good.Length / 2)], true),
            "corrupted gzip" => (Corrupt(good), true),
            "malformed json" => (SyncWire.Gzip(json[..^40] + "}}]"), true),
            "json that is not gzip" => (Encoding.UTF8.GetBytes(json), true),
            "json of another shape" => (SyncWire.Gzip("""{"nodeId":"malu","changes":"all of them"}"""), true),
            "empty body" => ([], true),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };

        var before = HubState.Of(Hub, "malu");
        var answer = await wire.PostPushAsync(body, gzipHeader);
        _log($"{damage} ({body.Length} of {good.Length} bytes): {answer}");

        Assert.True(answer.Status == 400, $"{damage}: expected 400, got {answer}");
        Assert.Equal("application/problem+json", answer.ContentType);
        var title = answer.Json.TryGetProperty("title", out var t) ? t.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(title), $"{damage}: the problem has no title: {answer}");
        Assert.Equal(400, answer.Json.GetProperty("status").GetInt32());
        Hub.EnsureRunning();
        Assert.Equal(before, HubState.Of(Hub, "malu"));
        foreach (var d in batch.Changes) Assert.Equal(0, Hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", d.Id)));

        // The same batch intact: applied in full, so the damaged delivery had not advanced the township's sequence.
        var intact = await wire.PushAsync(batch);
        Assert.True(intact.Status == 200, $"intact batch after '{damage}': {intact}");
        Assert.False(intact.Duplicate, $"intact batch after '{damage}' answered duplicate: {intact}");
        Assert.Equal(3, intact.Applied);
        Assert.Empty(intact.Rejected);
        AssertEachOnce(batch);
        var after = HubState.Of(Hub, "malu");
        Assert.Equal(3, after.PushAcked);
        Assert.Equal(before.LogRows + 3, after.LogRows);
    }

    [Fact]
    public async Task UploadCutMidBody_NothingApplied_IntactBatchThenApplies()
    {
        using var wire = Wire(County.Baisuo);
        var batch = ThreeNewDocuments("baisuo", "上传中断测试");
        var good = SyncWire.Gzip(batch.ToJson("baisuo", wire.SchemaVersion));
        var before = HubState.Of(Hub, "baisuo");

        await wire.SendCutMidBodyAsync(good, good.Length / 2);
        _log($"sent {good.Length / 2} of {good.Length} body bytes, then reset the connection");

        var intact = await wire.PushAsync(batch);
        Assert.True(intact.Status == 200, intact.ToString());
        Assert.False(intact.Duplicate, $"the intact batch was answered duplicate: the cut upload had been applied: {intact}");
        Assert.Equal(3, intact.Applied);
        AssertEachOnce(batch);
        var after = HubState.Of(Hub, "baisuo");
        Assert.Equal(before.LogRows + 3, after.LogRows);
        Assert.Equal(before.ChangesReceived + 3, after.ChangesReceived);
        Assert.Equal(3, after.PushAcked);
        Hub.EnsureRunning();
    }

    [Fact]
    public async Task ReplayedBatch_AndOldBatchAfterNewer_AnsweredDuplicate_NothingChanges()
    {
        using var wire = Wire(County.Malu);
        var store = NewStore();
        var now = DateTimeOffset.UtcNow;
        var a1 = DocVersion.New("malu", "重放测试 A1", "第一版正文", now, 1);
        var a2 = DocVersion.New("malu", "重放测试 A2", "A2 正文", now, 2);
        var batchA = new PushBatch(store, 1, 2, [a1, a2]);
        var a1Edited = a1.Edit("重放测试 A1（修订）", "第二版正文", now.AddMilliseconds(50), 0);
        var b1 = DocVersion.New("malu", "重放测试 B1", "B1 正文", now.AddMilliseconds(50), 1);
        var batchB = new PushBatch(store, 3, 4, [a1Edited, b1]);

        var first = await wire.PushAsync(batchA);
        Assert.True(first.Status == 200 && !first.Duplicate && first.Applied == 2, $"batch A: {first}");
        var afterA = HubState.Of(Hub, "malu");

        var again = await wire.PushAsync(batchA);
        _log($"batch A again: {again}");
        Assert.True(again.Status == 200, again.ToString());
        Assert.True(again.Duplicate, $"batch A delivered twice was not answered duplicate: {again}");
        Assert.Equal(0, again.Applied);
        Assert.Equal(2, again.AckedSeq);
        Assert.Equal(afterA, HubState.Of(Hub, "malu"));

        var second = await wire.PushAsync(batchB);
        Assert.True(second.Status == 200 && !second.Duplicate && second.Applied == 2, $"batch B: {second}");
        var afterB = HubState.Of(Hub, "malu");
        Assert.Equal(a1Edited.Hlc, HubVersion(a1.Id));

        var late = await wire.PushAsync(batchA);
        _log($"batch A after batch B: {late}");
        Assert.True(late.Status == 200 && late.Duplicate, $"old batch A after B was not answered duplicate: {late}");
        Assert.Equal(4, late.AckedSeq);
        Assert.Equal(afterB, HubState.Of(Hub, "malu"));
        Assert.Equal(a1Edited.Hlc, HubVersion(a1.Id)); // not taken back to A's version
        Assert.Equal("重放测试 A1（修订）", Hub.Db.Scalar("SELECT title FROM documents WHERE id = @id", ("@id", a1.Id)));

        var bAgain = await wire.PushAsync(batchB);
        Assert.True(bAgain.Status == 200 && bAgain.Duplicate, $"batch B twice: {bAgain}");
        Assert.Equal(afterB, HubState.Of(Hub, "malu"));

        // One batch delivered three times at once (a retry racing the original): applied once, the others duplicate.
        var c = new PushBatch(store, 5, 7,
            [.. Enumerable.Range(1, 3).Select(i => DocVersion.New("malu", $"并发重放测试 C{i}", "C 正文", now.AddMilliseconds(100), i))]);
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => wire.PushAsync(c)));
        foreach (var a in answers) _log($"batch C, concurrent delivery: {a}");
        Assert.All(answers, a => Assert.True(a.Status == 200, $"concurrent delivery of one batch: {a}"));
        Assert.Single(answers, a => !a.Duplicate);
        Assert.Equal(3, answers.Single(a => !a.Duplicate).Applied);
        AssertEachOnce(c);
        var afterC = HubState.Of(Hub, "malu");
        Assert.Equal(7, afterC.PushAcked);
        Assert.Equal(afterB.LogRows + 3, afterC.LogRows);
        Assert.Equal(afterB.ChangesReceived + 3, afterC.ChangesReceived);
        Hub.EnsureRunning();
    }

    [Fact]
    public async Task BatchFromTheFuture_ThatRowRefusedWithReason_RestApplies_HubClockUnmoved()
    {
        using var wire = Wire(County.Malu);
        var now = DateTimeOffset.UtcNow;
        var f1 = DocVersion.New("malu", "时钟测试 正常一", "正文", now, 1);
        var ahead = DocVersion.New("malu", "时钟测试 快了两天", "这台机器的时钟快了两天", now.AddDays(2), 0);
        var f3 = DocVersion.New("malu", "时钟测试 正常二", "正文", now, 2);
        var batch = new PushBatch(NewStore(), 1, 3, [f1, ahead, f3]);
        var before = HubState.Of(Hub, "malu");

        var answer = await wire.PushAsync(batch);
        _log($"batch with a row two days ahead: {answer}");
        Assert.True(answer.Status == 200 && !answer.Duplicate, answer.ToString());
        Assert.Equal(2, answer.Applied);
        var rejected = Assert.Single(answer.Rejected);
        Assert.Equal(ahead.Id, rejected.GetProperty("id").GetString());
        Assert.Equal(ahead.Hlc, rejected.GetProperty("hlc").GetString());
        var reason = rejected.GetProperty("reason").GetString() ?? "";
        Assert.Contains("future", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("invalid", rejected.GetProperty("kind").GetString());

        Assert.Equal(1, Hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", f1.Id)));
        Assert.Equal(1, Hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", f3.Id)));
        Assert.Equal(0, Hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", ahead.Id)));
        Assert.Equal(0, Hub.Db.Long("SELECT COUNT(*) FROM hub_log WHERE row_id = @id", ("@id", ahead.Id)));
        var kept = Hub.Db.Rows("SELECT reason, node FROM hub_rejected WHERE row_id = @id", ("@id", ahead.Id));
        Assert.True(kept.Count == 1, $"the refused row is not recorded at the hub (hub_rejected): {kept.Count} records");
        Assert.Equal("malu", kept[0]["node"]);
        var after = HubState.Of(Hub, "malu");
        Assert.Equal(before.LogRows + 2, after.LogRows);
        Assert.Equal(3, after.PushAcked);

        // The hub's clock did not move to the township's: the hub's next version is stamped now, not two days ahead.
        var doc = await Hub.Api.CreateDocumentAsync(new NewDocument("时钟测试 中心新文件", Body: "正文"));
        var wall = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(doc.Version[..16], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(wall < DateTimeOffset.UtcNow.AddMinutes(5), $"the hub stamped its next write {doc.Version} ({wall:u}): its clock followed the refused stamp");
    }

    private string? HubVersion(string id) => Hub.Db.Scalar("SELECT hlc FROM documents WHERE id = @id", ("@id", id)) as string;

    /// <summary>Every row of the batch is at the hub exactly once, in the batch's version, with one hub_log entry.</summary>
    private void AssertEachOnce(PushBatch batch)
    {
        foreach (var d in batch.Changes)
        {
            Assert.Equal(1, Hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", d.Id)));
            Assert.Equal(d.Hlc, HubVersion(d.Id));
            Assert.Equal(1, Hub.Db.Long("SELECT COUNT(*) FROM hub_log WHERE tbl = 'documents' AND row_id = @id", ("@id", d.Id)));
        }
    }

    /// <summary>Flips 16 bytes in the middle of the compressed stream (the gzip header and trailer stay intact).</summary>
    private static byte[] Corrupt(byte[] gzip)
    {
        var copy = (byte[])gzip.Clone();
        var mid = copy.Length / 2;
        for (var i = mid; i < mid + 16 && i < copy.Length - 8; i++) copy[i] ^= 0x5A;
        return copy;
    }
}
