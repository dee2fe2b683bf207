using System.Net;

namespace K0sNodeIp.Node;

/// <summary>
/// Everything detection reads from the node, gathered once. The selection policy is a pure function
/// of this snapshot and the options, so tests drive it with fixtures instead of fakes of the kernel.
/// </summary>
internal sealed record NodeSnapshot(
    string Hostname,
    HostLookupResult Lookup,
    RouteTable Routes,
    IReadOnlyList<NetInterface> Interfaces,
    IReadOnlyDictionary<IpFamily, CanReachResult>? CanReach = null)
{
    /// <summary>
    /// The hostname lookup as a static kubelet (upstream from 1.38, Go's own resolver) would make it, read only when the
    /// kubelet here is a cgo build whose lookup went to glibc; null otherwise.
    /// </summary>
    public HostLookupResult? StaticKubeletLookup { get; init; }

    /// <summary>What the target holds now (the keep rule, the virtual IPs its config reserves).</summary>
    public TargetState Target { get; init; } = TargetState.None;

    public NetInterface? InterfaceNamed(string name) => Interfaces.FirstOrDefault(i => i.Name == name);

    /// <summary>The interface an address is assigned to, down interfaces and lo included (kubelet's "local").</summary>
    public (NetInterface Interface, InterfaceAddress Address)? FindAssigned(IPAddress address)
    {
        foreach (var nic in Interfaces)
        {
            foreach (var a in nic.Addresses)
            {
                if (a.Address.Equals(address))
                {
                    return (nic, a);
                }
            }
        }

        return null;
    }
}
