using K0sNodeIp.Native.Netlink;
using K0sNodeIp.Node;

namespace K0sNodeIp.Tests.Sources;

/// <summary>
/// The parser on netlink dumps recorded from a real network namespace (Fixtures/netlink, recorded with a raw
/// NETLINK_ROUTE socket: eth0 with 192.0.2.10, 2001:db8::77 still tentative, ::5 deprecated, ::10 nodad; a global
/// address on lo), beside the hand-built messages of NetlinkParserTests.
/// </summary>
public sealed class CapturedNetlinkDumpTests
{
    [Fact]
    public void Address_dump_gives_the_kernels_order_and_the_ipv6_flags()
    {
        var addresses = Messages("addr-dump-eth0-deprecated-tentative.bin", NetlinkConstants.RtmNewAddr)
            .Select(p => NetlinkParser.ParseAddress(p))
            .OfType<NetlinkParser.Address>()
            .Select(a => (a.Index, a.Value.ToString(), a.Value.Flags))
            .ToList();

        Assert.Equal(
        [
            // IPv4 addresses carry no flags kubelet or this policy use.
            (1, "127.0.0.1/8", Ipv6AddressFlags.None),
            (1, "198.51.100.1/32", Ipv6AddressFlags.None),
            (2, "192.0.2.10/24", Ipv6AddressFlags.None),
            (1, "::1/128", Ipv6AddressFlags.Permanent),
            (2, "2001:db8::77/64", Ipv6AddressFlags.Permanent | Ipv6AddressFlags.Tentative),
            (2, "2001:db8::5/64", Ipv6AddressFlags.Permanent | Ipv6AddressFlags.Deprecated | Ipv6AddressFlags.NoDad),
            (2, "2001:db8::10/64", Ipv6AddressFlags.Permanent | Ipv6AddressFlags.NoDad),
            (2, "fe80::64d9:cdff:fe83:88a8/64", Ipv6AddressFlags.Permanent | Ipv6AddressFlags.Tentative),
        ], addresses);
    }

    [Fact]
    public void Link_dump_names_the_interfaces_with_their_flags()
    {
        var links = Messages("link-dump-lo-eth0.bin", NetlinkConstants.RtmNewLink).Select(p => NetlinkParser.ParseLink(p)).ToList();

        Assert.Equal([(1, "lo"), (2, "eth0")], links.Select(l => (l.Index, l.Name)));
        Assert.True((links[0].Flags & NetlinkConstants.IffLoopback) != 0);
        Assert.True((links[1].Flags & NetlinkConstants.IffUp) != 0);
        Assert.True((links[1].Flags & NetlinkConstants.IffLowerUp) != 0);
        Assert.Equal([LinkTypes.Loopback, LinkTypes.Ether], links.Select(l => l.Type));
    }

    /// <summary>The payloads of one message type, in the order the kernel sent them, until NLMSG_DONE.</summary>
    private static List<byte[]> Messages(string fixture, ushort type)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "netlink", fixture));
        var payloads = new List<byte[]>();
        var reader = new NetlinkMessageReader(bytes);
        while (reader.TryRead(out var messageType, out _, out var payload))
        {
            if (messageType == NetlinkConstants.NlmsgDone)
            {
                break;
            }

            if (messageType == type)
            {
                payloads.Add(payload.ToArray());
            }
        }

        Assert.NotEmpty(payloads);
        return payloads;
    }
}
