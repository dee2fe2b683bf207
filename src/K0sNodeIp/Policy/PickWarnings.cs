using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>
/// Warnings about a pick kubelet's own rules make too but that is likely not what the operator wants: an address
/// on a link without carrier, a hostname answer on an interface that is down, a VPN address. They never change
/// the pick; a pick an override chose (the operator's own choice) gets none.
/// </summary>
internal static class PickWarnings
{
    /// <summary>The hostname is an IP address this node does not have: kubelet would take it unchecked, the write would fail every status update.</summary>
    public static string HostnameNotLocalText(string hostname) => $"hostname {hostname} is an IP address not assigned to any interface of this node";

    public static IEnumerable<PickWarning> For(NodeSnapshot snapshot, SelectionRules rules, IpFamily family, IPAddress address, CandidateSource source, string? interfaceName)
    {
        if (source.IsOverride() || interfaceName is null || snapshot.InterfaceNamed(interfaceName) is not { IsLoopback: false } nic)
        {
            yield break;
        }

        if ((source is CandidateSource.Lookup or CandidateSource.HostnameIp) && !nic.IsUp)
        {
            var what = source == CandidateSource.Lookup ? "an answer of the hostname lookup" : "the hostname";
            yield return new PickWarning(PickRisk.InterfaceDown, family, address, nic.Name, null,
                $"{address}, {what}, is on {nic.Name}, which is administratively down; kubelet counts it as a local address all the same");
        }

        if (nic.IsUp && !nic.HasCarrier && Alternative(snapshot, rules, family, nic, n => n.HasCarrier) is { } withCarrier)
        {
            yield return new PickWarning(PickRisk.NoCarrier, family, address, nic.Name, withCarrier.Interface,
                $"{address} is on {nic.Name}, which has no carrier (NO-CARRIER); kubelet takes it all the same, "
                + $"while {withCarrier.Interface} has carrier and an {family.Name()} default route ({withCarrier.Address})");
        }

        if (nic.IsTunnel && Alternative(snapshot, rules, family, nic, n => !n.IsTunnel) is { } notTunnel)
        {
            yield return new PickWarning(PickRisk.Tunnel, family, address, nic.Name, notTunnel.Interface,
                $"{address} is on {nic.Name}, a tunnel/VPN interface, so kubelet would advertise a VPN address; "
                + $"{notTunnel.Interface} holds an {family.Name()} default route too ({notTunnel.Address}): Detection:Interface={notTunnel.Interface}, "
                + $"{nic.Name} added to Detection:SkipInterfaces, or a Detection:AllowedCidrs range holding {notTunnel.Address} would choose it");
        }
    }

    /// <summary>
    /// The first other interface, in route-file order, that holds a default route of the family, is up, is not
    /// skipped by the operator's rules, fits <paramref name="suits"/>, and has a usable address: that address.
    /// </summary>
    private static (string Interface, IPAddress Address)? Alternative(
        NodeSnapshot snapshot, SelectionRules rules, IpFamily family, NetInterface pick, Func<NetInterface, bool> suits)
    {
        if (snapshot.Routes.Ipv4RouteFileMissing || snapshot.Routes.Error is not null)
        {
            return null;
        }

        foreach (var route in snapshot.Routes.Of(family))
        {
            if (route.Interface == pick.Name
                || snapshot.InterfaceNamed(route.Interface) is not { IsUp: true, IsLoopback: false } other
                || !suits(other)
                || rules.SkipRuleFor(other.Name) is not null)
            {
                continue;
            }

            var usable = other.Addresses.FirstOrDefault(a => a.Family == family && AddressRules.Unusable(a.Address) is null);
            if (usable is not null)
            {
                return (other.Name, usable.Address);
            }
        }

        return null;
    }
}
