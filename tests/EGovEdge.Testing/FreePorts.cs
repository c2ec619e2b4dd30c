using System.Net;
using System.Net.Sockets;

namespace EGovEdge.Testing;

/// <summary>
/// Free loopback TCP ports, never handed out twice by one test process. Ports are taken below the kernel's ephemeral
/// range when possible: a node that is down for a while (hub not started yet) keeps its port free, because no outgoing
/// connection can be given it as a source port, and an edge cannot "connect to itself" on it.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        var (low, _) = EphemeralRange();
        var first = 20_000;
        var last = Math.Min(low - 1, 32_767);
        if (last - first > 1000)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(first, last + 1);
                lock (Gate)
                {
                    if (Given.Contains(port)) continue;
                }
                if (!CanBind(port)) continue;
                lock (Gate)
                {
                    if (Given.Add(port)) return port;
                }
            }
        }
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Gate)
            {
                if (Given.Add(port)) return port;
            }
        }
        throw new InvalidOperationException("No free loopback port found.");
    }

    private static bool CanBind(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32_768, 60_999);
        }
    }
}
