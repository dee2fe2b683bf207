namespace K0sNodeIp.Node;

/// <summary>
/// One network interface: its kernel flags and its addresses in the kernel's netlink dump order,
/// which is the order kubelet's "first address" follows.
/// </summary>
internal sealed record NetInterface(
    int Index,
    string Name,
    bool IsUp,
    bool IsLoopback,
    bool IsPointToPoint,
    IReadOnlyList<InterfaceAddress> Addresses)
{
    /// <summary>
    /// IFF_LOWER_UP: the link has carrier. False for an interface that is up but shows NO-CARRIER (a veth whose
    /// peer is down, an unplugged cable). True when unknown (an older snapshot), so nothing is claimed.
    /// </summary>
    public bool HasCarrier { get; init; } = true;

    /// <summary>The link type (ifi_type, an ARPHRD_* number such as 1 for Ethernet); null when unknown (an older snapshot).</summary>
    public ushort? LinkType { get; init; }

    /// <summary>A tunnel or VPN interface: point-to-point, or a link type with no link layer (tun, WireGuard, tailscale0, ppp).</summary>
    public bool IsTunnel => IsPointToPoint || LinkType is LinkTypes.None or LinkTypes.Ppp;
}
