using System.Buffers.Binary;
using System.Net;
using System.Text;
using K0sNodeIp.Native.Netlink;
using K0sNodeIp.Node;

namespace K0sNodeIp.Tests.Sources;

public sealed class NetlinkParserTests
{
    [Fact]
    public void Link_message_gives_index_name_and_flags()
    {
        var payload = Concat(IfInfo(index: 7, flags: 0x1 | 0x10), Attribute(3, Encoding.UTF8.GetBytes("wg0\0")));

        var link = NetlinkParser.ParseLink(payload);

        Assert.Equal(7, link.Index);
        Assert.Equal("wg0", link.Name);
        Assert.Equal(0x11u, link.Flags);
    }

    [Fact]
    public void Link_message_gives_the_link_type_and_the_carrier_flag()
    {
        var payload = Concat(IfInfo(index: 9, flags: 0x1 | 0x10 | 0x10000, type: 65534), Attribute(3, Encoding.UTF8.GetBytes("tun0\0")));

        var link = NetlinkParser.ParseLink(payload);

        Assert.Equal((ushort)65534, link.Type);
        Assert.NotEqual(0u, link.Flags & NetlinkConstants.IffLowerUp);
    }

    [Fact]
    public void Ipv6_address_takes_the_32_bit_flags_attribute()
    {
        var payload = Concat(IfAddr(family: 10, prefix: 64, flags: 0x20, index: 2),
            Attribute(1, IPAddress.Parse("2001:db8::20").GetAddressBytes()),
            Attribute(8, UInt32(0x20 | 0x80 | 0x800)));

        var address = NetlinkParser.ParseAddress(payload)!.Value;

        Assert.Equal(2, address.Index);
        Assert.Equal(IPAddress.Parse("2001:db8::20"), address.Value.Address);
        Assert.Equal(64, address.Value.PrefixLength);
        Assert.Equal(Ipv6AddressFlags.Deprecated | Ipv6AddressFlags.Permanent | Ipv6AddressFlags.StablePrivacy, address.Value.Flags);
    }

    [Fact]
    public void Point_to_point_ipv4_address_is_the_local_one_not_the_peer_and_has_no_ipv6_flags()
    {
        var payload = Concat(IfAddr(family: 2, prefix: 32, flags: 0x01, index: 4),
            Attribute(1, IPAddress.Parse("10.9.0.2").GetAddressBytes()),
            Attribute(2, IPAddress.Parse("10.9.0.1").GetAddressBytes()));

        var address = NetlinkParser.ParseAddress(payload)!.Value;

        Assert.Equal(IPAddress.Parse("10.9.0.1"), address.Value.Address);
        Assert.Equal(Ipv6AddressFlags.None, address.Value.Flags);
    }

    [Fact]
    public void Messages_are_walked_with_alignment_and_overruns_are_rejected()
    {
        var first = Message(20, [1, 2, 3, 4, 5]);
        var second = Message(21, [9]);
        var buffer = Concat(first, second);
        var types = new List<ushort>();

        var reader = new NetlinkMessageReader(buffer);
        while (reader.TryRead(out var type, out _, out var payload))
        {
            types.Add(type);
        }

        Assert.Equal([20, 21], types);
        var truncated = buffer[..^4];
        Assert.Throws<FormatException>(() =>
        {
            var r = new NetlinkMessageReader(truncated);
            while (r.TryRead(out _, out _, out _))
            {
            }
        });
    }

    [Fact]
    public void Route_message_gives_family_prefix_and_output_interface()
    {
        var rtmsg = new byte[12];
        rtmsg[0] = 10;
        rtmsg[1] = 0;
        var route = NetlinkParser.ParseRoute(Concat(rtmsg, Attribute(4, UInt32(3))));

        Assert.Equal(IpFamily.IPv6, route.Family);
        Assert.Equal(0, route.DestinationLength);
        Assert.Equal(3, route.OutputInterface);
        Assert.True(route.DefaultDestination);
    }

    [Theory]
    [InlineData("0.0.0.0", 1, true)]
    [InlineData("128.0.0.0", 1, false)]
    [InlineData("192.0.2.0", 24, false)]
    public void Any_route_to_an_all_zero_destination_counts_as_default_as_in_kubelet(string destination, byte prefix, bool isDefault)
    {
        var rtmsg = new byte[12];
        rtmsg[0] = 2;
        rtmsg[1] = prefix;

        var route = NetlinkParser.ParseRoute(Concat(rtmsg, Attribute(1, IPAddress.Parse(destination).GetAddressBytes())));

        Assert.Equal(isDefault, route.DefaultDestination);
    }

    private static byte[] IfInfo(int index, uint flags, ushort type = 1)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), type);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), flags);
        return b;
    }

    private static byte[] IfAddr(byte family, byte prefix, byte flags, int index)
    {
        var b = new byte[8];
        b[0] = family;
        b[1] = prefix;
        b[2] = flags;
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), index);
        return b;
    }

    private static byte[] Attribute(ushort type, byte[] value)
    {
        var length = 4 + value.Length;
        var b = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), type);
        value.CopyTo(b, 4);
        return b;
    }

    private static byte[] Message(ushort type, byte[] payload)
    {
        var length = 16 + payload.Length;
        var b = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), type);
        payload.CopyTo(b, 16);
        return b;
    }

    private static byte[] UInt32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return b;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
