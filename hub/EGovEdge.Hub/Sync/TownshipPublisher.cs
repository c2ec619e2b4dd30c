using EGovEdge.Hub.Configuration;
using EGovEdge.Office.Townships;
using EGovEdge.Office.Workflow;
using Microsoft.Extensions.Options;

namespace EGovEdge.Hub.Sync;

/// <summary>
/// At start, publishes the configured townships to every node (a county-wide directory), and the organ directory for
/// official documents (the county organ and each township's government, with their 机关代字).
/// </summary>
public sealed class TownshipPublisher(TownshipDirectory directory, OrganDirectory organs, IOptions<HubOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var towns = new List<(string Code, string Name, string? Prefix)>();
        foreach (var (code, township) in options.Value.Townships)
        {
            var name = string.IsNullOrWhiteSpace(township.Name) ? code : township.Name.Trim();
            directory.Publish(code, name);
            towns.Add((code, name, township.DocPrefix));
        }
        organs.PublishCounty(options.Value.Organ.Name, options.Value.Organ.DocPrefix, towns);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
