namespace K0sNodeIp.Node;

/// <summary>
/// The kernel's IFA_F_* address flags (linux/if_addr.h), as netlink's IFA_FLAGS and column 5 of
/// /proc/net/if_inet6 report them.
/// </summary>
[Flags]
internal enum Ipv6AddressFlags : uint
{
    None = 0,
    Temporary = 0x01,
    NoDad = 0x02,
    Optimistic = 0x04,
    DadFailed = 0x08,
    HomeAddress = 0x10,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,
    ManageTempAddr = 0x100,
    NoPrefixRoute = 0x200,
    McAutoJoin = 0x400,
    StablePrivacy = 0x800,
}
