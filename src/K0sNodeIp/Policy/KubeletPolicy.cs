using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>
/// What kubelet's own rules, run for one family alone, would take (its NodeAddress setter without --node-ip):
/// the hostname when it is an IP, else the first lookup answer that passes validateNodeIP, else apimachinery's
/// ChooseHostInterface over the default routes, with the global address on lo for RFC 5549 nodes. No overrides,
/// no address flags: this is the yardstick the explanation compares against.
/// </summary>
internal static class KubeletPolicy
{
    /// <returns>kubelet's pick, or null and why it finds nothing when that is a reason worth naming.</returns>
    public static (IPAddress? Pick, string? WhyNone) Pick(NodeSnapshot snapshot, IpFamily family)
    {
        if (GoAddress.TryParseSloppy(snapshot.Hostname, out var hostnameIp) && hostnameIp.Family() == family)
        {
            // Taken unchecked (and without a lookup) while kubelet has no --node-ip.
            return (hostnameIp, null);
        }

        if (!GoAddress.TryParseSloppy(snapshot.Hostname, out _))
        {
            foreach (var answer in snapshot.Lookup.Answers.Where(a => a.Family() == family))
            {
                if (AddressRules.Unusable(answer) is null && snapshot.FindAssigned(answer) is not null)
                {
                    return (answer, null);
                }
            }
        }

        return ChooseHostInterface(snapshot, family);
    }

    private static (IPAddress? Pick, string? WhyNone) ChooseHostInterface(NodeSnapshot snapshot, IpFamily family)
    {
        var routes = snapshot.Routes;
        if (routes.Ipv4RouteFileMissing)
        {
            return (DefaultRouteRule.ScannedWithoutRouteFile(snapshot).Select(n => FirstGlobal(n, family)).FirstOrDefault(a => a is not null), null);
        }

        if (routes.Error is not null)
        {
            return (null, null);
        }

        foreach (var step in DefaultRouteRule.Steps(snapshot, family))
        {
            if (step.Interface is not { } nic)
            {
                return (null, step.WhyKubeletStops);
            }

            if (nic.IsUp && FirstGlobal(nic, family) is { } address)
            {
                return (address, null);
            }

            if (DefaultRouteRule.LoopbacksUp(snapshot).Select(lo => FirstGlobal(lo, family)).FirstOrDefault(a => a is not null) is { } onLoopback)
            {
                return (onLoopback, null);
            }
        }

        return (null, null);
    }

    private static IPAddress? FirstGlobal(NetInterface nic, IpFamily family) =>
        nic.Addresses.Where(a => a.Family == family).Select(a => a.Address).FirstOrDefault(a => AddressRules.Unusable(a) is null);
}
