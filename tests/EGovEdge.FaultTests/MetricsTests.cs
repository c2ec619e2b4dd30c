using EGovEdge.FaultTests.Support;

namespace EGovEdge.FaultTests;

/// <summary>/metrics (Prometheus text) on edge and hub after real sync cycles.</summary>
[Collection(SmallCountyCollection.Name)]
public sealed class MetricsTests
{
    private readonly SmallCounty _county;
    private readonly Action<string> _log;

    public MetricsTests(SmallCounty county, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(county);
        _county = county;
        _log = TestLog.To(output);
        county.AttachOutput(_log);
    }

    [Fact]
    public async Task AfterSync_EdgeExportsCyclesAndQueueDepth_HubExportsLagPerTownship()
    {
        var edge = _county.Guangshun;
        var hub = _county.Hub;
        // A sync that moves something: a document written at the edge reaches the hub.
        var doc = await edge.Api.CreateDocumentAsync(new NewDocument("指标测试文件", Body: "正文", Recipients: ["*"]));
        await Poll.WaitUntilAsync(() => hub.Db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", doc.Id)) == 1,
            TimeSpan.FromSeconds(60), $"document {doc.Id} at the hub");
        await Quiet.WaitForEdgeAsync(edge, TimeSpan.FromSeconds(60));

        // The cycle that pushed is counted when it ends (after its pull), which may be just after the hub has the row.
        var edgeSamples = await Poll.WaitForAsync(() => Scrape(edge),
            s => s.Any(x => x.Name == "egov_sync_cycles_total" && x.Value >= 1) && s.Any(x => x.Name == "egov_sync_queue_depth")
                 && s.Any(x => x.Name == "egov_sync_rows_total" && x.Labels.GetValueOrDefault("direction") == "push" && x.Value >= 1),
            TimeSpan.FromSeconds(30), "egov_sync_cycles_total, egov_sync_queue_depth and the pushed rows in egov_sync_rows_total on the edge's /metrics");
        foreach (var s in edgeSamples.Where(x => x.Name.StartsWith("egov_", StringComparison.Ordinal) && !x.Name.EndsWith("_bucket", StringComparison.Ordinal))) _log("edge: " + s);
        var ok = edgeSamples.Where(x => x.Name == "egov_sync_cycles_total" && x.Labels.GetValueOrDefault("outcome") == "ok").Sum(x => x.Value);
        Assert.True(ok >= 1, "no successful cycle counted in egov_sync_cycles_total{outcome=\"ok\"}");
        // In sync: nothing waits, and the gauge says so.
        var depth = await Poll.WaitForAsync(async () => (await Scrape(edge)).Where(x => x.Name == "egov_sync_queue_depth").Select(x => x.Value).ToList(),
            v => v.Count == 1 && v[0] == 0, TimeSpan.FromSeconds(30), "egov_sync_queue_depth 0 while the edge is in sync");
        Assert.Equal(0, depth[0]);

        var hubSamples = await Poll.WaitForAsync(() => Scrape(hub),
            s => s.Any(x => x.Name == "egov_sync_lag" && x.Labels.GetValueOrDefault("township") == "guangshun"),
            TimeSpan.FromSeconds(30), "egov_sync_lag{township=\"guangshun\"} on the hub's /metrics");
        foreach (var s in hubSamples.Where(x => x.Name.StartsWith("egov_", StringComparison.Ordinal) && !x.Name.EndsWith("_bucket", StringComparison.Ordinal))) _log("hub: " + s);
        var lag = hubSamples.Single(x => x.Name == "egov_sync_lag" && x.Labels["township"] == "guangshun");
        Assert.True(lag.Value >= 0, lag.ToString());
        Assert.Contains(hubSamples, x => x.Name.StartsWith("egov_hub_sync_requests", StringComparison.Ordinal) && x.Labels.GetValueOrDefault("township") == "guangshun");
    }

    private static async Task<IReadOnlyList<PrometheusSample>> Scrape(NodeProcess node)
    {
        node.EnsureRunning();
        var r = await node.Api.SendAsync<object>(HttpMethod.Get, "metrics", null, anonymous: true);
        if (r.Status != 200) throw new HttpRequestException($"GET {node.BaseUrl}/metrics: {r}");
        return PrometheusSample.Parse(r.Body);
    }
}
