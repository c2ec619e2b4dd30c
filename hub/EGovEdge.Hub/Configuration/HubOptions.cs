using System.ComponentModel.DataAnnotations;

namespace EGovEdge.Hub.Configuration;

/// <summary>The "EGov" configuration section of the county hub.</summary>
public sealed class HubOptions
{
    public const string Section = "EGov";

    [Required(ErrorMessage = "EGov:DataDir is required (the folder for the hub database and logs).")]
    public string DataDir { get; set; } = "";

    /// <summary>EGov:Townships:&lt;code&gt;:Key and :Name.</summary>
    public Dictionary<string, TownshipOptions> Townships { get; set; } = new(StringComparer.Ordinal);

    public DatabaseOptions Database { get; set; } = new();

    /// <value>Days the hub keeps deletions (tombstones) for townships that are out of touch. Default 30.</value>
    [Range(1, 3650, ErrorMessage = "EGov:RetentionDays must be between 1 and 3650.")]
    public int RetentionDays { get; set; } = 30;

    public HubAdminOptions Admin { get; set; } = new();

    /// <summary>EGov:Organ:Name and :DocPrefix: the county organ that issues documents at the hub (optional).</summary>
    public OrganOptions Organ { get; set; } = new();
}

public sealed class OrganOptions
{
    /// <summary>Full name, e.g. 长顺县人民政府办公室 (default 县人民政府办公室).</summary>
    public string? Name { get; set; }

    /// <summary>机关代字, e.g. 长府办发 (default derived from the name).</summary>
    public string? DocPrefix { get; set; }
}

public sealed class TownshipOptions
{
    /// <summary>The shared key this township's edge presents (for tests and the demo; enrollment is the normal way).</summary>
    public string? Key { get; set; }

    /// <summary>Display name, e.g. 广顺镇.</summary>
    public string? Name { get; set; }

    /// <summary>机关代字 of the township's government, e.g. 广府发 (optional; derived from the name).</summary>
    public string? DocPrefix { get; set; }
}

public sealed class DatabaseOptions
{
    /// <value>"sqlite" (default) or "postgres".</value>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Npgsql connection string when Provider is postgres.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class HubAdminOptions
{
    public string? Password { get; set; }
}
