namespace K0sNodeIp.Native.Netlink;

/// <summary>rtnetlink protocol numbers (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h; see rtnetlink(7)).</summary>
internal static class NetlinkConstants
{
    public const int HeaderLength = 16;
    public const int IfInfoLength = 16;
    public const int IfAddrLength = 8;
    public const int RtMsgLength = 12;

    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;

    public const ushort RtmNewLink = 16;
    public const ushort RtmDelLink = 17;
    public const ushort RtmGetLink = 18;
    public const ushort RtmNewAddr = 20;
    public const ushort RtmDelAddr = 21;
    public const ushort RtmGetAddr = 22;
    public const ushort RtmNewRoute = 24;
    public const ushort RtmDelRoute = 25;

    public const ushort NlmFRequest = 0x1;
    public const ushort NlmFDump = 0x300;

    /// <summary>NLM_F_DUMP_INTR: the dump was interrupted by a change and is inconsistent (netlink(7)).</summary>
    public const ushort NlmFDumpInterrupted = 0x10;

    public const ushort IflaIfname = 3;
    public const ushort IfaAddress = 1;
    public const ushort IfaLocal = 2;
    public const ushort IfaFlags = 8;
    public const ushort RtaDst = 1;
    public const ushort RtaOif = 4;

    public const uint IffUp = 0x1;
    public const uint IffLoopback = 0x8;
    public const uint IffPointToPoint = 0x10;
    public const uint IffLowerUp = 0x10000;

    // Multicast groups (RTMGRP_*): links, IPv4/IPv6 addresses, IPv4/IPv6 routes.
    public const uint GroupLink = 0x1;
    public const uint GroupIpv4Address = 0x10;
    public const uint GroupIpv4Route = 0x40;
    public const uint GroupIpv6Address = 0x100;
    public const uint GroupIpv6Route = 0x400;
}
