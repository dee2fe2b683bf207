using System.Net;

namespace K0sNodeIp.Node;

/// <summary>
/// IP text as Go reads it (<c>netip.ParseAddr</c>, then <c>net.IP</c>): IPv4 only as four decimal fields without
/// leading zeros (.NET also takes "10.1" and "0x7f.1"), and an IPv4-mapped IPv6 address is an IPv4 address.
/// </summary>
internal static class GoAddress
{
    /// <summary>Parses as Go would; a zone (<c>%eth0</c>) is dropped, as kubelet's checks never use it.</summary>
    public static bool TryParse(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var percent = text.IndexOf('%', StringComparison.Ordinal);
        if (percent == 0 || percent == text.Length - 1)
        {
            return false;
        }

        var ip = percent > 0 ? text[..percent] : text;
        if (!ip.Contains(':', StringComparison.Ordinal))
        {
            // A zone belongs to IPv6 only.
            return percent < 0 && TryParseIPv4(ip, out address);
        }

        if (ip.AsSpan().IndexOfAny('[', ']', '/') >= 0)
        {
            return false;
        }

        // An embedded IPv4 tail (::ffff:192.0.2.1) follows the IPv4 rules too.
        var lastColon = ip.LastIndexOf(':');
        if (ip.IndexOf('.', lastColon + 1) >= 0 && !TryParseIPv4(ip[(lastColon + 1)..], out _))
        {
            return false;
        }

        if (!IPAddress.TryParse(ip, out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = Normalize(parsed);
        return true;
    }

    /// <summary>
    /// As kubelet's <c>netutils.ParseIPSloppy</c> (Go's parser before 1.17), used for a hostname that may be an IP:
    /// leading zeros are decimal ("010.1.1.1" is 10.1.1.1); "42" or "0x7f000001" are names, not addresses.
    /// </summary>
    public static bool TryParseSloppy(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (!text.Contains(':', StringComparison.Ordinal))
        {
            return TryParseIPv4(text, out address, allowLeadingZeros: true);
        }

        var lastColon = text.LastIndexOf(':');
        if (text.IndexOf('.', lastColon + 1) >= 0)
        {
            if (!TryParseIPv4(text[(lastColon + 1)..], out var tail, allowLeadingZeros: true))
            {
                return false;
            }

            // Rewrite the tail canonically so the IPv6 parser sees plain decimal fields.
            text = text[..(lastColon + 1)] + tail;
        }

        return TryParse(text, out address);
    }

    /// <summary>An IPv4-mapped IPv6 address as the IPv4 address Go's <c>net.IP</c> treats it as.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool TryParseIPv4(string text, out IPAddress address, bool allowLeadingZeros = false)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        var fields = text.Split('.');
        if (fields.Length != 4)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            var field = fields[i];
            if (field.Length == 0 || !field.All(char.IsAsciiDigit) || (!allowLeadingZeros && (field.Length > 3 || (field.Length > 1 && field[0] == '0'))))
            {
                return false;
            }

            var digits = field.TrimStart('0');
            var value = digits.Length == 0 ? 0 : digits.Length > 3 ? 256 : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
