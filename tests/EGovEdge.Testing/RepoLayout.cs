namespace EGovEdge.Testing;

/// <summary>Where the repository and the apps under test are.</summary>
public static class RepoLayout
{
    /// <summary>Environment variable naming the publish root (hub/EGovEdge.Hub.dll, edge/EGovEdge.Edge.dll).</summary>
    public const string PublishDirVariable = "EGOV_PUBLISH_DIR";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding EGovEdge.sln, found by walking up from the test assembly.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>EGOV_PUBLISH_DIR, else &lt;repo&gt;/artifacts/publish.</summary>
    public static string PublishDir
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(PublishDirVariable);
            return string.IsNullOrWhiteSpace(fromEnv) ? Path.Combine(Root, "artifacts", "publish") : Path.GetFullPath(fromEnv);
        }
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("EGOV_REPO_ROOT") is { Length: > 0 } fromEnv && File.Exists(Path.Combine(fromEnv, "EGovEdge.sln")))
        {
            return Path.GetFullPath(fromEnv);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EGovEdge.sln"))) return dir.FullName;
        }
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EGovEdge.sln"))) return dir.FullName;
        }
        // Built with --artifacts-path outside the repository and run from there: the path recorded at build time.
        var built = typeof(RepoLayout).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "EGovEdge.RepoRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "EGovEdge.sln"))) return built;
        throw new InvalidOperationException(
            $"EGovEdge.sln not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}; run the tests from inside the repository.");
    }
}
