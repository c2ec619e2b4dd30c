using System.Diagnostics;
using System.Globalization;
using EGovEdge.Deploy.Tests.Support;

namespace EGovEdge.Deploy.Tests;

/// <summary>
/// deploy/package.sh linux-x64: self-contained packages of hub and edge. The archives are unpacked the way an
/// operator does (/opt/egov/...) and the native launchers run without any .NET installation: the runtime they load
/// is the one inside the package. This is the slow test of the suite (two self-contained publishes, about a minute).
/// </summary>
public sealed class PackageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LinuxPackage_UnpackedArchives_RunWithoutDotnet_EdgeSyncsWithHub()
    {
        await using var ws = new TestWorkspace("package-linux", TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var outDir = Path.Combine(ws.Root, "packages");
            var package = await Script.RunAsync("deploy/package.sh", ["linux-x64", outDir], TimeSpan.FromMinutes(10),
                new Dictionary<string, string?> { ["EGOV_PACKAGE_BUILD_DIR"] = Path.Combine(ws.Root, "package-build"), ["EGOV_VERSION"] = "test" },
                ws.Log);
            Assert.True(package.ExitCode == 0, package.ToString());
            ws.Log($"deploy/package.sh linux-x64 took {package.Elapsed.TotalSeconds:0} s");

            foreach (var app in new[] { "hub", "edge" })
            {
                var folder = Path.Combine(outDir, "linux-x64", app);
                var exe = Path.Combine(folder, app == "hub" ? "EGovEdge.Hub" : "EGovEdge.Edge");
                Assert.True(File.Exists(exe), $"{exe} missing");
                Assert.True(File.GetUnixFileMode(exe).HasFlag(UnixFileMode.UserExecute), $"{exe} is not executable");
                Assert.True(File.Exists(Path.Combine(folder, "libcoreclr.so")), "not self-contained: no libcoreclr.so");
                Assert.True(File.Exists(Path.Combine(folder, "libe_sqlite3.so")) || Directory.GetFiles(folder, "libe_sqlite3.so", SearchOption.AllDirectories).Length > 0,
                    "the native SQLite library is missing");
                Assert.True(File.Exists(Path.Combine(folder, "deploy", app + ".env.example")));
                Assert.True(File.Exists(Path.Combine(folder, "deploy", "backup-" + app + ".sh")));
                Assert.True(File.Exists(Path.Combine(folder, "deploy", "restore-" + app + ".sh")));
                Assert.True(File.Exists(Path.Combine(folder, "deploy", "lib-backup.sh")));
                Assert.True(File.Exists(Path.Combine(folder, "deploy", app == "hub" ? "egov-hub.service" : "egov-edge@.service")));
                var runtimeConfig = await File.ReadAllTextAsync(Path.Combine(folder, (app == "hub" ? "EGovEdge.Hub" : "EGovEdge.Edge") + ".runtimeconfig.json"));
                Assert.Contains("includedFrameworks", runtimeConfig, StringComparison.Ordinal); // self-contained
                var archive = Assert.Single(Directory.GetFiles(outDir, $"egovedge-{app}-test-linux-x64.tar.gz"));
                Assert.Contains(Path.GetFileName(archive), await File.ReadAllTextAsync(Path.Combine(outDir, "SHA256SUMS")), StringComparison.Ordinal);
            }

            // Install like an operator: unpack the archives into opt/egov (giving opt/egov/hub and opt/egov/edge), nothing else.
            var opt = Directory.CreateDirectory(Path.Combine(ws.Root, "opt", "egov")).FullName;
            foreach (var app in new[] { "hub", "edge" })
            {
                using var tar = Process.Start("tar", ["-C", opt, "-xzf", Path.Combine(outDir, $"egovedge-{app}-test-linux-x64.tar.gz")])!;
                await tar.WaitForExitAsync();
                Assert.Equal(0, tar.ExitCode);
            }
            await using var hub = new PackagedNode(ws, "hub", Path.Combine(opt, "hub", "EGovEdge.Hub"),
            [
                "--EGov:Admin:Password=" + County.AdminPassword,
                $"--EGov:Townships:{County.Guangshun.Code}:Key={County.Guangshun.Key}",
                $"--EGov:Townships:{County.Guangshun.Code}:Name={County.Guangshun.Name}",
            ]);
            await hub.StartAsync();
            await using var edge = new PackagedNode(ws, "guangshun", Path.Combine(opt, "edge", "EGovEdge.Edge"),
            [
                "--EGov:Admin:Password=" + County.AdminPassword, "--EGov:NodeId=guangshun", "--EGov:HubUrl=" + hub.BaseUrl,
                "--EGov:HubKey=" + County.Guangshun.Key, "--EGov:SyncIntervalSeconds=1",
            ]);
            await edge.StartAsync();

            foreach (var node in new[] { hub, edge })
            {
                // The runtime in use is the package's own, not a machine-wide one.
                var maps = await File.ReadAllTextAsync($"/proc/{node.Pid}/maps");
                var coreclr = maps.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
                    .FirstOrDefault(p => p?.EndsWith("/libcoreclr.so", StringComparison.Ordinal) == true);
                Assert.NotNull(coreclr);
                Assert.StartsWith(opt + "/", coreclr, StringComparison.Ordinal);
                // Static assets are served in Production from the package's content root.
                using var asset = await node.Api.Http.GetAsync(new Uri(node.BaseUrl + "/_framework/blazor.web.js"));
                Assert.Equal(200, (int)asset.StatusCode);
            }

            var doc = await edge.Api.CreateDocumentAsync(new NewDocument("安装包测试"));
            await Poll.WaitUntilAsync(async () => await hub.Api.GetDocumentAsync(doc.Id) is not null, TimeSpan.FromSeconds(60),
                "a document written at the packaged edge to reach the packaged hub");
        });
    }
}

