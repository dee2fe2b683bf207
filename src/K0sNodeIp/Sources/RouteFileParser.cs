using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace K0sNodeIp.Sources;

/// <summary>
/// Reads default routes from the kernel's route files exactly as apimachinery's
/// <c>getIPv4DefaultRoutes</c> / <c>getIPv6DefaultRoutes</c> do, quirks included: Mask, Metric and
/// prefix length are ignored, file order is kept, and (like Go's <c>ReadString('\n')</c> loop) a last
/// line without a trailing newline is not read.
/// </summary>
public static class RouteFileParser
{
    public const string Ipv4File = "/proc/net/route";
    public const string Ipv6File = "/proc/net/ipv6_route";

    public static IReadOnlyList<DefaultRoute> ParseIpv4(TextReader reader, string file = Ipv4File)
    {
        var routes = new List<DefaultRoute>();
        var number = 0;
        foreach (var line in CompleteLines(reader))
        {
            number++;
            if (line.StartsWith("Iface", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3)
            {
                throw new RouteFileFormatException(file, number, line, "expected at least 3 fields (Iface Destination Gateway)");
            }

            var destination = ParseHexAddress(fields[1], IpFamily.IPv4, file, number, line);
            var gateway = ParseHexAddress(fields[2], IpFamily.IPv4, file, number, line);
            if (!destination.Equals(IPAddress.Any))
            {
                continue;
            }

            routes.Add(new DefaultRoute(fields[0], gateway, IpFamily.IPv4));
        }

        return routes;
    }

    public static IReadOnlyList<DefaultRoute> ParseIpv6(TextReader reader, string file = Ipv6File)
    {
        var routes = new List<DefaultRoute>();
        var number = 0;
        foreach (var line in CompleteLines(reader))
        {
            number++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10)
            {
                throw new RouteFileFormatException(file, number, line, "expected 10 fields (dest plen src plen nexthop metric refcnt use flags iface)");
            }

            var destination = ParseHexAddress(fields[0], IpFamily.IPv6, file, number, line);
            var gateway = ParseHexAddress(fields[4], IpFamily.IPv6, file, number, line);
            if (!destination.Equals(IPAddress.IPv6Any))
            {
                continue;
            }

            // kubelet skips a default without a next hop ("default dev wg0").
            if (gateway.Equals(IPAddress.IPv6Any))
            {
                continue;
            }

            routes.Add(new DefaultRoute(fields[9], gateway, IpFamily.IPv6));
        }

        return routes;
    }

    /// <summary>Reads both files of a /proc/net-like folder into a <see cref="RouteTable"/>; never throws.</summary>
    public static RouteTable ReadTable(string ipv4Path = Ipv4File, string ipv6Path = Ipv6File)
    {
        if (!File.Exists(ipv4Path))
        {
            return new RouteTable([], Ipv4RouteFileMissing: true);
        }

        try
        {
            var routes = new List<DefaultRoute>();
            using (var v4 = new StreamReader(ipv4Path))
            {
                routes.AddRange(ParseIpv4(v4, ipv4Path));
            }

            // The IPv6 file is optional: a kernel without IPv6 has none.
            if (File.Exists(ipv6Path))
            {
                using var v6 = new StreamReader(ipv6Path);
                routes.AddRange(ParseIpv6(v6, ipv6Path));
            }

            return routes.Count == 0
                ? new RouteTable([], Error: $"no default routes found in {ipv4Path} or {ipv6Path}")
                : new RouteTable(routes);
        }
        catch (Exception e) when (e is RouteFileFormatException or IOException or UnauthorizedAccessException)
        {
            return new RouteTable([], Error: e.Message);
        }
    }

    private static IEnumerable<string> CompleteLines(TextReader reader)
    {
        var text = reader.ReadToEnd();
        var start = 0;
        while (true)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                yield break;
            }

            yield return text[start..end];
            start = end + 1;
        }
    }

    private static IPAddress ParseHexAddress(string hex, IpFamily family, string file, int number, string line)
    {
        var expected = family == IpFamily.IPv4 ? 8 : 32;
        if (hex.Length != expected)
        {
            throw new RouteFileFormatException(file, number, line, $"invalid {family.Name()} address \"{hex}\" in route");
        }

        var bytes = new byte[expected / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.AsSpan(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new RouteFileFormatException(file, number, line, $"invalid hex \"{hex}\" in route");
            }
        }

        if (family == IpFamily.IPv4)
        {
            // /proc/net/route prints the address in host (little-endian) byte order.
            var value = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            Span<byte> network = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(network, value);
            return new IPAddress(network);
        }

        return new IPAddress(bytes);
    }
}
