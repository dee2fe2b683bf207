using System.Globalization;
using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// Reads default routes from the kernel's route files exactly as apimachinery's
/// <c>getIPv4DefaultRoutes</c> / <c>getIPv6DefaultRoutes</c> do, quirks included: Mask, Metric and
/// prefix length are ignored, file order is kept, and (like Go's <c>ReadString('\n')</c> loop) a last
/// line without a trailing newline is not read.
/// </summary>
internal static class RouteFileParser
{
    public const string Ipv4File = RouteTable.Ipv4File;
    public const string Ipv6File = RouteTable.Ipv6File;

    private const uint RouteReject = 0x0200; // RTF_REJECT

    /// <summary>
    /// The metric of the kernel's own null entries (ip6_null_entry, one per routing table): every node lists
    /// "::/0 via :: metric ffffffff, RTF_REJECT, dev lo" even without any IPv6 default route. Not a route anyone added.
    /// </summary>
    private const uint NullEntryMetric = 0xffffffff;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static IReadOnlyList<DefaultRoute> ParseIpv4(TextReader reader, string file = Ipv4File) =>
        Parse(reader.ReadToEnd(), IpFamily.IPv4, file);

    public static IReadOnlyList<DefaultRoute> ParseIpv6(TextReader reader, string file = Ipv6File) =>
        Parse(reader.ReadToEnd(), IpFamily.IPv6, file);

    /// <summary>
    /// Walks the lines as spans: a node with tens of thousands of routes is read without a string per field,
    /// while every line is still checked as kubelet checks it.
    /// </summary>
    private static List<DefaultRoute> Parse(string text, IpFamily family, string file) => Parse(text, family, file, out _, []);

    /// <param name="rejectDefault">True when an IPv6 default route carries RTF_REJECT (blackhole, unreachable, prohibit); the kernel's null entries do not count.</param>
    /// <param name="devicesWithoutGateway">Gets the device of each IPv6 default route that has no next hop and is no reject route ("default dev tun0"), once each.</param>
    private static List<DefaultRoute> Parse(string text, IpFamily family, string file, out bool rejectDefault, List<string> devicesWithoutGateway)
    {
        rejectDefault = false;
        var routes = new List<DefaultRoute>();
        var (destinationField, gatewayField, interfaceField, minimum) = family == IpFamily.IPv4 ? (1, 2, 0, 3) : (0, 4, 9, 10);
        Span<Range> fields = stackalloc Range[12];
        var rest = text.AsSpan();
        var number = 0;
        while (true)
        {
            // Like Go's ReadString('\n') loop, a last line without a newline is not read.
            var end = rest.IndexOf('\n');
            if (end < 0)
            {
                return routes;
            }

            var line = rest[..end];
            rest = rest[(end + 1)..];
            number++;
            if (family == IpFamily.IPv4 && line.StartsWith("Iface"))
            {
                continue;
            }

            var count = SplitFields(line, fields);
            if (count < minimum)
            {
                throw new RouteFileFormatException(file, number, line.ToString(),
                    family == IpFamily.IPv4 ? "expected at least 3 fields (Iface Destination Gateway)" : "expected 10 fields (dest plen src plen nexthop metric refcnt use flags iface)");
            }

            var destination = line[fields[destinationField]];
            var gateway = line[fields[gatewayField]];
            CheckHex(destination, family, file, number, line);
            CheckHex(gateway, family, file, number, line);
            if (destination.ContainsAnyExcept('0'))
            {
                continue;
            }

            // kubelet skips an IPv6 default without a next hop ("default dev wg0"); a reject route is one of those,
            // and so is the kernel's null entry, which is no route at all.
            if (family == IpFamily.IPv6 && !gateway.ContainsAnyExcept('0'))
            {
                var reject = uint.TryParse(line[fields[8]], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var flags) && (flags & RouteReject) != 0;
                var nullEntry = reject && uint.TryParse(line[fields[5]], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var metric) && metric == NullEntryMetric;
                if (reject)
                {
                    rejectDefault |= !nullEntry;
                    continue;
                }

                var device = line[fields[interfaceField]].ToString();
                if (!devicesWithoutGateway.Contains(device))
                {
                    devicesWithoutGateway.Add(device);
                }

                continue;
            }

            routes.Add(new DefaultRoute(line[fields[interfaceField]].ToString(), ParseHexAddress(gateway, family), family));
        }
    }

