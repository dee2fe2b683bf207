using System.Buffers.Binary;
using System.Net;
using System.Text;
using K0sNodeIp.Node;
using static K0sNodeIp.Native.Netlink.NetlinkConstants;

namespace K0sNodeIp.Native.Netlink;

/// <summary>Decodes the payloads of RTM_NEWLINK, RTM_NEWADDR and RTM_NEWROUTE messages into plain data.</summary>
internal static class NetlinkParser
{
    /// <param name="Type">ifi_type: the ARPHRD_* link type (1 Ethernet, 65534 none for tun and WireGuard).</param>
    public readonly record struct Link(int Index, string Name, uint Flags, ushort Type);

    public readonly record struct Address(int Index, InterfaceAddress Value);

    /// <param name="DefaultDestination">True when the destination is all zeros (or absent): kubelet counts any such route as a default, whatever its prefix length.</param>
    public readonly record struct Route(IpFamily? Family, int DestinationLength, int OutputInterface, bool DefaultDestination);

    public static Link ParseLink(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < IfInfoLength)
        {
            throw new FormatException("RTM_NEWLINK payload shorter than struct ifinfomsg");
        }

        // struct ifinfomsg: family (1), pad (1), ifi_type (2), ifi_index (4), ifi_flags (4), ifi_change (4).
        var linkType = BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]);
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        var name = string.Empty;
        var attributes = new RouteAttributeReader(payload[IfInfoLength..]);
        while (attributes.TryRead(out var type, out var value))
        {
            if (type == IflaIfname)
            {
                var end = value.IndexOf((byte)0);
                name = Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
            }
        }

        return new Link(index, name, flags, linkType);
    }

    /// <summary>An address message, or null for a family other than IPv4 and IPv6.</summary>
    public static Address? ParseAddress(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < IfAddrLength)
        {
            throw new FormatException("RTM_NEWADDR payload shorter than struct ifaddrmsg");
        }

        var family = payload[0];
        if (family is not (Native.Libc.AfInet or Native.Libc.AfInet6))
        {
            return null;
        }

        var prefixLength = payload[1];
        uint flags = payload[2];
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        byte[]? address = null, local = null;
        var attributes = new RouteAttributeReader(payload[IfAddrLength..]);
        while (attributes.TryRead(out var type, out var value))
        {
            switch (type)
            {
                case IfaAddress:
                    address = value.ToArray();
                    break;
                case IfaLocal:
                    local = value.ToArray();
                    break;
                case IfaFlags when value.Length >= 4:
                    // IFA_FLAGS carries all 32 bits; ifa_flags only the low eight.
                    flags = BinaryPrimitives.ReadUInt32LittleEndian(value);
                    break;
            }
        }

        // As Go's net.Interface.Addrs: on point-to-point links IFA_LOCAL is ours, IFA_ADDRESS the peer.
        var bytes = local ?? address;
        var expected = family == Native.Libc.AfInet ? 4 : 16;
        if (bytes is null || bytes.Length != expected)
        {
            return null;
        }

        // For IPv4, 0x01 is IFA_F_SECONDARY, not "temporary": the flags only mean something for IPv6.
        var ipv6Flags = family == Native.Libc.AfInet6 ? (Ipv6AddressFlags)flags : Ipv6AddressFlags.None;
        return new Address(index, new InterfaceAddress(new IPAddress(bytes), prefixLength, ipv6Flags));
    }

    public static Route ParseRoute(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < RtMsgLength)
        {
            throw new FormatException("RTM_NEWROUTE payload shorter than struct rtmsg");
        }

        IpFamily? family = payload[0] switch
        {
            Native.Libc.AfInet => IpFamily.IPv4,
            Native.Libc.AfInet6 => IpFamily.IPv6,
            _ => null,
        };
        var outputInterface = 0;
        var zeroDestination = true;
        var attributes = new RouteAttributeReader(payload[RtMsgLength..]);
        while (attributes.TryRead(out var type, out var value))
        {
            if (type == RtaOif && value.Length >= 4)
            {
                outputInterface = BinaryPrimitives.ReadInt32LittleEndian(value);
            }
            else if (type == RtaDst)
            {
                zeroDestination = !value.ContainsAnyExcept((byte)0);
            }
        }

        return new Route(family, payload[1], outputInterface, zeroDestination);
    }
}
