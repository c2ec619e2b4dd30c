using EGovEdge.Cli.Tests.Support;

namespace EGovEdge.Cli.Tests;

/// <summary>Usage errors exit 2 with a message on stderr and nothing on stdout; no node is needed for them.</summary>
public sealed class UsageTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "egov-tests", "cli-usage-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    [Theory]
    [InlineData("a verb is required")]
    [InlineData("unknown verb 'frob'", "frob", "--EGov:DataDir={empty}")]
    [InlineData("EGov:DataDir is required", "status")]
    [InlineData("EGov:DataDir is required", "status", "--json")]
    [InlineData("holds no edge database", "status", "--EGov:DataDir={empty}")]
    [InlineData("holds no edge database", "verify", "--EGov:DataDir={empty}", "--json")]
    [InlineData("does not exist", "history", "--EGov:DataDir={missing}")]
    [InlineData("cannot be read as an edge database", "status", "--EGov:DataDir={garbage}")]
    [InlineData("unknown option '--frob'", "status", "--EGov:DataDir={empty}", "--frob")]
    [InlineData("--limit applies to history and verify", "status", "--EGov:DataDir={empty}", "--limit", "5")]
    [InlineData("--limit needs a whole number", "history", "--EGov:DataDir={empty}", "--limit", "none")]
    [InlineData("needs a value", "status", "--EGov:DataDir")]
    [InlineData("unexpected argument 'run'", "status", "run", "--EGov:DataDir={empty}")]
    [InlineData("give --EGov:NodeId", "bootstrap", "--EGov:DataDir={empty}")]
    [InlineData("is not a township code", "bootstrap", "--EGov:DataDir={empty}", "--EGov:NodeId=Bad Code")]
    public async Task UsageError_Exits2_WithMessageOnStderr(string message, params string[] args)
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var garbage = Directory.CreateDirectory(Path.Combine(_root, "garbage")).FullName;
        await File.WriteAllTextAsync(Path.Combine(garbage, "edge.db"), "this is not a database, just some text long enough to have a header. 0123456789");
        var resolved = args.Select(a => a.Replace("{empty}", empty, StringComparison.Ordinal)
            .Replace("{missing}", Path.Combine(_root, "missing"), StringComparison.Ordinal)
            .Replace("{garbage}", garbage, StringComparison.Ordinal)).ToArray();

        var r = await EdgeCli.RunAsync(TestLog.To(output), resolved);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.False(File.Exists(Path.Combine(empty, "edge.db")), "a usage error must not create a database");
    }

    [Fact]
    public async Task Help_Exits0_ListingVerbsOptionsAndExitCodes()
    {
        var r = await EdgeCli.RunAsync(TestLog.To(output), "--help");

        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var word in new[] { "status", "run", "history", "conflicts", "verify", "bootstrap", "--EGov:DataDir", "--json", "--limit", "Exit codes" })
        {
            Assert.Contains(word, r.Stdout, StringComparison.Ordinal);
        }
        Assert.Equal("", r.Stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
