namespace EGovEdge.FaultTests.Support;

/// <summary>
/// The published hub and edge (EGOV_PUBLISH_DIR, default artifacts/publish): these tests run what an operator runs, so
/// a plain build output is not accepted (the message says to run deploy/publish.sh).
/// </summary>
internal static class Apps
{
    private static readonly Lazy<AppBinary> LazyHub = new(() => AppBinaries.Hub(requirePublished: true));
    private static readonly Lazy<AppBinary> LazyEdge = new(() => AppBinaries.Edge(requirePublished: true));

    public static AppBinary Hub => LazyHub.Value;

    public static AppBinary Edge => LazyEdge.Value;

    /// <summary>Logs a warning when the published apps are older than the product sources.</summary>
    public static void WarnIfStale(Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        foreach (var b in new[] { Hub, Edge })
        {
            if (AppBinaries.StalenessWarning(b) is { } warning) log(warning);
        }
    }
}
