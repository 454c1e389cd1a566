using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BackOffice.Testing;

/// <summary>Loopback ports for the servers tests start (the app, the bridge's pickup panel, nginx, SMTP, Modbus).</summary>
public static class FreePort
{
    // Ports below the kernel's ephemeral range: the kernel never hands one of them to an outgoing connection (the tests
    // open many, to PostgreSQL, Redis and their own servers), which could take a port between its pick here and the
    // server binding it. Picked at random, so test processes running side by side rarely try the same one, and checked
    // free when picked.
    private const int Lowest = 10_000;
    private static readonly int EphemeralStart = ReadEphemeralStart();
    private static readonly ConcurrentDictionary<int, bool> Given = new();

    /// <summary>A port nobody listens on right now, not handed out before by this process.</summary>
    public static int Next()
    {
        if (EphemeralStart - Lowest < 1_000)
        {
            return PickedByTheSystem();
        }
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, EphemeralStart);
            if (Given.TryAdd(port, true) && IsFree(port))
            {
                return port;
            }
        }
        return PickedByTheSystem();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int PickedByTheSystem()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Linux: "32768	60999"; elsewhere (or unreadable) the IANA range's start.
    private static int ReadEphemeralStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 49_152;
        }
    }
}
