using System.Net;
using System.Net.Sockets;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// Destination address ordering of RFC 6724 exactly as Go's <c>net/addrselect.go</c> implements it:
/// rules 1, 2, 5, 6, 8 and 9 (longest matching prefix, for IPv6 only and over the first 64 bits),
/// Go's policy table, and a stable sort so equal addresses keep their resolver order.
/// </summary>
internal static class Rfc6724
{
    private const int ScopeLinkLocal = 0x2;
    private const int ScopeSiteLocal = 0x5;
    private const int ScopeGlobal = 0xe;

    // Go's rfc6724policyTable, longest prefix first.
    private static readonly (byte[] Prefix, int Bits, int Precedence, int Label)[] PolicyTable =
    [
        (IPAddress.IPv6Loopback.GetAddressBytes(), 128, 50, 0),
        (IPAddress.Parse("::ffff:0:0").GetAddressBytes(), 96, 35, 4),
        (IPAddress.IPv6Any.GetAddressBytes(), 96, 1, 3),
        (IPAddress.Parse("2001::").GetAddressBytes(), 32, 5, 5),
        (IPAddress.Parse("2002::").GetAddressBytes(), 16, 30, 2),
        (IPAddress.Parse("3ffe::").GetAddressBytes(), 16, 1, 12),
        (IPAddress.Parse("fec0::").GetAddressBytes(), 10, 1, 11),
        (IPAddress.Parse("fc00::").GetAddressBytes(), 7, 3, 13),
        (IPAddress.IPv6Any.GetAddressBytes(), 0, 40, 1),
    ];

    /// <summary>Sorts destinations; <paramref name="sourceFor"/> gives the kernel's source address for each, or null when unreachable.</summary>
    public static IReadOnlyList<IPAddress> Sort(IReadOnlyList<IPAddress> destinations, Func<IPAddress, IPAddress?> sourceFor)
    {
        var entries = destinations.Select((d, i) => (Destination: d, Source: sourceFor(d), Index: i)).ToList();

        // List.Sort is not stable; the original index breaks ties as Go's sort.Stable would.
        entries.Sort((a, b) =>
        {
            var c = Compare(a.Destination, a.Source, b.Destination, b.Source);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        return entries.Select(e => e.Destination).ToArray();
    }

    /// <summary>Negative when A is preferred, positive when B is, zero to keep the order.</summary>
    internal static int Compare(IPAddress da, IPAddress? sourceA, IPAddress db, IPAddress? sourceB)
    {
        const int PreferA = -1, PreferB = 1;

        // Rule 1: avoid unusable destinations.
        if (sourceA is null && sourceB is null)
        {
            return 0;
        }

        if (sourceB is null)
        {
            return PreferA;
        }

        if (sourceA is null)
        {
            return PreferB;
        }

        var attrDa = Classify(da);
        var attrDb = Classify(db);
        var attrSa = Classify(sourceA);
        var attrSb = Classify(sourceB);

        // Rule 2: prefer matching scope.
        if (attrDa.Scope == attrSa.Scope && attrDb.Scope != attrSb.Scope)
        {
            return PreferA;
        }

        if (attrDa.Scope != attrSa.Scope && attrDb.Scope == attrSb.Scope)
        {
            return PreferB;
        }

        // Rule 5: prefer matching label.
        if (attrSa.Label == attrDa.Label && attrSb.Label != attrDb.Label)
        {
            return PreferA;
        }

        if (attrSa.Label != attrDa.Label && attrSb.Label == attrDb.Label)
        {
            return PreferB;
        }

        // Rule 6: prefer higher precedence.
        if (attrDa.Precedence != attrDb.Precedence)
        {
            return attrDa.Precedence > attrDb.Precedence ? PreferA : PreferB;
        }

        // Rule 8: prefer smaller scope.
        if (attrDa.Scope != attrDb.Scope)
        {
            return attrDa.Scope < attrDb.Scope ? PreferA : PreferB;
        }

        // Rule 9: longest matching prefix, IPv6 only (Go issues 13283 and 18518).
        if (da.Family() == IpFamily.IPv6 && db.Family() == IpFamily.IPv6)
        {
            var commonA = CommonPrefixLength(sourceA, da);
            var commonB = CommonPrefixLength(sourceB, db);
            if (commonA != commonB)
            {
                return commonA > commonB ? PreferA : PreferB;
            }
        }

        // Rule 10: leave the order unchanged.
        return 0;
    }

    internal static (int Precedence, int Label, int Scope) Classify(IPAddress address)
    {
        var bytes = To16(address);
        var precedence = 0;
        var label = 0;
        foreach (var (prefix, bits, p, l) in PolicyTable)
        {
            if (PrefixMatches(bytes, prefix, bits))
            {
                precedence = p;
                label = l;
                break;
            }
        }

        return (precedence, label, Scope(address, bytes));
    }

    private static int Scope(IPAddress address, byte[] bytes)
    {
        var v4 = address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6;
        if (v4)
        {
            var b = bytes.AsSpan(12);
            return b[0] == 127 || (b[0] == 169 && b[1] == 254) ? ScopeLinkLocal : ScopeGlobal;
        }

        if (address.Equals(IPAddress.IPv6Loopback) || address.IsIPv6LinkLocal)
        {
            return ScopeLinkLocal;
        }

        if (bytes[0] == 0xff)
        {
            return bytes[1] & 0xf;
        }

        return bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0xc0 ? ScopeSiteLocal : ScopeGlobal;
    }

    private static int CommonPrefixLength(IPAddress a, IPAddress b)
    {
        var x = To16(a);
        var y = To16(b);
        var length = 0;

        // Go compares only the first 64 bits of IPv6 addresses.
        for (var i = 0; i < 8; i++)
        {
            var diff = x[i] ^ y[i];
            if (diff == 0)
            {
                length += 8;
                continue;
            }

            length += System.Numerics.BitOperations.LeadingZeroCount((uint)diff) - 24;
            break;
        }

        return length;
    }

    private static byte[] To16(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6().GetAddressBytes() : address.GetAddressBytes();

    private static bool PrefixMatches(byte[] address, byte[] prefix, int bits)
    {
        var whole = bits / 8;
        if (!address.AsSpan(0, whole).SequenceEqual(prefix.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xff << (8 - rest));
        return (address[whole] & mask) == (prefix[whole] & mask);
    }
}
