using System.Text.Json.Nodes;

namespace EGovEdge.Sync.Schema;

/// <summary>
/// Describes one replicated table. Every replicated table has the engine's columns
/// (<c>id</c> UUIDv7 text, <c>hlc</c>, <c>prev_hlc</c>, <c>origin</c>, <c>deleted</c>) followed by its data columns.
/// </summary>
public sealed class SyncTable
{
    public static readonly IReadOnlyList<string> EngineColumns = ["id", "hlc", "prev_hlc", "origin", "deleted"];

    public SyncTable(string name, IReadOnlyList<SyncColumn> columns, Func<SyncRow, string> scope, IReadOnlyList<string>? indexes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(scope);
        if (!IsIdentifier(name)) throw new ArgumentException($"Invalid table name '{name}'.", nameof(name));
        foreach (var c in columns)
        {
            if (!IsIdentifier(c.Name) || EngineColumns.Contains(c.Name))
                throw new ArgumentException($"Invalid or reserved column name '{c.Name}' in table '{name}'.", nameof(columns));
        }
        Name = name;
        Columns = columns;
        Scope = scope;
        Indexes = indexes ?? [];
        ColumnNames = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
    }

    public string Name { get; }

    public IReadOnlyList<SyncColumn> Columns { get; }

    public IReadOnlySet<string> ColumnNames { get; }

    /// <summary>
    /// Who may see a row: <see cref="Scopes.Everyone"/> or a list built with <see cref="Scopes.Of"/>.
    /// Evaluated at the hub each time a row version is accepted.
    /// </summary>
    public Func<SyncRow, string> Scope { get; }

    /// <summary>Extra index definitions as "index_name(col1, col2)".</summary>
    public IReadOnlyList<string> Indexes { get; }

    /// <summary>Keeps only known data columns with a value of the right kind; reports the first bad one.</summary>
    public JsonObject Sanitize(JsonObject? data, out string? error)
    {
        error = null;
        var clean = new JsonObject();
        if (data is null) return clean;
        foreach (var column in Columns)
        {
            if (!data.TryGetPropertyValue(column.Name, out var node) || node is null)
            {
                if (column.Required) error ??= $"column '{column.Name}' is required";
                clean[column.Name] = null;
                continue;
            }
            var kind = node.GetValueKind();
            long whole = 0;
            var ok = column.Type switch
            {
                SyncColumnType.Text => kind == System.Text.Json.JsonValueKind.String,
                // Only whole numbers that fit a 64-bit integer: storing reads the value as a long.
                SyncColumnType.Integer => kind == System.Text.Json.JsonValueKind.Number && TryGetWhole(node, out whole),
                _ => false,
            };
            if (!ok)
            {
                error ??= $"column '{column.Name}' must be {column.Type.ToString().ToLowerInvariant()}";
                clean[column.Name] = null;
                continue;
            }
            // Integers are normalised to a long whatever CLR type (int, short...) or JSON text they came from.
            clean[column.Name] = column.Type == SyncColumnType.Integer ? JsonValue.Create(whole) : node.DeepClone();
        }
        return clean;
    }

    private static bool TryGetWhole(JsonNode node, out long value) =>
        long.TryParse(node.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out value);

    internal static bool IsIdentifier(string s) =>
        s.Length is > 0 and <= 60 && s[0] is >= 'a' and <= 'z' && s.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