    private static int SplitFields(ReadOnlySpan<char> line, Span<Range> fields)
    {
        var count = 0;
        var i = 0;
        while (i < line.Length && count < fields.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            fields[count++] = start..i;
        }

        return count;
    }

    private static void CheckHex(ReadOnlySpan<char> hex, IpFamily family, string file, int number, ReadOnlySpan<char> line)
    {
        if (hex.Length != (family == IpFamily.IPv4 ? 8 : 32))
        {
            throw new RouteFileFormatException(file, number, line.ToString(), $"invalid {family.Name()} address \"{hex}\" in route");
        }

        if (hex.ContainsAnyExcept(HexDigits))
        {
            throw new RouteFileFormatException(file, number, line.ToString(), $"invalid hex \"{hex}\" in route");
        }
    }

    /// <summary>Reads both files of a /proc/net-like folder into a <see cref="RouteTable"/>; never throws.</summary>
    public static RouteTable ReadTable(string ipv4Path = Ipv4File, string ipv6Path = Ipv6File) => ToTable(ReadTexts(ipv4Path, ipv6Path));

    /// <summary>The two route files as text, as kubelet would find them; never throws.</summary>
    public static RouteFileTexts ReadTexts(string ipv4Path = Ipv4File, string ipv6Path = Ipv6File)
    {
        try
        {
            if (!File.Exists(ipv4Path))
            {
                return new RouteFileTexts(ipv4Path, null, ipv6Path, null);
            }

            // The IPv6 file is optional: a kernel without IPv6 has none.
            var ipv4 = File.ReadAllText(ipv4Path);
            return new RouteFileTexts(ipv4Path, ipv4, ipv6Path, File.Exists(ipv6Path) ? File.ReadAllText(ipv6Path) : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RouteFileTexts(ipv4Path, null, ipv6Path, null, e.Message);
        }
    }

    /// <summary>The default routes in route files already read (live, or from a --snapshot file); never throws.</summary>
    public static RouteTable ToTable(RouteFileTexts texts)
    {
        if (texts.Error is not null)
        {
            return new RouteTable([], Error: texts.Error);
        }

        if (texts.Ipv4 is null)
        {
            return new RouteTable([], Ipv4RouteFileMissing: true);
        }

        try
        {
            var routes = new List<DefaultRoute>();
            routes.AddRange(Parse(texts.Ipv4, IpFamily.IPv4, texts.Ipv4Path));
            var reject = false;
            var withoutGateway = new List<string>();
            if (texts.Ipv6 is not null)
            {
                routes.AddRange(Parse(texts.Ipv6, IpFamily.IPv6, texts.Ipv6Path, out reject, withoutGateway));
            }

            return routes.Count == 0
                ? new RouteTable([], Error: $"no default routes found in {texts.Ipv4Path} or {texts.Ipv6Path}") { Ipv6RejectDefault = reject, Ipv6DefaultDevicesWithoutGateway = withoutGateway }
                : new RouteTable(routes) { Ipv6RejectDefault = reject, Ipv6DefaultDevicesWithoutGateway = withoutGateway };
        }
        catch (RouteFileFormatException e)
        {
            return new RouteTable([], Error: e.Message);
        }
    }

    private static IPAddress ParseHexAddress(ReadOnlySpan<char> hex, IpFamily family)
    {
        Span<byte> bytes = stackalloc byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = byte.Parse(hex.Slice(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }

        // /proc/net/route prints the IPv4 address in host (little-endian) byte order.
        if (family == IpFamily.IPv4)
        {
            bytes.Reverse();
        }

        return new IPAddress(bytes);
    }
}
