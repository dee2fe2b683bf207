using System.Net;

namespace K0sNodeIp.Node;

/// <summary>One address of an interface, as the kernel's netlink address dump gives it.</summary>
internal sealed record InterfaceAddress(IPAddress Address, int PrefixLength, Ipv6AddressFlags Flags = Ipv6AddressFlags.None)
{
    public IpFamily Family => Address.Family();

    public override string ToString() => $"{Address}/{PrefixLength}";
}
