using System.Globalization;
using System.Text.Json;
using EGovEdge.Cli.Tests.Support;

namespace EGovEdge.Cli.Tests;

/// <summary>Tests that need a county of their own: a hub that is down at first, and a conflict.</summary>
public sealed class OwnCountyCliTests(ITestOutputHelper output)
{
    private readonly Action<string> _log = TestLog.To(output);

    [Fact]
    public async Task Status_PendingChangesWhileHubDown_Exits1_ThenRunAndStatusExit0OnceItIsBack()
    {
        await using var ws = new TestWorkspace("cli-offline", _log);
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun]); // port reserved, not started
            var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key);
            await edge.StartAsync();
            var doc = await edge.Api.CreateDocumentAsync(new NewDocument("关于报送春耕生产进度的通知", "通知", "普通", "请于周五前报送。", []));
            await Poll.WaitUntilAsync(async () => (await edge.Api.GetSyncStatusAsync()).HubReachable == false, TimeSpan.FromSeconds(30), "the edge to notice the hub is down");

            var status = await Poll.WaitForAsync(() => EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + edge.DataDir, "--json"),
                r => r.ExitCode != 0 && r.Json.GetProperty("lastCycle").ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "a failed cycle in the history");
            Assert.Equal(1, status.ExitCode);
            var j = status.Json;
            Assert.False(j.GetProperty("inSync").GetBoolean());
            Assert.True(j.GetProperty("pendingChanges").GetInt64() >= 1, status.ToString());
            Assert.Equal("unreachable", j.GetProperty("lastCycle").GetProperty("result").GetString());
            Assert.Contains("unreachable", j.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, j.GetProperty("lastSuccessUtc").ValueKind);
            Assert.Equal(hub.BaseUrl, j.GetProperty("hubUrl").GetString());

            var text = await EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + edge.DataDir);
            Assert.True(text.ExitCode == 1, text.ToString());
            Assert.Contains("not in sync", text.Stdout, StringComparison.Ordinal);
            Assert.Contains("pending", text.Stdout, StringComparison.Ordinal);

            var run = await EdgeCli.RunAsync(_log, "run", "--EGov:DataDir=" + edge.DataDir, "--EGov:HubKey=" + County.Guangshun.Key, "--json");
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Equal("unreachable", run.Json.GetProperty("outcome").GetString());
            Assert.True(run.Json.GetProperty("pendingChanges").GetInt64() >= 1);

            await hub.StartAsync();
            var ok = await Poll.WaitForAsync(() => EdgeCli.RunAsync(_log, "run", "--EGov:DataDir=" + edge.DataDir, "--EGov:HubKey=" + County.Guangshun.Key, "--json"),
                r => r.ExitCode == 0, TimeSpan.FromSeconds(60), "sync run exit 0 once the hub is up");
            Assert.Equal("ok", ok.Json.GetProperty("outcome").GetString());
            Assert.NotNull(await hub.Api.GetDocumentAsync(doc.Id));
            // The web process's own worker may still hold its circuit open for a few seconds and record failures.
            var inSync = await Poll.WaitForAsync(() => EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + edge.DataDir, "--json"),
                r => r.ExitCode == 0, TimeSpan.FromSeconds(60), "sync status exit 0 once synced");
            Assert.Equal(0, inSync.Json.GetProperty("pendingChanges").GetInt64());
            Assert.True(inSync.Json.GetProperty("inSync").GetBoolean());
            Assert.Equal("unreachable", inSync.Json.GetProperty("lastFailure").GetProperty("result").GetString());

            var verify = await EdgeCli.RunAsync(_log, "verify", "--EGov:DataDir=" + edge.DataDir, "--EGov:HubKey=" + County.Guangshun.Key);
            Assert.True(verify.ExitCode == 0, verify.ToString());
        });
    }

    [Fact]
    public async Task Conflicts_ConcurrentVersions_Exit1_NamingTheRowAndBothSides()
    {
        await using var ws = new TestWorkspace("cli-conflict", _log);
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun]);
            await hub.StartAsync();
            var edge = ws.AddEdge("guangshun", hub.BaseUrl, County.Guangshun.Key);
            await edge.StartAsync();
            var doc = await edge.Api.CreateDocumentAsync(new NewDocument("关于调整村级办公经费的请示", "请示", "普通", "原稿。", []));
            await Poll.WaitUntilAsync(async () => await hub.Api.GetDocumentAsync(doc.Id) is not null, TimeSpan.FromSeconds(30), "the document at the hub");
            await CliCounty.WaitQuietAsync(edge);
            var none = await EdgeCli.RunAsync(_log, "conflicts", "--EGov:DataDir=" + edge.DataDir);
            Assert.True(none.ExitCode == 0, none.ToString());

            // Two versions made from the same one without seeing each other: one at the hub (written behind its back,
            // so it never travels), one at the township (through the capture trigger, so it is pushed).
            var wall = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var hubHlc = (wall + 2000).ToString("D16", CultureInfo.InvariantCulture) + ".00000@hub";
            var edgeHlc = (wall + 1000).ToString("D16", CultureInfo.InvariantCulture) + ".00000@guangshun";
            Assert.Equal(1, RawSql.Exec(hub.DatabasePath, "UPDATE documents SET title = '中心改稿', prev_hlc = hlc, hlc = @h WHERE id = @id",
                ("@id", doc.Id), ("@h", hubHlc)));
            Assert.Equal(1, RawSql.Exec(edge.DatabasePath, "UPDATE documents SET title = '乡镇改稿', prev_hlc = hlc, hlc = @h WHERE id = @id",
                ("@id", doc.Id), ("@h", edgeHlc)));

            var r = await Poll.WaitForAsync(() => EdgeCli.RunAsync(_log, "conflicts", "--EGov:DataDir=" + edge.DataDir, "--json"),
                x => x.ExitCode != 0, TimeSpan.FromSeconds(60), "the conflict to reach the township");
            Assert.Equal(1, r.ExitCode);
            var j = r.Json;
            Assert.Equal(1, j.GetProperty("count").GetInt32());
            var c = Assert.Single(j.GetProperty("conflicts").EnumerateArray());
            Assert.Equal("documents", c.GetProperty("table").GetString());
            Assert.Equal(doc.Id, c.GetProperty("rowId").GetString());
            Assert.Equal(hubHlc, c.GetProperty("winner").GetProperty("hlc").GetString());
            Assert.Equal("hub", c.GetProperty("winner").GetProperty("by").GetString());
            Assert.Equal(edgeHlc, c.GetProperty("loser").GetProperty("hlc").GetString());
            Assert.Equal("guangshun", c.GetProperty("loser").GetProperty("by").GetString());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("pairId").GetString()));
            Assert.Contains("hub", c.GetProperty("detectedBy").EnumerateArray().Select(x => x.GetString()));
            var title = Assert.Single(c.GetProperty("fields").EnumerateArray(), f => f.GetProperty("field").GetString() == "title");
            Assert.True(title.GetProperty("differs").GetBoolean());
            Assert.Equal("中心改稿", title.GetProperty("winner").GetString());
            Assert.Equal("乡镇改稿", title.GetProperty("loser").GetString());

            var text = await EdgeCli.RunAsync(_log, "conflicts", "--EGov:DataDir=" + edge.DataDir);
            Assert.True(text.ExitCode == 1, text.ToString());
            Assert.Contains(doc.Id, text.Stdout, StringComparison.Ordinal);
            Assert.Contains("乡镇改稿", text.Stdout, StringComparison.Ordinal);
            Assert.Contains("中心改稿", text.Stdout, StringComparison.Ordinal);

            var status = await EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + edge.DataDir, "--json");
            Assert.Equal(1, status.Json.GetProperty("openConflicts").GetInt64());

            // The hub kept its version, which never travelled: verify names the row.
            var verify = await EdgeCli.RunAsync(_log, "verify", "--EGov:DataDir=" + edge.DataDir, "--EGov:HubKey=" + County.Guangshun.Key, "--json");
            Assert.True(verify.ExitCode == 1, verify.ToString());
            var row = Assert.Single(verify.Json.GetProperty("rows").EnumerateArray(), x => x.GetProperty("id").GetString() == doc.Id);
            Assert.Equal("versionDiffers", row.GetProperty("kind").GetString());
        });
    }
}
