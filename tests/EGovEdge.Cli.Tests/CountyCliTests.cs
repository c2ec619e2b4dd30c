using System.Text.Json;
using EGovEdge.Cli.Tests.Support;

namespace EGovEdge.Cli.Tests;

/// <summary>Every verb against a hub holding 2,000 county-wide documents and a guangshun edge whose web process runs.</summary>
[Collection(CliCountyCollection.Name)]
public sealed class CountyCliTests
{
    private readonly CliCounty _county;
    private readonly Action<string> _log;

    public CountyCliTests(CliCounty county, ITestOutputHelper output)
    {
        _county = county;
        _log = TestLog.To(output);
        county.AttachOutput(_log);
    }

    private EdgeNode Guangshun => _county.Guangshun;

    private HubNode Hub => _county.Hub;

    [Fact]
    public async Task Status_InSync_Exits0_WithEveryField()
    {
        await CliCounty.WaitQuietAsync(Guangshun);
        var r = await Poll.WaitForAsync(() => EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + Guangshun.DataDir, "--json"),
            x => x.ExitCode == 0, TimeSpan.FromSeconds(30), "sync status exit 0 on the quiet guangshun edge");

        var j = r.Json;
        Assert.Equal("guangshun", j.GetProperty("nodeId").GetString());
        Assert.True(j.GetProperty("inSync").GetBoolean());
        Assert.Equal(0, j.GetProperty("pendingChanges").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, j.GetProperty("lastSuccessUtc").ValueKind);
        Assert.Equal("ok", j.GetProperty("lastCycle").GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("lastError").ValueKind);
        Assert.Equal(0, j.GetProperty("openConflicts").GetInt64());
        Assert.Equal(0, j.GetProperty("rejected").GetInt64());
        Assert.True(j.GetProperty("pushCursor").GetInt64() >= 0);
        Assert.True(j.GetProperty("pullCursor").GetInt64() >= CliCounty.CountyDocuments);
        Assert.True(j.GetProperty("initialPullDone").GetBoolean());
        Assert.Equal(Hub.BaseUrl, j.GetProperty("hubUrl").GetString()); // stored by the web process at startup
        Assert.Equal("stored", j.GetProperty("hubUrlSource").GetString());
        Assert.Equal("none", j.GetProperty("credential").GetString()); // this test edge uses a static key given to the web process
        var db = j.GetProperty("database");
        Assert.Equal(Guangshun.DatabasePath, db.GetProperty("path").GetString());
        Assert.True(db.GetProperty("bytes").GetInt64() > 0);
        Assert.True(db.TryGetProperty("walBytes", out _));
        Assert.True(j.TryGetProperty("lastFailure", out _));

