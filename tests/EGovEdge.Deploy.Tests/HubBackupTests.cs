using EGovEdge.Deploy.Tests.Support;
using Npgsql;

namespace EGovEdge.Deploy.Tests;

/// <summary>deploy/backup-hub.sh and deploy/restore-hub.sh against a running hub, SQLite and PostgreSQL.</summary>
public sealed class HubBackupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);
    private const long SequenceGap = 1_000_000_000;

    [Fact]
    public async Task Sqlite_BackupWhileWriting_RestoreIntoNewDataDir_HoldsEverythingAcknowledgedBefore()
    {
        await using var ws = new TestWorkspace("backup-hub-sqlite", TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var hub = ws.AddHub([County.Guangshun]);
            await hub.StartAsync();
            var dest = Path.Combine(ws.Root, "backups");

            await using var writer = new DocumentWriter(hub.Api, "县级发文");
            writer.Start();
            await writer.WaitForAsync(30, TimeSpan.FromSeconds(60));
            var before = writer.Acknowledged;
            var backup = await Script.RunAsync("deploy/backup-hub.sh", [hub.DataDir, dest], ScriptTimeout, log: ws.Log);
            await writer.WaitForAsync(writer.Count + 5, TimeSpan.FromSeconds(60));
            await writer.StopAsync();
            Assert.True(backup.ExitCode == 0, backup.ToString());
            var archive = backup.LastLine;
            Assert.Matches(@"/hub-\d{8}T\d{6}Z(-\d+)?\.tar\.gz$", archive);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
            hub.EnsureRunning();

            var restored = ws.AddHub([County.Guangshun], dirName: "hub-restored");
            var restore = await Script.RunAsync("deploy/restore-hub.sh", ["--no-service", archive, restored.DataDir], ScriptTimeout, log: ws.Log);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Equal("ok", restored.Db.Scalar("PRAGMA integrity_check"));
            await restored.StartAsync();

            var ids = (await restored.Api.ListAllDocumentsAsync()).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            Assert.All(before, d => Assert.Contains(d.Id, ids));

            // The hub sequence continues far above anything a township may have pulled from the lost hub.
            var next = await restored.Api.CreateDocumentAsync(new NewDocument("恢复后的县级发文"));
            Assert.True(restored.Db.Long("SELECT hub_seq FROM hub_log WHERE row_id = @id", ("@id", next.Id)) > SequenceGap);
            Assert.Equal("ok", restored.Db.Scalar("PRAGMA integrity_check"));
        });
    }

    [Fact]
    public async Task Postgres_BackupWithPgDump_RestoreOverDamagedDatabase_BackToTheBackup()
    {
        await using var ws = new TestWorkspace("backup-hub-pg", TestLog.To(output));
        using var db = new PostgresDatabase();
        await ws.RunAsync(async () =>
        {
            var envFile = Path.Combine(ws.Root, "hub.env");
            await File.WriteAllTextAsync(envFile,
                "# as /etc/egov/hub.env\nEGov__Database__Provider=postgres\n" +
                $"EGov__Database__ConnectionString=\"{db.ConnectionString}\"\n");
            var args = new[] { "--EGov:Database:Provider=postgres", "--EGov:Database:ConnectionString=" + db.ConnectionString };
            await using var hub = new HubNode(Path.Combine(ws.Root, "hub"), [County.Guangshun], extraArgs: args);
            await hub.StartAsync();
            var dest = Path.Combine(ws.Root, "backups");

            await using var writer = new DocumentWriter(hub.Api, "县级发文");
            writer.Start();
            await writer.WaitForAsync(30, TimeSpan.FromSeconds(60));
            var before = writer.Acknowledged;
            var backup = await Script.RunAsync("deploy/backup-hub.sh", ["--env", envFile, hub.DataDir, dest], ScriptTimeout, log: ws.Log);
            await writer.WaitForAsync(writer.Count + 5, TimeSpan.FromSeconds(60));
            await writer.StopAsync();
            Assert.True(backup.ExitCode == 0, backup.ToString());
            var archive = backup.LastLine;
            Assert.Contains("pg_restore_list=ok", backup.StdErr + await ReadInfoAsync(archive), StringComparison.Ordinal);
            var after = writer.Acknowledged.Skip(before.Count).ToList();
            Assert.NotEmpty(after);

            // The database is damaged: a table is gone. Stop the hub, restore, start it again.
            hub.Kill();
            db.Exec("DROP TABLE documents CASCADE");
            var restore = await Script.RunAsync("deploy/restore-hub.sh", ["--no-service", "--env", envFile, archive, hub.DataDir], ScriptTimeout, log: ws.Log);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Single(Directory.GetFiles(hub.DataDir, "damaged-*.dump"));
            await hub.StartAsync();

            var ids = (await hub.Api.ListAllDocumentsAsync()).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            Assert.All(before, d => Assert.Contains(d.Id, ids));
            var next = await hub.Api.CreateDocumentAsync(new NewDocument("恢复后的县级发文"));
            Assert.True(db.Long($"SELECT hub_seq FROM hub_log WHERE row_id = '{next.Id}'") > SequenceGap);
        });
    }

    private static async Task<string> ReadInfoAsync(string archive)
    {
        var r = await Script.RunAsync("deploy/restore-hub.sh", ["--verify-only", archive], ScriptTimeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.StdErr;
    }
}

/// <summary>A fresh database on the server of EGOV_TEST_PG (tests/run.sh starts one); fails, never skips, without it.</summary>
internal sealed class PostgresDatabase : IDisposable
{
    private readonly string _admin;

    public PostgresDatabase()
    {
        _admin = Environment.GetEnvironmentVariable("EGOV_TEST_PG") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "EGOV_TEST_PG is not set, so the PostgreSQL hub backup test cannot run: run tests/run.sh or set it to an Npgsql " +
                "connection string of a server where the test may create databases (Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres).");
        Name = "deploy_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(_admin))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {Name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", conn);
            cmd.ExecuteNonQuery();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = Name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public void Exec(string sql)
    {
        using var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    public long Long(string sql)
    {
        using var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        using var conn = new NpgsqlConnection(_admin);
        conn.Open();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", conn);
        cmd.ExecuteNonQuery();
    }
}