/// <summary>A node started from a self-contained package with its native launcher; no dotnet involved.</summary>
internal sealed class PackagedNode : IAsyncDisposable
{
    private readonly TestWorkspace _ws;
    private readonly string _exe;
    private readonly IReadOnlyList<string> _args;
    private Process? _process;

    public PackagedNode(TestWorkspace ws, string name, string exe, IReadOnlyList<string> args)
    {
        _ws = ws;
        _exe = exe;
        _args = args;
        Name = name;
        Port = FreePorts.Next();
        DataDir = Directory.CreateDirectory(Path.Combine(ws.Root, "var", name)).FullName;
        LogFile = Path.Combine(ws.Root, name + ".console.log");
        Api = new NodeApiClient(BaseUrl, (County.AdminUser, County.AdminPassword));
    }

    public string Name { get; }

    public int Port { get; }

    public string DataDir { get; }

    public string LogFile { get; }

    public string BaseUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    public NodeApiClient Api { get; }

    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running");

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_exe)!, // as the systemd unit does (WorkingDirectory=/opt/egov/<app>)
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$@\" >>\"$EGOV_TEST_LOG\" 2>&1");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(_exe);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(BaseUrl);
        psi.ArgumentList.Add("--EGov:DataDir=" + DataDir);
        foreach (var a in _args) psi.ArgumentList.Add(a);
        psi.Environment["EGOV_TEST_LOG"] = LogFile;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ROOT"] = "/nonexistent"; // a self-contained launcher must not need it
        psi.Environment.Remove("ASPNETCORE_URLS");
        psi.Environment.Remove("DOTNET_ENVIRONMENT");
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {_exe}");
        _process.StandardInput.Close();
        ProcessJanitor.Track(_process);
        _ws.Log($"started {Name} from {_exe} (pid {_process.Id}) on {BaseUrl}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        await Poll.WaitUntilAsync(async () =>
        {
            if (_process.HasExited) throw new NodeExitedException($"{Name} exited with {_process.ExitCode}", Tail());
            using var res = await http.GetAsync(new Uri(BaseUrl + "/healthz"));
            return (int)res.StatusCode == 200;
        }, TimeSpan.FromSeconds(90), $"{Name} /healthz to answer 200", TimeSpan.FromMilliseconds(200));
    }

    private string Tail()
    {
        try
        {
            return string.Join('\n', File.ReadAllLines(LogFile).TakeLast(40));
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(15_000);
        }
        if (_process is not null) ProcessJanitor.Forget(_process);
        _process?.Dispose();
        Api.Dispose();
        return ValueTask.CompletedTask;
    }
}
