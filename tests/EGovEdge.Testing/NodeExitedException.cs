namespace EGovEdge.Testing;

/// <summary>A node the test needs is not running (it crashed, or was stopped from outside). Polling gives up at once on this.</summary>
public sealed class NodeExitedException(string message, string logTail)
    : Exception($"{message}\nLast log lines:\n{logTail}")
{
    public string LogTail { get; } = logTail;
}
