namespace EGovEdge.Sync.Conflicts;

public enum ApplyDecision
{
    /// <summary>The row is new here: insert it.</summary>
    Insert,

    /// <summary>Already held, or older than what is held and already superseded: change nothing.</summary>
    Skip,

    /// <summary>The incoming version descends from the local one: take it.</summary>
    FastForward,

    /// <summary>Concurrent versions; the incoming one wins and the local one is kept as the loser.</summary>
    IncomingWins,

    /// <summary>Concurrent versions; the local one wins and the incoming one is kept as the loser.</summary>
    LocalWins,
}
