using EGovEdge.Hub.Configuration;
using EGovEdge.Office.Townships;
using Microsoft.Extensions.Options;

namespace EGovEdge.Hub.Sync;

/// <summary>At start, publishes the configured townships to every node (a county-wide directory).</summary>
public sealed class TownshipPublisher(TownshipDirectory directory, IOptions<HubOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (code, township) in options.Value.Townships)
        {
            directory.Publish(code, string.IsNullOrWhiteSpace(township.Name) ? code : township.Name.Trim());
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
