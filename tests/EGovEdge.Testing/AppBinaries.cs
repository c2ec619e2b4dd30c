namespace EGovEdge.Testing;

/// <summary>One app to run with <c>dotnet &lt;dll&gt;</c>: the dll, the ASP.NET Core environment it needs, and where it came from.</summary>
/// <param name="DllPath">Absolute path of EGovEdge.Hub.dll or EGovEdge.Edge.dll.</param>
/// <param name="Environment">"Production" for published output; "Development" for a plain build (static assets need it).</param>
/// <param name="Published">True when it is the published output that deploy/demo.sh runs.</param>
public sealed record AppBinary(string DllPath, string Environment, bool Published)
{
    /// <summary>May EGOV_TEST_LAUNCH=apphost swap <c>dotnet &lt;dll&gt;</c> for the native launcher? False where the launch form is under test (E2E).</summary>
    public bool AllowAppHost { get; init; } = true;

    public string Directory => Path.GetDirectoryName(DllPath)!;
}

/// <summary>
/// Finds the hub and edge binaries: the published output first (EGOV_PUBLISH_DIR or artifacts/publish), then
/// hub/EGovEdge.Hub/bin/&lt;Release|Debug&gt;/net10.0 (run as Development).
/// </summary>
public static class AppBinaries
{
    public static AppBinary Hub(bool requirePublished = false) => Find("hub", "EGovEdge.Hub", Path.Combine("hub", "EGovEdge.Hub"), requirePublished);

    public static AppBinary Edge(bool requirePublished = false) => Find("edge", "EGovEdge.Edge", Path.Combine("edge", "EGovEdge.Edge"), requirePublished);

    private static AppBinary Find(string publishSub, string assembly, string projectDir, bool requirePublished)
    {
        var published = Path.Combine(RepoLayout.PublishDir, publishSub, assembly + ".dll");
        if (File.Exists(published)) return new AppBinary(published, "Production", Published: true);
        if (requirePublished)
        {
            throw new FileNotFoundException(
                $"{published} not found. This test runs the published apps, as deploy/demo.sh does: run deploy/publish.sh first " +
                $"(or set {RepoLayout.PublishDirVariable}).", published);
        }
        var candidates = new[] { "Release", "Debug" }
            .Select(cfg => Path.Combine(RepoLayout.Root, projectDir, "bin", cfg, "net10.0", assembly + ".dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        if (candidates.Count == 0)
        {
            throw new FileNotFoundException(
                $"Neither {published} nor {projectDir}/bin/<Release|Debug>/net10.0/{assembly}.dll exists: run deploy/publish.sh " +
                $"(or dotnet build {projectDir}).", published);
        }
        return new AppBinary(candidates[0], "Development", Published: false);
    }

    /// <summary>
    /// A warning when product sources (hub/, edge/, sync/) are newer than the binary, i.e. the tests would run stale code; else null.
    /// </summary>
    public static string? StalenessWarning(AppBinary binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        var built = File.GetLastWriteTimeUtc(binary.DllPath);
        var newest = new[] { "hub", "edge", "sync" }
            .Select(d => Path.Combine(RepoLayout.Root, d))
            .Where(System.IO.Directory.Exists)
            .SelectMany(d => System.IO.Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal)
                        || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".resx", StringComparison.Ordinal))
            .Select(f => (File: f, Time: File.GetLastWriteTimeUtc(f)))
            .OrderByDescending(x => x.Time)
            .FirstOrDefault();
        return newest.File is not null && newest.Time > built
            ? $"WARNING: {binary.DllPath} ({built:u}) is older than {Path.GetRelativePath(RepoLayout.Root, newest.File)} ({newest.Time:u}); re-publish (deploy/publish.sh) to test the current code."
            : null;
    }
}
