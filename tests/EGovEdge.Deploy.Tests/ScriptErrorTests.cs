using EGovEdge.Deploy.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EGovEdge.Deploy.Tests;

/// <summary>The backup scripts refuse what they cannot vouch for, with exit codes a scheduler can act on.</summary>
public sealed class ScriptErrorTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly string _root = Directory.CreateTempSubdirectory("egov-deploy-errors-").FullName;

    [Fact]
    public async Task UsageErrors_Exit2()
    {
        var log = TestLog.To(output);
        Assert.Equal(2, (await Script.RunAsync("deploy/backup-edge.sh", [], Timeout, log: log)).ExitCode);
        Assert.Equal(2, (await Script.RunAsync("deploy/backup-edge.sh", [Path.Combine(_root, "nothing"), Path.Combine(_root, "b")], Timeout, log: log)).ExitCode);
        Assert.Equal(2, (await Script.RunAsync("deploy/backup-hub.sh", ["--keep", "x", _root, Path.Combine(_root, "b")], Timeout, log: log)).ExitCode);
        Assert.Equal(2, (await Script.RunAsync("deploy/restore-edge.sh", ["--verify-only", Path.Combine(_root, "none.tar.gz")], Timeout, log: log)).ExitCode);
        Assert.Equal(2, (await Script.RunAsync("deploy/package.sh", ["macos"], Timeout, log: log)).ExitCode);
    }

    [Fact]
    public async Task DamagedDatabase_BackupFails_NoArchiveIsLeft()
    {
        var dataDir = Directory.CreateDirectory(Path.Combine(_root, "guangshun")).FullName;
        var db = Path.Combine(dataDir, "edge.db");
        using (var conn = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                PRAGMA page_size = 4096;
                CREATE TABLE _sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO _sync_state VALUES ('node_id', 'guangshun');
                CREATE TABLE documents (id TEXT PRIMARY KEY, body TEXT NOT NULL);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                INSERT INTO documents SELECT printf('doc-%05d', i), hex(randomblob(200)) FROM n;
                """;
            cmd.ExecuteNonQuery();
        }
        // Scribble over a few pages in the middle of the table's b-tree.
        await using (var f = new FileStream(db, FileMode.Open, FileAccess.Write))
        {
            var junk = new byte[4096 * 3];
            Random.Shared.NextBytes(junk);
            f.Seek(4096 * 20 + 100, SeekOrigin.Begin);
            await f.WriteAsync(junk);
        }
        var dest = Path.Combine(_root, "backups");
        var r = await Script.RunAsync("deploy/backup-edge.sh", [dataDir, dest], Timeout, log: TestLog.To(output));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("ERROR", r.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(dest) ? Directory.GetFileSystemEntries(dest) : []);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
