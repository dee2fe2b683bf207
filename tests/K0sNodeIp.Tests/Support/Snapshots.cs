using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Tests.Support;

/// <summary>Builds node snapshots for policy tests: interfaces from "addr/len[flag,...]" strings.</summary>
internal static class Snapshots
{
    public static NetInterface Nic(int index, string name, params string[] addresses) => Nic(index, name, true, addresses);

    public static NetInterface Nic(int index, string name, bool up, params string[] addresses) =>
        new(index, name, up, IsLoopback: name == "lo", IsPointToPoint: false, addresses.Select(Address).ToArray());

    public static NetInterface Lo(params string[] extra) => Nic(1, "lo", ["127.0.0.1/8", "::1/128", .. extra]);

    public static InterfaceAddress Address(string text)
    {
        var flags = Ipv6AddressFlags.None;
        var bracket = text.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            foreach (var flag in text[(bracket + 1)..^1].Split(','))
            {
                flags |= Enum.Parse<Ipv6AddressFlags>(flag, ignoreCase: true);
            }

            text = text[..bracket];
        }

        var parts = text.Split('/');
        return new InterfaceAddress(IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), flags);
    }

    public static DefaultRoute V4Route(string nic, string gateway = "192.0.2.1") => new(nic, IPAddress.Parse(gateway), IpFamily.IPv4);

    public static DefaultRoute V6Route(string nic, string gateway = "2001:db8::1") => new(nic, IPAddress.Parse(gateway), IpFamily.IPv6);

    public static HostLookupResult Answers(params string[] addresses) => new(LookupMethod.Dns, addresses.Select(IPAddress.Parse).ToArray());

    public static NodeSnapshot Snapshot(
        IReadOnlyList<NetInterface> interfaces,
        IReadOnlyList<DefaultRoute>? routes = null,
        HostLookupResult? lookup = null,
        string hostname = "node1",
        RouteTable? table = null) =>
        new(hostname, lookup ?? new HostLookupResult(LookupMethod.Dns, [], "NXDOMAIN"), table ?? new RouteTable(routes ?? []), interfaces);
}
