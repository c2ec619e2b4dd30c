using System.Text.Json;
using System.Text.RegularExpressions;
using EGovEdge.IntegrationTests.Support;

namespace EGovEdge.IntegrationTests;

/// <summary>
/// The OpenAPI document is the list of what a phone client can call: it is served by hub and edge, names every
/// module's main actions, and every /api operation it lists refuses a caller without a token (so a new endpoint
/// cannot be added unprotected without this test noticing).
/// </summary>
public abstract partial class OpenApiCoverageTests
{
    private readonly SharedCounty _county;

    protected OpenApiCoverageTests(SharedCounty county, ITestOutputHelper output)
    {
        _county = county;
        county.AttachOutput(TestLog.To(output));
    }

    /// <summary>Operations that answer without a bearer token, on purpose.</summary>
    private static bool Anonymous(string path) =>
        path == "/api/auth/token"
        || path.StartsWith("/api/public/", StringComparison.Ordinal) // what the public portal shows anyway (traceability)
        || path.Contains("calendar", StringComparison.OrdinalIgnoreCase); // iCalendar feeds: a per-user secret key in the URL instead

    /// <summary>Paths the document must list on every node: each module's main actions.</summary>
    private static readonly string[] Expected =
    [
        "/api/documents", "/api/documents/{id}", "/api/documents/{id}/workflow/{action}", "/api/documents/{id}/files", "/api/inbox",
        "/api/seals", "/api/seals/{id}/issue", "/api/seals/uses",
        "/api/notices", "/api/notices/{id}/read", "/api/home",
        "/api/meetings", "/api/rooms", "/api/vehicles",
        "/api/tickets", "/api/tickets/{id}/actions", "/api/trace/batches", "/api/training/exams", "/api/supervision/report",
        "/api/broadcasts", "/api/portal/services",
        "/api/auth/token",
    ];

    [Fact]
    public async Task OpenApiDocument_ListsEveryModule_AndEveryListedOperationNeedsAToken()
    {
        var (hub, guangshun) = (_county.Hub, _county.Guangshun);
        await _county.Workspace.RunAsync(async () =>
        {
            foreach (var node in new NodeProcess[] { hub, guangshun })
            {
                var doc = await node.Api.SendWithAuthorizationAsync(HttpMethod.Get, "openapi/v1.json", null);
                Assert.True(doc.Status == 200, $"{node.Name} /openapi/v1.json: {doc}");
                using var json = JsonDocument.Parse(doc.Body);
                var paths = json.RootElement.GetProperty("paths");
                var listed = paths.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var path in Expected)
                {
                    Assert.True(listed.Contains(path) || listed.Any(l => Normalise(l) == Normalise(path)),
                        $"{node.Name}: the OpenAPI document does not list {path}; it lists: {string.Join(", ", listed.Order(StringComparer.Ordinal))}");
                }

                var page = await node.Api.SendWithAuthorizationAsync(HttpMethod.Get, "api/docs/", null);
                Assert.True(page.Status == 200 && page.Body.Contains("<html", StringComparison.OrdinalIgnoreCase), $"{node.Name} /api/docs/: {page}");

                var checkedOps = 0;
                foreach (var path in paths.EnumerateObject())
                {
                    if (!path.Name.StartsWith("/api/", StringComparison.Ordinal)) continue;
                    foreach (var op in path.Value.EnumerateObject())
                    {
                        if (op.Name is not ("get" or "post" or "put" or "delete" or "patch")) continue;
                        var concrete = Parameter().Replace(path.Name, _ => Guid.CreateVersion7().ToString()).TrimStart('/');
                        var r = await node.Api.SendWithAuthorizationAsync(new HttpMethod(op.Name.ToUpperInvariant()), concrete, null,
                            op.Name is "get" or "delete" ? null : () => new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
                        if (Anonymous(path.Name)) continue;
                        Assert.True(r.Status == 401, $"{node.Name}: {op.Name.ToUpperInvariant()} {path.Name} without a token: expected 401, got {r}");
                        checkedOps++;
                    }
                }
                _county.Workspace.Log($"{node.Name}: {listed.Count} paths listed, {checkedOps} operations refused without a token");
                Assert.True(checkedOps >= 40, $"{node.Name}: only {checkedOps} protected operations found in the OpenAPI document");
            }
        });
    }

    private static string Normalise(string path) => Parameter().Replace(path, "{}");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    [Collection(SqliteHubCollection.Name)]
    public sealed class OnSqlite(SharedCountyOnSqlite county, ITestOutputHelper output) : OpenApiCoverageTests(county, output);

    [Collection(PostgresHubCollection.Name)]
    public sealed class OnPostgres(SharedCountyOnPostgres county, ITestOutputHelper output) : OpenApiCoverageTests(county, output);
}