        var text = await EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + Guangshun.DataDir);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("guangshun", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("in sync", text.Stdout, StringComparison.Ordinal);
        Assert.Contains(Guangshun.DatabasePath, text.Stdout, StringComparison.Ordinal);
        Assert.Equal("", text.Stderr);
    }

    [Fact]
    public async Task History_ListsRecentCycles_NewestFirst_UpToLimit()
    {
        var r = await EdgeCli.RunAsync(_log, "history", "--EGov:DataDir=" + Guangshun.DataDir, "--limit", "3", "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        var j = r.Json;
        Assert.Equal("guangshun", j.GetProperty("nodeId").GetString());
        var cycles = j.GetProperty("cycles").EnumerateArray().ToList();
        Assert.Equal(3, cycles.Count); // the edge syncs every second, so there are more than three
        Assert.Equal(3, j.GetProperty("count").GetInt32());
        var started = cycles.Select(c => c.GetProperty("startedUtc").GetDateTimeOffset()).ToList();
        Assert.Equal(started.OrderDescending().ToList(), started);
        foreach (var c in cycles)
        {
            foreach (var name in new[] { "durationMs", "result", "pushed", "pulled", "conflicts", "rejected", "bytesUp", "bytesDown", "error", "correlationId" })
            {
                Assert.True(c.TryGetProperty(name, out _), $"cycle without '{name}': {c}");
            }
        }
        // The cycles that brought the 2,000 documents are in the history too.
        var all = await EdgeCli.RunAsync(_log, "history", "--EGov:DataDir=" + Guangshun.DataDir, "--limit", "5000", "--json");
        Assert.True(all.Json.GetProperty("cycles").EnumerateArray().Sum(c => c.GetProperty("pulled").GetInt32()) >= CliCounty.CountyDocuments);

        var text = await EdgeCli.RunAsync(_log, "history", "--EGov:DataDir=" + Guangshun.DataDir);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("ok", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("年", text.Stdout, StringComparison.Ordinal); // China time, as the UI writes it
    }

    [Fact]
    public async Task Conflicts_NoneOpen_Exits0()
    {
        var r = await EdgeCli.RunAsync(_log, "conflicts", "--EGov:DataDir=" + Guangshun.DataDir, "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("guangshun", r.Json.GetProperty("nodeId").GetString());
        Assert.Equal(0, r.Json.GetProperty("count").GetInt32());
        Assert.Empty(r.Json.GetProperty("conflicts").EnumerateArray());
    }

    [Fact]
    public async Task Run_NextToTheRunningWebProcess_Exits0()
    {
        var r = await EdgeCli.RunAsync(_log, Args("run", Guangshun.DataDir, "--json"));

        Assert.True(r.ExitCode == 0, r.ToString());
        var j = r.Json;
        Assert.Equal("run", j.GetProperty("verb").GetString());
        Assert.Equal("ok", j.GetProperty("outcome").GetString());
        Assert.Equal(Hub.BaseUrl, j.GetProperty("hubUrl").GetString());
        foreach (var name in new[] { "pushed", "pulled", "conflicts", "rejected", "durationMs", "bytesUp", "bytesDown", "correlationId", "pullCursor", "pendingChanges" })
        {
            Assert.True(j.TryGetProperty(name, out _), $"no '{name}' in {j}");
        }
        Assert.True(j.GetProperty("bytesDown").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("error").ValueKind);

        var text = await EdgeCli.RunAsync(_log, Args("run", Guangshun.DataDir));
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("pushed", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("pulled", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AfterSync_Identical_Exits0_InOneSmallRequest()
    {
        await CliCounty.WaitQuietAsync(Guangshun);
        var r = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir, "--json"));

        Assert.True(r.ExitCode == 0, r.ToString());
        var j = r.Json;
        Assert.Equal("ok", j.GetProperty("outcome").GetString());
        Assert.True(j.GetProperty("identical").GetBoolean());
        Assert.Equal(0, j.GetProperty("differences").GetInt32());
        var tables = j.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("table").GetString()!);
        Assert.Contains("documents", tables.Keys);
        Assert.Contains("audit", tables.Keys);
        var docs = tables["documents"];
        Assert.True(docs.GetProperty("hereCount").GetInt64() >= CliCounty.CountyDocuments, r.Stdout); // other tests may add a few
        Assert.Equal(docs.GetProperty("hubCount").GetInt64(), docs.GetProperty("hereCount").GetInt64());
        Assert.Equal(docs.GetProperty("hereChecksum").GetString(), docs.GetProperty("hubChecksum").GetString());
        Assert.True(tables.Values.All(t => t.GetProperty("same").GetBoolean()), r.Stdout);
        // In sync, verify costs one request whatever the number of rows: a count and a checksum per table up, a short
        // answer down.
        Assert.Equal(1, j.GetProperty("requests").GetInt32());
        Assert.True(j.GetProperty("bytesUp").GetInt64() < 96 * tables.Count, r.Stdout);
        Assert.True(j.GetProperty("bytesDown").GetInt64() < 1024, r.Stdout);
        Assert.Empty(j.GetProperty("rows").EnumerateArray());

        var text = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir));
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("identical", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RowsChangedInHubDatabase_Exits1_NamingEachRow()
    {
        await CliCounty.WaitQuietAsync(Guangshun);
        var edited = _county.DocumentIds[17];
        var restamped = _county.DocumentIds[1234];
        var title = (string)Hub.Db.Scalar("SELECT title FROM documents WHERE id = @id", ("@id", edited))!;
        var hlc = (string)Hub.Db.Scalar("SELECT hlc FROM documents WHERE id = @id", ("@id", restamped))!;
        var otherHlc = hlc[..17] + (hlc[17..22] == "99999" ? "99998" : "99999") + hlc[22..]; // same wall time, another counter
        try
        {
            // Behind the hub's back (it has no triggers): new content under the same version, and a version stamp changed.
            Assert.Equal(1, RawSql.Exec(Hub.DatabasePath, "UPDATE documents SET title = '篡改的标题' WHERE id = @id", ("@id", edited)));
            Assert.Equal(1, RawSql.Exec(Hub.DatabasePath, "UPDATE documents SET hlc = @h WHERE id = @id", ("@id", restamped), ("@h", otherHlc)));

            var r = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir, "--json"));

            Assert.True(r.ExitCode == 1, r.ToString());
            var j = r.Json;
            Assert.False(j.GetProperty("identical").GetBoolean());
            Assert.Equal(2, j.GetProperty("differences").GetInt32());
            var rows = j.GetProperty("rows").EnumerateArray().ToDictionary(x => x.GetProperty("id").GetString()!);
            Assert.Equal(2, rows.Count);
            Assert.Equal("contentDiffers", rows[edited].GetProperty("kind").GetString());
            Assert.Equal("documents", rows[edited].GetProperty("table").GetString());
            Assert.True(rows[edited].GetProperty("difference").GetBoolean());
            Assert.Equal(rows[edited].GetProperty("here").GetProperty("hlc").GetString(), rows[edited].GetProperty("hub").GetProperty("hlc").GetString());
            Assert.Equal("versionDiffers", rows[restamped].GetProperty("kind").GetString());
            Assert.Equal(hlc, rows[restamped].GetProperty("here").GetProperty("hlc").GetString());
            Assert.Equal(otherHlc, rows[restamped].GetProperty("hub").GetProperty("hlc").GetString());
            var docs = j.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "documents");
            Assert.False(docs.GetProperty("same").GetBoolean());
            Assert.True(docs.GetProperty("hubCount").GetInt64() >= CliCounty.CountyDocuments);
            Assert.InRange(docs.GetProperty("bucketsDiffering").GetInt32(), 1, 2);
            // Only the differing buckets travel: one summary request plus one for the buckets.
            Assert.Equal(2, j.GetProperty("requests").GetInt32());

            var text = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir));
            Assert.True(text.ExitCode == 1, text.ToString());
            Assert.Contains(edited, text.Stdout, StringComparison.Ordinal);
            Assert.Contains(restamped, text.Stdout, StringComparison.Ordinal);
            Assert.Contains("same version, other content", text.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            RawSql.Exec(Hub.DatabasePath, "UPDATE documents SET title = @t WHERE id = @id", ("@id", edited), ("@t", title));
            RawSql.Exec(Hub.DatabasePath, "UPDATE documents SET hlc = @h WHERE id = @id", ("@id", restamped), ("@h", hlc));
        }
        var again = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir, "--json"));
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task Verify_RowDeletedAtEdgeWithRawSql_Exits1_MissingHere()
    {
        await CliCounty.WaitQuietAsync(Guangshun);
        var id = _county.DocumentIds[999];
        var saved = Guangshun.Db.Rows("SELECT * FROM documents WHERE id = @id", ("@id", id)).Single();
        Assert.Equal(1, RawSql.ExecAtEdgeUncaptured(Guangshun.DatabasePath, "DELETE FROM documents WHERE id = @id", ("@id", id)));
        try
        {
            var r = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir, "--json"));

            Assert.True(r.ExitCode == 1, r.ToString());
            var row = Assert.Single(r.Json.GetProperty("rows").EnumerateArray());
            Assert.Equal(id, row.GetProperty("id").GetString());
            Assert.Equal("missingHere", row.GetProperty("kind").GetString());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("here").ValueKind);
            Assert.Equal(saved["hlc"], row.GetProperty("hub").GetProperty("hlc").GetString());
            var docs = r.Json.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "documents");
            Assert.Equal(docs.GetProperty("hubCount").GetInt64() - 1, docs.GetProperty("hereCount").GetInt64());

            var text = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir));
            Assert.True(text.ExitCode == 1, text.ToString());
            Assert.Contains(id, text.Stdout, StringComparison.Ordinal);
            Assert.Contains("missing here", text.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            var columns = saved.Keys.ToList();
            RawSql.ExecAtEdgeUncaptured(Guangshun.DatabasePath,
                $"INSERT INTO documents ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})",
                [.. columns.Select(c => ("@" + c, saved[c]))]);
        }
        var again = await EdgeCli.RunAsync(_log, Args("verify", Guangshun.DataDir, "--json"));
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task Verify_PendingLocalChange_IsListedAsPending_NotADifference()
    {
        var dir = _county.NewDataDir("malu-pending");
        var boot = await EdgeCli.RunAsync(_log, With("bootstrap", dir, Hub.BaseUrl, County.Malu.Key, "--EGov:NodeId=malu", "--json"));
        Assert.True(boot.ExitCode == 0, boot.ToString());
        // A local edit the hub has not seen: through the capture trigger (a newer version stamp), as the app would write it.
        var id = _county.DocumentIds[5];
        var hlc = (string)new SqliteProbe(Path.Combine(dir, "edge.db")).Scalar("SELECT hlc FROM documents WHERE id = @id", ("@id", id))!;
        var wall = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("D16", System.Globalization.CultureInfo.InvariantCulture);
        RawSql.Exec(Path.Combine(dir, "edge.db"), "UPDATE documents SET title = '本地修改', prev_hlc = hlc, hlc = @h WHERE id = @id",
            ("@id", id), ("@h", wall + ".00000@malu"));
        Assert.True(string.CompareOrdinal(wall + ".00000@malu", hlc) > 0);

        var r = await EdgeCli.RunAsync(_log, With("verify", dir, Hub.BaseUrl, County.Malu.Key, "--json"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(r.Json.GetProperty("identical").GetBoolean());
        Assert.Equal(1, r.Json.GetProperty("pending").GetInt32());
        var row = Assert.Single(r.Json.GetProperty("rows").EnumerateArray());
        Assert.Equal(id, row.GetProperty("id").GetString());
        Assert.Equal("pending", row.GetProperty("kind").GetString());
        Assert.False(row.GetProperty("difference").GetBoolean());

        var status = await EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + dir, "--json");
        Assert.True(status.ExitCode == 1, status.ToString()); // something is pending
        Assert.Equal(1, status.Json.GetProperty("pendingChanges").GetInt64());
    }

    [Fact]
    public async Task Bootstrap_FreshDataDir_PullsTheWholeScope_WithOneProgressLinePerPage()
    {
        var dir = _county.NewDataDir("malu");
        var r = await EdgeCli.RunAsync(_log, With("bootstrap", dir, Hub.BaseUrl, County.Malu.Key, "--EGov:NodeId=malu"));

        Assert.True(r.ExitCode == 0, r.ToString());
        var pages = r.Stdout.Split('\n').Where(l => l.StartsWith("page ", StringComparison.Ordinal)).ToList();
        Assert.True(pages.Count >= 2, r.ToString()); // not a terminal: one plain line per page (pages grow while the link is fast)
        Assert.All(pages, l => Assert.Contains("%", l, StringComparison.Ordinal));
        Assert.Contains("100%", pages[^1], StringComparison.Ordinal);
        Assert.Contains("time left", pages[0], StringComparison.Ordinal);
        Assert.Contains("complete", r.Stdout, StringComparison.Ordinal);
        var db = new SqliteProbe(Path.Combine(dir, "edge.db"));
        Assert.Equal(Hub.Db.Long("SELECT COUNT(*) FROM documents WHERE recipients = '*'"), db.Long("SELECT COUNT(*) FROM documents"));
        Assert.Equal("malu", db.Scalar("SELECT value FROM _sync_state WHERE key = 'node_id'"));
        Assert.Equal(Hub.BaseUrl, db.Scalar("SELECT value FROM _sync_state WHERE key = 'hub_url'")); // remembered for later calls

        // The new edge now agrees with the hub, and later calls need neither the hub's address nor the node id.
        var verify = await EdgeCli.RunAsync(_log, With("verify", dir, null, County.Malu.Key));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var status = await EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + dir, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("malu", status.Json.GetProperty("nodeId").GetString());

        // `run` without any web process: a new county-wide document arrives.
        var doc = await Hub.Api.CreateDocumentAsync(new NewDocument("关于召开全县安全生产会议的通知", "通知", "加急", "请各乡镇参会。", ["*"]));
        var run = await EdgeCli.RunAsync(_log, With("run", dir, null, County.Malu.Key, "--json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Json.GetProperty("pulled").GetInt32() >= 1, run.ToString());
        Assert.Equal(1, db.Long("SELECT COUNT(*) FROM documents WHERE id = @id", ("@id", doc.Id)));
    }

    [Fact]
    public async Task Bootstrap_OnATerminal_DrawsOneBarInPlace()
    {
        var dir = _county.NewDataDir("malu-tty");
        var r = await EdgeCli.RunOnTerminalAsync(_log, With("bootstrap", dir, Hub.BaseUrl, County.Malu.Key, "--EGov:NodeId=malu"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("\r[#", r.Stdout, StringComparison.Ordinal); // redrawn in place with a carriage return
        Assert.Contains("] 100%", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("剩余 left", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("page 1:", r.Stdout, StringComparison.Ordinal);
        Assert.True(r.Stdout.Split('\r').Count(x => x.StartsWith('[')) >= 2, r.ToString());
    }

    [Fact]
    public async Task Bootstrap_Json_ProgressGoesToStderr_AndStdoutIsOneDocument()
    {
        var dir = _county.NewDataDir("baisuo-json");
        var r = await EdgeCli.RunAsync(_log, With("bootstrap", dir, Hub.BaseUrl, County.Baisuo.Key, "--EGov:NodeId=baisuo", "--json"));

        Assert.True(r.ExitCode == 0, r.ToString());
        var j = r.Json;
        Assert.Equal("bootstrap", j.GetProperty("verb").GetString());
        Assert.Equal("ok", j.GetProperty("outcome").GetString());
        Assert.Equal("baisuo", j.GetProperty("nodeId").GetString());
        Assert.True(j.GetProperty("received").GetInt64() >= CliCounty.CountyDocuments);
        Assert.True(j.GetProperty("pulled").GetInt32() >= CliCounty.CountyDocuments);
        Assert.True(j.GetProperty("pages").GetInt32() >= 2);
        Assert.Equal(j.GetProperty("pages").GetInt32(), r.Stderr.Split('\n').Count(l => l.StartsWith("page ", StringComparison.Ordinal)));
        Assert.True(j.GetProperty("initialPullDone").GetBoolean());
        Assert.False(j.GetProperty("resumed").GetBoolean());
        Assert.Equal(0, j.GetProperty("pendingChanges").GetInt64());
        Assert.Contains("page 1:", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_InterruptedMidway_ContinuesFromTheLastPageApplied()
    {
        var dir = _county.NewDataDir("baisuo-resume");
        var proxy = _county.Workspace.AddProxy(Hub.Port);
        int total;
        long firstReceived;
        // The link breaks for good at the third page (every retry of it fails too).
        using (proxy.OnRequest("POST /api/sync/pull ", req => req.Occurrence >= 3 ? ProxyVerdict.DropConnection : ProxyVerdict.Forward))
        {
            var first = await EdgeCli.RunAsync(_log, With("bootstrap", dir, proxy.Url, County.Baisuo.Key, "--EGov:NodeId=baisuo", "--json"));

            Assert.True(first.ExitCode == 1, first.ToString());
            var j = first.Json;
            Assert.Equal("unreachable", j.GetProperty("outcome").GetString());
            Assert.False(j.GetProperty("initialPullDone").GetBoolean());
            firstReceived = j.GetProperty("received").GetInt64();
            Assert.Equal(2, j.GetProperty("pages").GetInt32()); // two pages were applied and acknowledged
            Assert.True(firstReceived >= 1000, first.ToString());
            Assert.True(j.GetProperty("pullCursor").GetInt64() > 0);
            var db = new SqliteProbe(Path.Combine(dir, "edge.db"));
            total = (int)ReplicatedRows(db);
            Assert.Equal(firstReceived, total);
        }

        var second = await EdgeCli.RunAsync(_log, With("bootstrap", dir, proxy.Url, County.Baisuo.Key, "--json"));

        Assert.True(second.ExitCode == 0, second.ToString());
        var k = second.Json;
        Assert.True(k.GetProperty("resumed").GetBoolean());
        Assert.True(k.GetProperty("initialPullDone").GetBoolean());
        var verify = await EdgeCli.RunAsync(_log, With("verify", dir, proxy.Url, County.Baisuo.Key, "--json"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var inScope = verify.Json.GetProperty("tables").EnumerateArray().Sum(t => t.GetProperty("hubCount").GetInt64());
        // Nothing was fetched twice: the second run started after the last page the first one applied.
        Assert.Equal(inScope, firstReceived + k.GetProperty("received").GetInt64());
        Assert.True(k.GetProperty("received").GetInt64() < inScope);
    }

    [Fact]
    public async Task HubUnreachable_BootstrapRunAndVerify_Exit1_AndStatusReportsTheFailure()
    {
        var dir = _county.NewDataDir("malu-down");
        var closed = $"http://127.0.0.1:{FreePorts.Next()}";

        var boot = await EdgeCli.RunAsync(_log, With("bootstrap", dir, closed, County.Malu.Key, "--EGov:NodeId=malu", "--json"));
        Assert.True(boot.ExitCode == 1, boot.ToString());
        Assert.Equal("unreachable", boot.Json.GetProperty("outcome").GetString());
        Assert.Contains("unreachable", boot.Json.GetProperty("error").GetString(), StringComparison.Ordinal);

        var run = await EdgeCli.RunAsync(_log, With("run", dir, closed, County.Malu.Key));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("unreachable", run.Stdout, StringComparison.Ordinal);

        var verify = await EdgeCli.RunAsync(_log, With("verify", dir, closed, County.Malu.Key, "--json"));
        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Equal("unreachable", verify.Json.GetProperty("outcome").GetString());

        var status = await EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + dir, "--json");
        Assert.True(status.ExitCode == 1, status.ToString());
        Assert.Equal("unreachable", status.Json.GetProperty("lastCycle").GetProperty("result").GetString());
        Assert.Contains("unreachable", status.Json.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, status.Json.GetProperty("lastSuccessUtc").ValueKind);

        var wrongKey = await EdgeCli.RunAsync(_log, With("run", dir, Hub.BaseUrl, "not-the-key", "--json"));
        Assert.True(wrongKey.ExitCode == 1, wrongKey.ToString());
        Assert.Equal("refused", wrongKey.Json.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task NodeIdNotMatchingTheDatabase_IsAUsageError()
    {
        var r = await EdgeCli.RunAsync(_log, "status", "--EGov:DataDir=" + Guangshun.DataDir, "--EGov:NodeId=malu");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("belongs to township 'guangshun'", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    /// <summary>Rows of every replicated table (those with the engine's hlc column) in an edge database.</summary>
    private static long ReplicatedRows(SqliteProbe db) =>
        db.Strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\'")
            .Where(t => db.Long("SELECT COUNT(*) FROM pragma_table_info(@t) WHERE name = 'hlc'", ("@t", t)) == 1)
            .Sum(t => db.Long($"SELECT COUNT(*) FROM \"{t}\""));

    private string[] Args(string verb, string dataDir, params string[] more) =>
        With(verb, dataDir, Hub.BaseUrl, County.Guangshun.Key, more);

    private static string[] With(string verb, string dataDir, string? hub, string? key, params string[] more) =>
        [verb, .. EdgeCli.Args(dataDir, hub, key, more)];
}
