using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Policy;

namespace K0sNodeIp.Detection;

/// <summary>
/// A lookup that failed (a timeout, a refusal: not NXDOMAIN) says nothing new: a family the lookup decided at the
/// last answered detection keeps the address the target holds while that is still assigned and stable, instead of
/// moving to the next source for the length of a DNS outage. Remembers which families the lookup decided.
/// </summary>
internal sealed class FailedLookupKeep
{
    private IReadOnlyList<IpFamily> _familiesFromLookup = [];

    /// <summary>The pair with the kept addresses in it, and which were kept.</summary>
    public (NodeIpPair Pair, IReadOnlyList<(IpFamily Family, IPAddress Address)> Kept) Apply(DetectionResult detected, NodeIpPair pair)
    {
        var lookup = detected.Snapshot.Lookup;
        if (!lookup.Faulted)
        {
            _familiesFromLookup = [.. new[] { detected.Decision.Ipv4Decision, detected.Decision.Ipv6Decision }
                .Where(f => f.ChosenSource == CandidateSource.Lookup).Select(f => f.Family)];
            return (pair, []);
        }

        var kept = new List<(IpFamily, IPAddress)>();
        // The pair the target held when the node was read (the keep rule's input), not a second read of the file.
        var held = detected.Snapshot.Target.Held;
        foreach (var family in _familiesFromLookup)
        {
            if (held?.AddressOf(family) is not { } address || address.Equals(pair.AddressOf(family))
                || detected.Snapshot.FindAssigned(address) is not { } assigned || assigned.Address.Flags.InstabilityReason() is not null)
            {
                continue;
            }

            pair = family == IpFamily.IPv4 ? pair with { Ipv4 = address } : pair with { Ipv6 = address };
            kept.Add((family, address));
        }

        return (pair, kept);
    }
}
