namespace EGovEdge.Office.Traceability;

/// <summary>
/// Where the public lookup lives: <c>EGov:PublicBaseUrl</c> (e.g. https://zw.changshun.gov.cn). Unset, the QR code
/// encodes the relative path <c>/portal/trace/{code}</c>.
/// </summary>
public sealed class TraceOptions
{
    public const string ConfigKey = "EGov:PublicBaseUrl";

    public string? PublicBaseUrl { get; set; }
}
