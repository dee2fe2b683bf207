using K0sNodeIp.Native.Netlink;
using K0sNodeIp.Node;
using static K0sNodeIp.Native.Netlink.NetlinkConstants;

namespace K0sNodeIp.Sources;

/// <summary>
/// Interfaces from one RTM_GETLINK and one RTM_GETADDR dump: the order and flags Go's
/// <c>net.Interfaces</c> and <c>Interface.Addrs</c> give kubelet, with the IPv6 address flags beside.
/// </summary>
internal sealed class NetlinkInterfaces : INetworkInterfaces
{
    public IReadOnlyList<NetInterface> Read()
    {
        using var socket = new NetlinkSocket();
        var links = new List<NetlinkParser.Link>();
        socket.Dump(RtmGetLink, Native.Libc.AfUnspec, IfInfoLength, RtmNewLink, payload => links.Add(NetlinkParser.ParseLink(payload)));

        var addresses = new Dictionary<int, List<InterfaceAddress>>();
        socket.Dump(RtmGetAddr, Native.Libc.AfUnspec, IfAddrLength, RtmNewAddr, payload =>
        {
            if (NetlinkParser.ParseAddress(payload) is { } address)
            {
                if (!addresses.TryGetValue(address.Index, out var list))
                {
                    addresses[address.Index] = list = [];
                }

                list.Add(address.Value);
            }
        });

        return links
            .Select(l => new NetInterface(
                l.Index,
                l.Name,
                IsUp: (l.Flags & IffUp) != 0,
                IsLoopback: (l.Flags & IffLoopback) != 0,
                IsPointToPoint: (l.Flags & IffPointToPoint) != 0,
                addresses.TryGetValue(l.Index, out var list) ? list : [])
            {
                HasCarrier = (l.Flags & IffLowerUp) != 0,
                LinkType = l.Type,
            })
            .ToArray();
    }
}
