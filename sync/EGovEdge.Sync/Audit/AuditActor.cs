namespace EGovEdge.Sync.Audit;

/// <summary>Who is acting in the current flow (an HTTP request or a Blazor circuit event); "system" when nobody.</summary>
public static class AuditActor
{
    private static readonly AsyncLocal<string?> Current_ = new();

    public static string Current => Current_.Value ?? "system";

    /// <summary>Sets the actor until the returned scope is disposed.</summary>
    public static IDisposable Use(string? actor)
    {
        var previous = Current_.Value;
        Current_.Value = actor;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Current_.Value = previous;
    }
}
