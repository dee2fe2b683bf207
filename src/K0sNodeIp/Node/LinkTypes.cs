namespace K0sNodeIp.Node;

/// <summary>The ARPHRD_* link types (ifi_type, linux/if_arp.h) detection looks at.</summary>
internal static class LinkTypes
{
    public const ushort Ether = 1;
    public const ushort Ppp = 512;
    public const ushort Loopback = 772;

    /// <summary>ARPHRD_NONE: no link layer at all (tun devices, WireGuard, tailscale0).</summary>
    public const ushort None = 65534;
}
