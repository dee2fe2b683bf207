using System.Buffers;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
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

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<byte> HexDigitBytes = SearchValues.Create("0123456789abcdefABCDEF"u8);

    /// <summary>How much of a route file one read asks for: the kernel's own seq_file work is the same at any size.</summary>
    private const int ChunkSize = 64 * 1024;

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
        var state = new LineParser(family, file, devicesWithoutGateway);
        state.Lines(text.AsSpan());
        rejectDefault = state.RejectDefault;
        return state.Routes;
    }

    /// <summary>
    /// The line loop of one route file, fed the text in one piece (a string) or in chunks (bytes read from the
    /// kernel); <see cref="Lines{T}"/> takes <see cref="char"/> or <see cref="byte"/> (ASCII only, so every byte is the
    /// char of the same value).
    /// </summary>
    private sealed class LineParser(IpFamily family, string file, List<string> devicesWithoutGateway)
    {
        private readonly (int Destination, int Gateway, int Interface, int Minimum) _fields =
            family == IpFamily.IPv4 ? (1, 2, 0, 3) : (0, 4, 9, 10);

        private int _number;

        public List<DefaultRoute> Routes { get; } = [];

        public bool RejectDefault { get; private set; }

        /// <summary>Parses every complete line of <paramref name="text"/>; returns how much of it that was.</summary>
        public int Lines<T>(ReadOnlySpan<T> text)
            where T : unmanaged, IEquatable<T>
        {
            Span<Range> fields = stackalloc Range[12];
            var rest = text;
            while (true)
            {
                // Like Go's ReadString('\n') loop, a last line without a newline is not read.
                var end = rest.IndexOf(Unit<T>('\n'));
                if (end < 0)
                {
                    return text.Length - rest.Length;
                }

                var line = rest[..end];
                rest = rest[(end + 1)..];
                _number++;
                if (family == IpFamily.IPv4 && StartsWithIface(line))
                {
                    continue;
                }

                // Only the first Minimum fields are looked at (IPv4: 0-2, IPv6: 0, 4, 5, 8, 9), so splitting stops there:
                // the count check is the same whether a line has exactly that many fields or more.
                var count = SplitFields(line, fields[.._fields.Minimum]);
                if (count < _fields.Minimum)
                {
                    throw new RouteFileFormatException(file, _number, Text(line),
                        family == IpFamily.IPv4 ? "expected at least 3 fields (Iface Destination Gateway)" : "expected 10 fields (dest plen src plen nexthop metric refcnt use flags iface)");
                }

                var destination = line[fields[_fields.Destination]];
                var gateway = line[fields[_fields.Gateway]];
                CheckHex(destination, family, file, _number, line);
                CheckHex(gateway, family, file, _number, line);
                if (destination.ContainsAnyExcept(Unit<T>('0')))
                {
                    continue;
                }

                // kubelet skips an IPv6 default without a next hop ("default dev wg0"); a reject route is one of those,
                // and so is the kernel's null entry, which is no route at all.
                if (family == IpFamily.IPv6 && !gateway.ContainsAnyExcept(Unit<T>('0')))
                {
                    var reject = TryParseHex(line[fields[8]], out var flags) && (flags & RouteReject) != 0;
                    var nullEntry = reject && TryParseHex(line[fields[5]], out var metric) && metric == NullEntryMetric;
                    if (reject)
                    {
                        RejectDefault |= !nullEntry;
                        continue;
                    }

                    var device = Text(line[fields[_fields.Interface]]);
                    if (!devicesWithoutGateway.Contains(device))
                    {
                        devicesWithoutGateway.Add(device);
                    }

                    continue;
                }

                Routes.Add(new DefaultRoute(Text(line[fields[_fields.Interface]]), ParseHexAddress(gateway, family), family));
            }
        }
    }

    private static T Unit<T>(char c)
        where T : unmanaged
    {
        if (typeof(T) == typeof(char))
        {
            return Unsafe.As<char, T>(ref c);
        }

        var b = (byte)c;
        return Unsafe.As<byte, T>(ref b);
    }

    private static ReadOnlySpan<char> Chars<T>(ReadOnlySpan<T> text)
        where T : unmanaged => MemoryMarshal.Cast<T, char>(text);

    private static ReadOnlySpan<byte> Bytes<T>(ReadOnlySpan<T> text)
        where T : unmanaged => MemoryMarshal.Cast<T, byte>(text);

    private static string Text<T>(ReadOnlySpan<T> text)
        where T : unmanaged => typeof(T) == typeof(char) ? Chars(text).ToString() : Encoding.ASCII.GetString(Bytes(text));

    private static bool StartsWithIface<T>(ReadOnlySpan<T> line)
        where T : unmanaged => typeof(T) == typeof(char) ? Chars(line).StartsWith("Iface") : Bytes(line).StartsWith("Iface"u8);

    private static bool TryParseHex<T>(ReadOnlySpan<T> hex, out uint value)
        where T : unmanaged => typeof(T) == typeof(char)
            ? uint.TryParse(Chars(hex), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(Bytes(hex), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    private static bool IsWhiteSpace<T>(T unit)
        where T : unmanaged => typeof(T) == typeof(char) ? char.IsWhiteSpace(Unsafe.As<T, char>(ref unit)) : char.IsWhiteSpace((char)Unsafe.As<T, byte>(ref unit));

    private static int SplitFields<T>(ReadOnlySpan<T> line, Span<Range> fields)
        where T : unmanaged
    {
        var count = 0;
        var i = 0;
        while (i < line.Length && count < fields.Length)
        {
            while (i < line.Length && IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !IsWhiteSpace(line[i]))
            {
                i++;
            }

            fields[count++] = start..i;
        }

        return count;
    }

    private static void CheckHex<T>(ReadOnlySpan<T> hex, IpFamily family, string file, int number, ReadOnlySpan<T> line)
        where T : unmanaged
    {
        if (hex.Length != (family == IpFamily.IPv4 ? 8 : 32))
        {
            throw new RouteFileFormatException(file, number, Text(line), $"invalid {family.Name()} address \"{Text(hex)}\" in route");
        }

        if (typeof(T) == typeof(char) ? Chars(hex).ContainsAnyExcept(HexDigits) : Bytes(hex).ContainsAnyExcept(HexDigitBytes))
        {
            throw new RouteFileFormatException(file, number, Text(line), $"invalid hex \"{Text(hex)}\" in route");
        }
    }

    /// <summary>Reads both files of a /proc/net-like folder into a <see cref="RouteTable"/>; never throws.</summary>
    /// <remarks>
    /// The answer of <c>ToTable(ReadTexts(...))</c>, errors and their precedence included (a read error before a format
    /// error, the IPv4 file's before the IPv6 file's), without a file-sized string: the files are read in 64 KiB chunks
    /// and parsed as ASCII bytes (a large node's /proc/net/route is megabytes). A file holding any other byte is read
    /// as text instead.
    /// </remarks>
    public static RouteTable ReadTable(string ipv4Path = Ipv4File, string ipv6Path = Ipv6File)
    {
        try
        {
            if (!File.Exists(ipv4Path))
            {
                return ToTable(new RouteFileTexts(ipv4Path, null, ipv6Path, null));
            }

            var ipv4 = new LineParser(IpFamily.IPv4, ipv4Path, []);
            if (!TryStream(ipv4Path, ipv4, out var ipv4Error))
            {
                return ToTable(ReadTexts(ipv4Path, ipv6Path));
            }

            // The IPv6 file is optional: a kernel without IPv6 has none.
            var withoutGateway = new List<string>();
            LineParser? ipv6 = null;
            RouteFileFormatException? ipv6Error = null;
            if (File.Exists(ipv6Path))
            {
                ipv6 = new LineParser(IpFamily.IPv6, ipv6Path, withoutGateway);
                if (!TryStream(ipv6Path, ipv6, out ipv6Error))
                {
                    return ToTable(ReadTexts(ipv4Path, ipv6Path));
                }
            }

            if ((ipv4Error ?? ipv6Error) is { } formatError)
            {
                return new RouteTable([], Error: formatError.Message);
            }

            var routes = new List<DefaultRoute>(ipv4.Routes);
            routes.AddRange(ipv6?.Routes ?? []);
            var reject = ipv6?.RejectDefault ?? false;
            return routes.Count == 0
                ? new RouteTable([], Error: $"no default routes found in {ipv4Path} or {ipv6Path}") { Ipv6RejectDefault = reject, Ipv6DefaultDevicesWithoutGateway = withoutGateway }
                : new RouteTable(routes) { Ipv6RejectDefault = reject, Ipv6DefaultDevicesWithoutGateway = withoutGateway };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RouteTable([], Error: e.Message);
        }
    }

    /// <summary>
    /// Feeds the whole file to <paramref name="parser"/> chunk by chunk; false (nothing decided) when it holds a byte
    /// that is not ASCII. After a format error the file is still read to its end, so that a read error wins as it
    /// does when the file is read whole first.
    /// </summary>
    private static bool TryStream(string path, LineParser parser, out RouteFileFormatException? error)
    {
        error = null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var buffer = new byte[ChunkSize];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                // One line longer than the buffer: a hostile or broken file, still read as kubelet reads it.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                // What is left is a last line without a newline, which kubelet does not read either.
                return true;
            }

            if (!Ascii.IsValid(buffer.AsSpan(filled, read)))
            {
                return false;
            }

            filled += read;
            var used = filled;
            if (error is null)
            {
                try
                {
                    used = parser.Lines(new ReadOnlySpan<byte>(buffer, 0, filled));
                }
                catch (RouteFileFormatException e)
                {
                    error = e;
                }
            }

            buffer.AsSpan(used, filled - used).CopyTo(buffer);
            filled -= used;
        }
    }

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

    private static IPAddress ParseHexAddress<T>(ReadOnlySpan<T> hex, IpFamily family)
        where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = typeof(T) == typeof(char)
                ? byte.Parse(Chars(hex).Slice(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : byte.Parse(Bytes(hex).Slice(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }

        // /proc/net/route prints the IPv4 address in host (little-endian) byte order.
        if (family == IpFamily.IPv4)
        {
            bytes.Reverse();
        }

        return new IPAddress(bytes);
    }
}
