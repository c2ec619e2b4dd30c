using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EGovEdge.Cli.Tests.Support;

namespace EGovEdge.Cli.Tests;

/// <summary>The hub serves its own schema version and the one before; anything else is told to upgrade.</summary>
[Collection(CliCountyCollection.Name)]
public sealed class SchemaNegotiationTests(CliCounty county)
{
    private async Task<HttpResponseMessage> PullAsync(string schemaVersion)
    {
        using var http = new HttpClient { BaseAddress = new Uri(county.Hub.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sync/pull");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", County.Guangshun.Key);
        request.Headers.Add("X-EGov-Node", County.Guangshun.Code);
        request.Headers.Add("X-EGov-Schema", schemaVersion);
        request.Content = new StringContent($$"""{"nodeId":"guangshun","schemaVersion":{{schemaVersion}},"cursor":0,"limit":1}""", Encoding.UTF8, "application/json");
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Pull_CurrentAndPreviousSchema_Served()
    {
        Assert.Equal(HttpStatusCode.OK, (await PullAsync(EGovEdge.Office.OfficeSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PullAsync((EGovEdge.Office.OfficeSchema.Version - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))).StatusCode);
    }

    [Fact]
    public async Task Pull_IncompatibleSchema_426WithUpgradeMessage()
    {
        using var response = await PullAsync((EGovEdge.Office.OfficeSchema.Version + 5).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((HttpStatusCode)426, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("upgrade the township node", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
