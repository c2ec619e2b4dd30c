using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EGovEdge.Deploy.Tests.Support;

namespace EGovEdge.Deploy.Tests;

/// <summary>
/// Type=notify in the units relies on AddSystemd() in Program.cs. systemd itself cannot run here, so the test does
/// what systemd does: the node runs as the main process of its own PID namespace with NOTIFY_SOCKET set, and must
/// send READY=1 once it serves, then STOPPING=1 and a clean exit (code 0) on SIGTERM (KillSignal=SIGTERM).
/// </summary>
public sealed class SystemdHostingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("edge")]
    [InlineData("hub")]
    public async Task UnderSystemd_NotifiesReady_StopsCleanlyOnSigterm(string app)
    {
        await using var ws = new TestWorkspace("systemd-notify-" + app, TestLog.To(output));
        await ws.RunAsync(async () =>
        {
            var binary = app == "edge" ? AppBinaries.Edge() : AppBinaries.Hub();
            var socketPath = Path.Combine(ws.Root, "notify.sock");
            using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            notify.Bind(new UnixDomainSocketEndPoint(socketPath));

            var port = FreePorts.Next();
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
            var dataDir = Directory.CreateDirectory(Path.Combine(ws.Root, app)).FullName;
            var args = new List<string> { "dotnet", binary.DllPath, "--urls", url, "--EGov:DataDir=" + dataDir, "--EGov:Admin:Password=" + County.AdminPassword };
            if (app == "edge") args.AddRange(["--EGov:NodeId=guangshun", $"--EGov:HubUrl=http://127.0.0.1:{FreePorts.Next()}"]);

            var log = Path.Combine(ws.Root, app + ".console.log");
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = binary.Directory, RedirectStandardInput = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("exec \"$@\" >>\"$EGOV_TEST_LOG\" 2>&1");
            psi.ArgumentList.Add("sh");
            // As root a new PID namespace needs nothing more; otherwise map ourselves to root in a user namespace.
            foreach (var a in new[] { "unshare", "--pid", "--fork", "--kill-child" }) psi.ArgumentList.Add(a);
            if (Environment.UserName != "root") psi.ArgumentList.Add("--map-root-user");
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["EGOV_TEST_LOG"] = log;
            psi.Environment["NOTIFY_SOCKET"] = socketPath;
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = binary.Environment;
            psi.Environment.Remove("ASPNETCORE_URLS");

            using var unshare = Process.Start(psi)!;
            unshare.StandardInput.Close();
            ProcessJanitor.Track(unshare);
            string Tail() => File.Exists(log) ? string.Join('\n', File.ReadAllLines(log).TakeLast(30)) : "(no log)";
            try
            {
                var ready = await ReceiveAsync(notify, TimeSpan.FromSeconds(90));
                ws.Log($"{app}: notify socket got '{ready}'");
                Assert.True(ready.Split('\n').Contains("READY=1"), $"expected READY=1, got '{ready}'\n{Tail()}");
                using (var http = new HttpClient())
                {
                    Assert.Equal(200, (int)(await http.GetAsync(new Uri(url + "/healthz"))).StatusCode);
                }

                // systemctl stop: SIGTERM to the main process (the node, PID 1 of its namespace).
                var node = int.Parse(File.ReadAllText($"/proc/{unshare.Id}/task/{unshare.Id}/children").Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                using (var kill = Process.Start("kill", ["-TERM", node.ToString(CultureInfo.InvariantCulture)])) await kill!.WaitForExitAsync();
                var stopping = await ReceiveAsync(notify, TimeSpan.FromSeconds(30));
                ws.Log($"{app}: notify socket got '{stopping}'");
                Assert.True(stopping.Split('\n').Contains("STOPPING=1"), $"expected STOPPING=1, got '{stopping}'\n{Tail()}");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // TimeoutStopSec=30s
                await unshare.WaitForExitAsync(cts.Token);
                Assert.True(unshare.ExitCode == 0, $"exit code {unshare.ExitCode}\n{Tail()}");
            }
            finally
            {
                if (!unshare.HasExited) unshare.Kill(entireProcessTree: true); // --kill-child takes the node along
                ProcessJanitor.Forget(unshare);
            }
        });
    }

    private static async Task<string> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, n).Trim();
    }
}
