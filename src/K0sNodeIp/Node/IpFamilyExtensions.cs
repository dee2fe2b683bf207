using System.Net;
using System.Net.Sockets;

namespace K0sNodeIp.Node;

/// <summary>Conversions between <see cref="IpFamily"/> and the platform's address family.</summary>
internal static class IpFamilyExtensions
{
    public static IpFamily Family(this IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? IpFamily.IPv6 : IpFamily.IPv4;

    public static AddressFamily ToAddressFamily(this IpFamily family) =>
        family == IpFamily.IPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    public static IpFamily Other(this IpFamily family) => family == IpFamily.IPv4 ? IpFamily.IPv6 : IpFamily.IPv4;

    public static string Name(this IpFamily family) => family == IpFamily.IPv4 ? "IPv4" : "IPv6";
}
