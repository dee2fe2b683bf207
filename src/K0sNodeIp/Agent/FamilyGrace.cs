using System.Net;
using K0sNodeIp.Sources;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Agent;

/// <summary>
/// Keeps a family's last good address for a grace period after it disappears, so a short DHCPv6 or RA blip
/// does not restart the kubelet twice (dual-stack, single-stack, dual-stack again).
/// </summary>
public sealed class FamilyGrace(TimeSpan grace, TimeProvider time)
{
    private readonly Dictionary<IpFamily, (IPAddress Address, DateTimeOffset? LostAt)> _last = [];

    /// <summary>The pair to write, with lost families filled in while their grace lasts.</summary>
    /// <param name="notes">Why an address was kept.</param>
    /// <param name="recheckAt">When a kept address expires, so the caller can re-check then.</param>
    public NodeIpPair Apply(NodeIpPair detected, List<string> notes, out DateTimeOffset? recheckAt)
    {
        recheckAt = null;
        var now = time.GetUtcNow();
        var ipv4 = Resolve(IpFamily.IPv4, detected.Ipv4, now, notes, ref recheckAt);
        var ipv6 = Resolve(IpFamily.IPv6, detected.Ipv6, now, notes, ref recheckAt);
        return detected with { Ipv4 = ipv4, Ipv6 = ipv6 };
    }

    private IPAddress? Resolve(IpFamily family, IPAddress? detected, DateTimeOffset now, List<string> notes, ref DateTimeOffset? recheckAt)
    {
        if (detected is not null)
        {
            _last[family] = (detected, null);
            return detected;
        }

        if (!_last.TryGetValue(family, out var last))
        {
            return null;
        }

        var lostAt = last.LostAt ?? now;
        _last[family] = (last.Address, lostAt);
        var expires = lostAt + grace;
        if (now < expires)
        {
            notes.Add($"{family.Name()} address {last.Address} disappeared; keeping it until {expires:u} (Watch:FamilyGracePeriod)");
            recheckAt = recheckAt is { } earlier && earlier < expires ? earlier : expires;
            return last.Address;
        }

        _last.Remove(family);
        notes.Add($"{family.Name()} address {last.Address} gone for {grace}; going without {family.Name()}");
        return null;
    }
}
