using System.ComponentModel.DataAnnotations;

namespace EGovEdge.Edge.Configuration;

/// <summary>The "EGov" configuration section of a township edge.</summary>
public sealed class EdgeOptions
{
    public const string Section = "EGov";

    /// <summary>Where the node keeps its database and logs.</summary>
    [Required(ErrorMessage = "EGov:DataDir is required (the folder for the township database and logs).")]
    public string DataDir { get; set; } = "";

    /// <summary>The township code, e.g. guangshun.</summary>
    [Required(ErrorMessage = "EGov:NodeId is required (the township code, e.g. guangshun).")]
    [RegularExpression("^[a-z][a-z0-9_-]{0,39}$", ErrorMessage = "EGov:NodeId must be lower-case letters, digits, '-' or '_' and start with a letter.")]
    public string NodeId { get; set; } = "";

    /// <summary>Base URL of the county hub, e.g. http://127.0.0.1:5000.</summary>
    [Required(ErrorMessage = "EGov:HubUrl is required (the county hub's address).")]
    [Url(ErrorMessage = "EGov:HubUrl must be an absolute http(s) URL.")]
    public string HubUrl { get; set; } = "";

    /// <summary>The key the hub knows this township by (static keys: tests and the demo).</summary>
    public string? HubKey { get; set; }

    /// <summary>A one-time code from the hub's administrator; exchanged once for this node's own credential.</summary>
    public string? EnrollmentCode { get; set; }

    /// <value>Seconds between sync cycles when nothing changes locally. Default 30.</value>
    [Range(1, 86_400, ErrorMessage = "EGov:SyncIntervalSeconds must be between 1 and 86400.")]
    public int SyncIntervalSeconds { get; set; } = 30;

    /// <value>Milliseconds to wait after a local change before syncing, so a burst of edits goes in one cycle. Default 750.</value>
    [Range(0, 60_000)]
    public int SyncDebounceMilliseconds { get; set; } = 750;

    public AdminOptions Admin { get; set; } = new();
}

/// <summary>EGov:Admin (the first administrator's password, used by the login feature).</summary>
public sealed class AdminOptions
{
    public string? Password { get; set; }
}
