namespace EGovEdge.Office.Documents;

/// <summary>Input that breaks a rule; <see cref="Errors"/> maps field names to messages. Nothing was stored.</summary>
public sealed class OfficeValidationException(IDictionary<string, string[]> errors)
    : Exception(string.Join("; ", errors.SelectMany(e => e.Value)))
{
    public IDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The caller may not do this here (e.g. edit another township's document).</summary>
public sealed class OfficeForbiddenException(string message) : Exception(message);
