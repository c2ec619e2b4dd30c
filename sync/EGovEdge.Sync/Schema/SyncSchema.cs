namespace EGovEdge.Sync.Schema;

/// <summary>The set of replicated tables and the schema version both sides exchange on every sync.</summary>
public sealed class SyncSchema
{
    public SyncSchema(int version, IEnumerable<SyncTable> tables)
    {
        Version = version;
        Tables = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public int Version { get; }

    public IReadOnlyDictionary<string, SyncTable> Tables { get; }

    public SyncTable this[string name] =>
        Tables.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"Table '{name}' is not replicated.");
}
