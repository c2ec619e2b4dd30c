using System.Management.Automation.Language;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using EGovEdge.Deploy.Tests.Support;

namespace EGovEdge.Deploy.Tests;

/// <summary>The systemd units, the Windows service script and the configuration templates in deploy/.</summary>
public sealed partial class ServiceDefinitionTests(ITestOutputHelper output)
{
    private static readonly string SystemdDir = Script.Path("deploy/systemd");

    private static readonly string[] Units =
    [
        "egov-edge@.service", "egov-hub.service", "egov-edge-backup@.service", "egov-edge-backup@.timer",
        "egov-hub-backup.service", "egov-hub-backup.timer",
    ];

    /// <summary>
    /// systemd-analyze verify in a scratch root: the machine's own unit library (for sysinit.target etc.), our
    /// units in etc/systemd/system, and an executable at every ExecStart path. No output at all is accepted: an
    /// unknown key or a bad value is only a warning for systemd, but a failure here.
    /// </summary>
    [Fact]
    public async Task SystemdUnits_PassSystemdAnalyzeVerify()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            // Not on this machine: the key checks below still run (SystemdUnits_HaveTheRequiredSettings).
            output.WriteLine("systemd-analyze is not installed; the units are checked by SystemdUnits_HaveTheRequiredSettings only.");
            SystemdUnits_HaveTheRequiredSettings();
            return;
        }
        var library = new[] { "/usr/lib/systemd/system", "/lib/systemd/system" }.First(Directory.Exists);
        var root = Directory.CreateTempSubdirectory("egov-systemd-root-").FullName;
        try
        {
            CopyDirectory(library, Path.Combine(root, "usr/lib/systemd/system"));
            var etc = Directory.CreateDirectory(Path.Combine(root, "etc/systemd/system")).FullName;
            foreach (var unit in Units) File.Copy(Path.Combine(SystemdDir, unit), Path.Combine(etc, unit));
            foreach (var exec in Units.SelectMany(u => Values(Parse(u), "Service", "ExecStart")).Select(v => v.Split(' ')[0].TrimStart('-', '@', '+', '!')))
            {
                var stub = Path.Combine(root, exec.TrimStart('/'));
                Directory.CreateDirectory(Path.GetDirectoryName(stub)!);
                await File.WriteAllTextAsync(stub, "#!/bin/sh\n");
                File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var instances = new[]
            {
                "egov-edge@guangshun.service", "egov-hub.service", "egov-edge-backup@guangshun.service", "egov-edge-backup@guangshun.timer",
                "egov-hub-backup.service", "egov-hub-backup.timer",
            };
            var psi = new System.Diagnostics.ProcessStartInfo(analyze)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "verify", "--man=no", "--root=" + root }.Concat(instances)) psi.ArgumentList.Add(a);
            psi.Environment["SYSTEMD_LOG_COLOR"] = "0";
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            var text = (await stdout + await stderr).Trim();
            output.WriteLine($"systemd-analyze verify {string.Join(' ', instances)}: exit {p.ExitCode} {text}");
            Assert.True(p.ExitCode == 0 && text.Length == 0, $"systemd-analyze verify: exit {p.ExitCode}\n{text}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void SystemdUnits_HaveTheRequiredSettings()
    {
        var edge = Parse("egov-edge@.service");
        Assert.Equal("/opt/egov/edge/EGovEdge.Edge", Single(edge, "Service", "ExecStart"));
        Assert.Equal("/etc/egov/%i.env", Single(edge, "Service", "EnvironmentFile"));
        Assert.Contains("EGov__NodeId=%i", Values(edge, "Service", "Environment"));
        Assert.Contains("EGov__DataDir=/var/lib/egov/%i", Values(edge, "Service", "Environment"));
        Assert.Contains("/var/lib/egov/%i", Values(edge, "Service", "ReadWritePaths"));
        Assert.Equal("egov/%i", Single(edge, "Service", "StateDirectory"));

        var hub = Parse("egov-hub.service");
        Assert.Equal("/opt/egov/hub/EGovEdge.Hub", Single(hub, "Service", "ExecStart"));
        Assert.Equal("/etc/egov/hub.env", Single(hub, "Service", "EnvironmentFile"));
        Assert.Contains("/var/lib/egov/hub", Values(hub, "Service", "ReadWritePaths"));

        foreach (var unit in new[] { edge, hub })
        {
            // AddSystemd() in Program.cs tells systemd when the node is ready.
            Assert.Equal("notify", Single(unit, "Service", "Type"));
            Assert.Equal("egov", Single(unit, "Service", "User"));
            Assert.Equal("on-failure", Single(unit, "Service", "Restart"));
            Assert.Equal("SIGTERM", Single(unit, "Service", "KillSignal"));
            Assert.Matches(@"^\d+s?$", Single(unit, "Service", "TimeoutStopSec"));
            Assert.Equal("strict", Single(unit, "Service", "ProtectSystem"));
            Assert.Equal("yes", Single(unit, "Service", "NoNewPrivileges"));
            Assert.Equal("yes", Single(unit, "Service", "PrivateTmp"));
            Assert.Equal("0077", Single(unit, "Service", "UMask"));
            Assert.Empty(Values(unit, "Service", "MemoryDenyWriteExecute")); // would break the .NET JIT
            Assert.Equal("multi-user.target", Single(unit, "Install", "WantedBy"));
        }

        var edgeBackup = Parse("egov-edge-backup@.service");
        Assert.StartsWith("/opt/egov/edge/deploy/backup-edge.sh ", Single(edgeBackup, "Service", "ExecStart"), StringComparison.Ordinal);
        Assert.Equal("oneshot", Single(edgeBackup, "Service", "Type"));
        var hubBackup = Parse("egov-hub-backup.service");
        Assert.StartsWith("/opt/egov/hub/deploy/backup-hub.sh --env /etc/egov/hub.env ", Single(hubBackup, "Service", "ExecStart"), StringComparison.Ordinal);
        Assert.Equal("timers.target", Single(Parse("egov-edge-backup@.timer"), "Install", "WantedBy"));
        Assert.Equal("true", Single(Parse("egov-hub-backup.timer"), "Timer", "Persistent"));
    }

    /// <summary>Every EGov setting the apps read (from their options classes) is in the matching template.</summary>
    [Theory]
    [InlineData("edge", "EGovEdge.Edge.Configuration.EdgeOptions")]
    [InlineData("hub", "EGovEdge.Hub.Configuration.HubOptions")]
    public void EnvironmentTemplates_DocumentEveryEGovSetting(string app, string optionsType)
    {
        var binary = app == "edge" ? AppBinaries.Edge() : AppBinaries.Hub();
        var context = new AssemblyLoadContext("options-" + app, isCollectible: true);
        context.Resolving += (ctx, name) =>
        {
            var candidate = Path.Combine(binary.Directory, name.Name + ".dll");
            return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
        };
        try
        {
            var type = context.LoadFromAssemblyPath(binary.DllPath).GetType(optionsType, throwOnError: true)!;
            var keys = Keys(type, "EGov").ToList();
            output.WriteLine($"{app}: {string.Join(", ", keys)}");
            Assert.Contains("EGov__DataDir", keys);
            var template = File.ReadAllLines(Script.Path($"deploy/config/{app}.env.example"));
            var missing = keys.Where(k =>
            {
                var pattern = "^#?" + Regex.Escape(k).Replace("<code>", "[a-z][a-z0-9_-]*", StringComparison.Ordinal) + "=";
                return !template.Any(l => Regex.IsMatch(l, pattern));
            }).ToList();
            Assert.True(missing.Count == 0, $"deploy/config/{app}.env.example does not document {string.Join(", ", missing)}");
            Assert.Contains(template, l => l.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal));
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The names an options class binds, in environment-variable form (EGov__Admin__Password).</summary>
    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var name = prefix + "__" + p.Name;
            if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan))
            {
                yield return name;
            }
            else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                foreach (var k in Keys(t.GetGenericArguments()[1], name + "__<code>")) yield return k;
            }
            else
            {
                foreach (var k in Keys(t, name)) yield return k;
            }
        }
    }

    [Fact]
    public void WindowsServiceScript_ParsesAndCreatesTheServiceWithEGovArguments()
    {
        var path = Script.Path("deploy/windows/install-edge-service.ps1");
        var ast = Parser.ParseFile(path, out _, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));

        var parameters = ast.ParamBlock.Parameters.ToDictionary(p => p.Name.VariablePath.UserPath, StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "NodeId", "HubUrl", "EnrollmentCode", "AdminPassword", "DataDir", "Urls", "InstallDir", "Uninstall" })
        {
            Assert.True(parameters.ContainsKey(name), $"no -{name} parameter");
        }
        Assert.Equal(typeof(System.Security.SecureString), parameters["AdminPassword"].StaticType);

        var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().ToList();
        var names = commands.Select(c => c.GetCommandName()).Where(n => n is not null).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var c in new[] { "New-Service", "sc.exe", "icacls.exe", "Start-Service", "Stop-Service", "New-ItemProperty" })
        {
            Assert.Contains(c, names);
        }
        var newService = Assert.Single(commands, c => string.Equals(c.GetCommandName(), "New-Service", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("-BinaryPathName $binPath", newService.Extent.Text, StringComparison.Ordinal);

        // The service's command line: the exe and the EGov settings, never a secret (anyone may read it).
        var binPath = ast.FindAll(a => a is AssignmentStatementAst s && s.Left.Extent.Text == "$binPath", true).Cast<AssignmentStatementAst>().Single().Extent.Text;
        foreach (var arg in new[] { "--urls", "--EGov:NodeId=", "--EGov:DataDir=", "--EGov:HubUrl=", "--EGov:SyncIntervalSeconds=" })
        {
            Assert.Contains(arg, binPath, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Password", binPath, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("EnrollmentCode", binPath, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("'EGovEdge.Edge.exe'", ast.Extent.Text, StringComparison.Ordinal);
        // restart on failure, own virtual account
        Assert.Matches(FailureActions(), ast.Extent.Text);
        Assert.Contains("obj= \"NT SERVICE\\$ServiceName\"", ast.Extent.Text, StringComparison.Ordinal);
        Assert.Contains("EGov__Admin__Password", ast.Extent.Text, StringComparison.Ordinal);
        Assert.Contains("EGov__EnrollmentCode", ast.Extent.Text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"failure \$ServiceName reset= \d+ actions= restart/")]
    private static partial Regex FailureActions();

    // ---- a small reader for systemd unit files -------------------------------------------------------------

    private static List<(string Section, string Key, string Value)> Parse(string unit)
    {
        var entries = new List<(string, string, string)>();
        var section = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(SystemdDir, unit)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"{unit}: not a key=value line: {raw}");
            Assert.NotEqual("", section);
            entries.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
        return entries;
    }

    private static List<string> Values(List<(string Section, string Key, string Value)> unit, string section, string key) =>
        [.. unit.Where(e => e.Section == section && e.Key == key).Select(e => e.Value)];

    private static string Single(List<(string Section, string Key, string Value)> unit, string section, string key) =>
        Assert.Single(Values(unit, section, key));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                CopyDirectory(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
