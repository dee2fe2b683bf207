using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>
/// The node-IP choice as a pure function of a <see cref="NodeSnapshot"/> and <see cref="SelectionRules"/>:
/// kubelet's order per family (hostname as IP, hostname lookup, default-route interface, global address on
/// lo), the operator's overrides, and a preference for stable IPv6 addresses. No I/O, clock or logging.
/// </summary>
internal static class SelectionPolicy
{
    public static Decision Decide(NodeSnapshot snapshot, SelectionRules rules) =>
        new(rules.PrimaryFamily, DecideFamily(snapshot, rules, IpFamily.IPv4), DecideFamily(snapshot, rules, IpFamily.IPv6))
        {
            Notes = CommonNotes(snapshot, rules),
        };

    /// <summary>What concerns both families, said once: a failed hostname lookup.</summary>
    private static IReadOnlyList<string> CommonNotes(NodeSnapshot snapshot, SelectionRules rules)
    {
        var lookup = snapshot.Lookup;
        if (!rules.Sources.Contains(DetectionSource.Hostname) || GoAddress.TryParseSloppy(snapshot.Hostname, out _) || lookup.Error is null)
        {
            return [];
        }

        return [$"hostname lookup ({lookup.Method}) of {snapshot.Hostname}: {lookup.Error}"];
    }

    internal static FamilyDecision DecideFamily(NodeSnapshot snapshot, SelectionRules rules, IpFamily family)
    {
        var notes = new List<string>();
        var candidates = new List<Candidate>();
        Evaluation? chosen = null;
        string? overrideFailure = null;
        string? failedSetting = null;
        string? fellBackSetting = null;
        string? overrideFellBack = null;
        var held = rules.KeepCurrent ? snapshot.Target.Held?.AddressOf(family) : null;
        var kept = false;

        if (rules.StaticFor(family) is { } fixedAddress)
        {
            chosen = new Evaluation(fixedAddress, CandidateSource.Static, snapshot.FindAssigned(fixedAddress)?.Interface.Name, null, null);
            candidates.Add(Accept(chosen.Value, family, $"static override (Detection:Static{family.Name()})"));
        }
        else
        {
            foreach (var source in rules.Sources)
            {
                var notesBefore = notes.Count;
                foreach (var group in Evaluate(source, snapshot, rules, family, notes))
                {
                    Settle(group, family, candidates, held, ref chosen, ref kept);
                }

                // An override that finds nothing is a failure, as in Calico and flannel: no silent fallback.
                if (chosen is null && OverrideName(source, snapshot, rules, family) is { } setting)
                {
                    var why = notes.Count > notesBefore ? notes[^1] : "no usable address";
                    if (notes.Count > notesBefore)
                    {
                        // Said once, inside the override's own message.
                        notes.RemoveAt(notes.Count - 1);
                    }

                    if (!rules.OverrideFallback)
                    {
                        overrideFailure = $"{setting} found no usable {family.Name()} address ({why}); the other sources are not consulted (Detection:OverrideFallback=false)";
                        failedSetting = setting;
                        break;
                    }

                    overrideFellBack = $"{setting} found no usable {family.Name()} address ({why}); the next source decides (Detection:OverrideFallback=true)";
                    fellBackSetting = setting;
                    notes.Add(overrideFellBack);
                }
            }

            if (chosen is null && overrideFailure is null && candidates.Any(c => c.Rejection == RejectionReason.OutsideAllowedCidrs))
            {
                overrideFailure = $"Detection:AllowedCidrs excludes every usable {family.Name()} candidate";
                failedSetting = "Detection:AllowedCidrs";
            }
        }

        if (overrideFailure is not null)
        {
            notes.Add(overrideFailure);
        }

        IReadOnlyList<PickWarning> pickWarnings = chosen is { } pick ? [.. PickWarnings.For(snapshot, rules, family, pick.Address, pick.Source, pick.Interface)] : [];
        notes.AddRange(pickWarnings.Select(w => w.Note));

        // The hostname's own warning was said among the steps' notes, where it arose; it stands with the pick's.
        IReadOnlyList<PickWarning> warnings =
        [
            .. candidates.Where(c => c.Rejection == RejectionReason.HostnameNotLocal)
                .Select(c => new PickWarning(PickRisk.HostnameNotLocal, family, c.Address, null, null, PickWarnings.HostnameNotLocalText(snapshot.Hostname))),
            .. pickWarnings,
        ];

        var (kubelet, kubeletWhyNone) = KubeletPolicy.Pick(snapshot, family);
        return new FamilyDecision(
            family,
            chosen?.Address,
            chosen?.Source,
            kubelet,
            Divergence(family, chosen, kubelet, kubeletWhyNone, candidates, overrideFailure),
            candidates,
            notes)
        {
            OverrideFailure = overrideFailure,
            FailedSetting = failedSetting,
            OverrideFellBack = overrideFellBack,
            FellBackSetting = fellBackSetting,
            Kept = kept,
            PickWarnings = warnings,
        };
    }

    /// <summary>The setting behind an override source that applies to this family, or null for kubelet's own sources.</summary>
    private static string? OverrideName(DetectionSource source, NodeSnapshot snapshot, SelectionRules rules, IpFamily family) => source switch
    {
        DetectionSource.Interface when rules.Interface is not null => "Detection:Interface",
        DetectionSource.CanReach when snapshot.CanReach?.ContainsKey(family) == true => $"Detection:CanReach{family.Name()}",
        _ => null,
    };

    /// <summary>Marks each evaluation of one group (one interface, one lookup) as taken or rejected.</summary>
    /// <param name="held">The address the target holds now for this family, when the keep rule applies.</param>
    /// <param name="kept">Set when the held address was taken in place of the group's first.</param>
    private static void Settle(List<Evaluation> group, IpFamily family, List<Candidate> candidates, IPAddress? held, ref Evaluation? chosen, ref bool kept)
    {
        var pick = -1;
        var keep = -1;
        if (chosen is null)
        {
            // The keep rule: the step that decides still offers the held address, assigned, allowed and preferred.
            keep = held is null ? -1 : group.FindIndex(e => e.Address.Equals(held) && e.Rejection is null && e.Instability is null);
            pick = keep >= 0 ? keep : group.FindIndex(e => e.Rejection is null && e.Instability is null);
            if (pick < 0)
            {
                pick = group.FindIndex(e => e.Rejection is null);
            }
        }

        for (var i = 0; i < group.Count; i++)
        {
            var e = group[i];
            if (i == pick && keep >= 0)
            {
                var offered = e.Source == CandidateSource.Lookup ? "still among the hostname lookup's answers" : $"still offered here ({OfferedReason(e)})";
                var because = $"the target's current address, still assigned and preferred on {e.Interface ?? "this node"} and {offered}";
                candidates.Add(Accept(e, family, "kept: " + because) with { KeptBecause = because });
            }
            else if (i == pick)
            {
                var why = e.Instability is null ? AcceptReason(e) : $"{e.Instability}, taken as no stable address is there ({AcceptReason(e)})";
                candidates.Add(Accept(e, family, why));
            }
            else if (e.Rejection is { } rejection)
            {
                candidates.Add(Reject(e, family, rejection));
            }
            else if (chosen is { } earlier)
            {
                candidates.Add(Reject(e, family, Rejection.Outranked($"{earlier.Address} ({earlier.Source.DisplayName()})")));
            }
            else if (e.Instability is not null && pick >= 0 && group[pick].Instability is null)
            {
                candidates.Add(Reject(e, family, Rejection.LessStable(e.Instability, group[pick].Address)));
            }
            else if (keep >= 0)
            {
                candidates.Add(Reject(e, family, Rejection.NotKept(group[pick].Address)));
            }
            else
            {
                candidates.Add(Reject(e, family, Rejection.Outranked(group[pick].Address.ToString())));
            }
        }

        if (pick >= 0)
        {
            chosen = group[pick];
            kept = keep >= 0;
        }
    }

    private static IEnumerable<List<Evaluation>> Evaluate(
        DetectionSource source, NodeSnapshot snapshot, SelectionRules rules, IpFamily family, List<string> notes) =>
        source switch
        {
            DetectionSource.CanReach => EvaluateCanReach(snapshot, rules, family, notes),
            DetectionSource.Interface => EvaluateInterfaceOverride(snapshot, rules, family, notes),
            DetectionSource.Hostname => EvaluateHostname(snapshot, rules, family, notes),
            DetectionSource.DefaultRoute => EvaluateDefaultRoutes(snapshot, rules, family, notes),
            _ => [],
        };

    private static IEnumerable<List<Evaluation>> EvaluateCanReach(NodeSnapshot snapshot, SelectionRules rules, IpFamily family, List<string> notes)
    {
        if (snapshot.CanReach is null || !snapshot.CanReach.TryGetValue(family, out var reach))
        {
            yield break;
        }

        if (reach.Source is null)
        {
            notes.Add($"can-reach {reach.Destination}: {reach.Error ?? "no route"}");
            yield break;
        }

        var assigned = snapshot.FindAssigned(reach.Source);
        yield return [Check(reach.Source, CandidateSource.CanReach, assigned?.Interface.Name, assigned?.Address.Flags, rules, snapshot)];
    }

    private static IEnumerable<List<Evaluation>> EvaluateInterfaceOverride(NodeSnapshot snapshot, SelectionRules rules, IpFamily family, List<string> notes)
    {
        if (rules.Interface is null)
        {
            yield break;
        }

        var matched = false;
        foreach (var nic in snapshot.Interfaces.Where(n => rules.Interface.IsMatch(n.Name)))
        {
            matched = true;
            if (!nic.IsUp)
            {
                notes.Add($"interface {nic.Name} matches Detection:Interface but is down");
                continue;
            }

            yield return AddressesOf(nic, CandidateSource.Interface, family, rules, snapshot);
        }

        if (!matched)
        {
            notes.Add($"no interface matches Detection:Interface \"{SelectionRules.Unanchor(rules.Interface)}\"");
        }
    }

    private static IEnumerable<List<Evaluation>> EvaluateHostname(NodeSnapshot snapshot, SelectionRules rules, IpFamily family, List<string> notes)
    {
        // kubelet step 1: a hostname that parses as an IP (kubelet's sloppy parser) is taken as it is.
        if (GoAddress.TryParseSloppy(snapshot.Hostname, out var hostnameIp))
        {
            if (hostnameIp.Family() == family)
            {
                var assigned = snapshot.FindAssigned(hostnameIp);
                var e = Check(hostnameIp, CandidateSource.HostnameIp, assigned?.Interface.Name, assigned?.Address.Flags, rules, snapshot);

                // kubelet takes it unchecked only while it has no --node-ip; the --node-ip written here is validated,
                // and an address the node does not have would fail every node status update.
                if (e.Rejection is null && assigned is null)
                {
                    e = e with { Rejection = Rejection.HostnameNotLocal };
                    notes.Add("warning: " + PickWarnings.HostnameNotLocalText(snapshot.Hostname));
                }

                yield return [e];
            }
            else
            {
                notes.Add($"hostname {snapshot.Hostname} is an {hostnameIp.Family().Name()} address");
            }

            yield break;
        }

        // kubelet step 2: the lookup's answers of this family, each checked by validateNodeIP.
        var lookup = snapshot.Lookup;
        var group = new List<Evaluation>();
        foreach (var answer in lookup.Answers.Where(a => a.Family() == family))
        {
            var assigned = snapshot.FindAssigned(answer);
            var e = Check(answer, CandidateSource.Lookup, assigned?.Interface.Name, assigned?.Address.Flags, rules, snapshot);
            if (e.Rejection is null && assigned is null)
            {
                e = e with { Rejection = Rejection.NotLocal };
            }

            group.Add(e);
        }

        // A lookup error is said once for both families (Decision.Notes); here only what is this family's own.
        if (group.Count == 0 && lookup.Error is null)
        {
            notes.Add($"hostname lookup ({lookup.Method}) of {snapshot.Hostname}: {(lookup.Answers.Count > 0 ? $"no {family.Name()} answer" : "no answer")}");
        }

        yield return group;
    }

    private static IEnumerable<List<Evaluation>> EvaluateDefaultRoutes(NodeSnapshot snapshot, SelectionRules rules, IpFamily family, List<string> notes)
    {
        var routes = snapshot.Routes;

        // Without /proc/net/route kubelet scans every up, non-loopback, non-point-to-point interface.
        if (routes.Ipv4RouteFileMissing)
        {
            notes.Add($"{RouteTable.Ipv4File} is missing: scanning every interface that is up");
            foreach (var nic in DefaultRouteRule.ScannedWithoutRouteFile(snapshot))
            {
                yield return AddressesOf(nic, CandidateSource.InterfaceScan, family, rules, snapshot);
            }

            yield break;
        }

        if (routes.Error is not null)
        {
            notes.Add(routes.Error);
            yield break;
        }

        var any = false;
        foreach (var step in DefaultRouteRule.Steps(snapshot, family))
        {
            any = true;
            if (step.Interface is not { } nic)
            {
                // kubelet gives up altogether at a dead end; we try the next route.
                notes.Add(step.WhyKubeletStops!);
                continue;
            }

            var group = nic.IsUp ? AddressesOf(nic, CandidateSource.DefaultRoute, family, rules, snapshot) : [];
            if (!nic.IsUp)
            {
                notes.Add($"default route interface {nic.Name} is down");
            }

            yield return group;
            if (group.Any(e => e.Rejection is null))
            {
                continue;
            }

            // RFC 5549 (BGP unnumbered): the host address sits on lo while the uplinks only have link-local ones.
            foreach (var lo in DefaultRouteRule.LoopbacksUp(snapshot))
            {
                yield return AddressesOf(lo, CandidateSource.Loopback, family, rules, snapshot)
                    .Where(e => e.Rejection?.Reason is not (RejectionReason.Loopback or RejectionReason.LinkLocal)).ToList();
            }
        }

        if (!any)
        {
            notes.AddRange(SkippedDefaultRoutes(routes, family).DefaultIfEmpty($"no {family.Name()} default route"));
        }
    }

    /// <summary>Why each IPv6 default route kubelet skips was skipped (the kernel's null entries are no routes and say nothing).</summary>
    private static IEnumerable<string> SkippedDefaultRoutes(RouteTable routes, IpFamily family)
    {
        if (family != IpFamily.IPv6)
        {
            yield break;
        }

        foreach (var device in routes.Ipv6DefaultDevicesWithoutGateway)
        {
            yield return $"the IPv6 default route via dev {device} has no gateway; kubelet skips such routes";
        }

        if (routes.Ipv6RejectDefault)
        {
            yield return "the IPv6 default route is a blackhole, unreachable or prohibit route, which kubelet skips too: no IPv6 default route to use";
        }
    }

    private static List<Evaluation> AddressesOf(NetInterface nic, CandidateSource source, IpFamily family, SelectionRules rules, NodeSnapshot snapshot) =>
        nic.Addresses
            .Where(a => a.Family == family)
            .Select(a => Check(a.Address, source, nic.Name, a.Flags, rules, snapshot))
            .ToList();

    /// <summary>Every rule but "assigned locally": kubelet's address checks, then the operator's filters, then flags.</summary>
    private static Evaluation Check(IPAddress address, CandidateSource source, string? interfaceName, Ipv6AddressFlags? flags, SelectionRules rules, NodeSnapshot snapshot)
    {
        var rejection = AddressRules.Unusable(address) is { } unusable ? Rejection.Of(unusable) : (Rejection?)null;
        if (rejection is null && interfaceName is not null && rules.SkipRuleFor(interfaceName) is { } rule)
        {
            rejection = Rejection.SkippedInterface(interfaceName, rule);
        }

        if (rejection is null && !IsAllowed(address, rules))
        {
            rejection = Rejection.OutsideAllowedCidrs;
        }

        // Floating addresses move to another node at failover: never a node IP.
        if (rejection is null && snapshot.Target.VirtualIps.FirstOrDefault(v => v.Address.Equals(address)) is { } vip)
        {
            rejection = Rejection.VirtualIp(vip.Origin);
        }

        if (rejection is null && rules.ExcludeCidrs.Where(n => n.Contains(address)).Select(n => (IPNetwork?)n).FirstOrDefault() is { } excluded)
        {
            rejection = Rejection.ExcludedCidr(excluded);
        }

        var instability = address.Family() != IpFamily.IPv6 ? null : flags?.InstabilityReason();
        return new Evaluation(address, source, interfaceName, rejection, instability);
    }

    private static bool IsAllowed(IPAddress address, SelectionRules rules)
    {
        var family = address.Family();
        var ofFamily = rules.AllowedCidrs.Where(n => n.BaseAddress.Family() == family).ToList();
        return ofFamily.Count == 0 || ofFamily.Any(n => n.Contains(address));
    }

    private static string AcceptReason(Evaluation e) => e.Source switch
    {
        CandidateSource.CanReach => "source address the kernel uses towards Detection:CanReach",
        CandidateSource.Interface => $"first usable address of {e.Interface}, which matches Detection:Interface",
        CandidateSource.HostnameIp => "the hostname is this address",
        CandidateSource.Lookup => "first valid answer of the hostname lookup",
        CandidateSource.DefaultRoute => $"first global address of {e.Interface}, the default-route interface",
        CandidateSource.Loopback => "global address on the loopback interface (the default-route interface has none)",
        CandidateSource.InterfaceScan => $"first global address of {e.Interface}, an interface that is up",
        _ => "static override",
    };

    /// <summary>Why a kept address is still one the step offers: the step's words without "first", which it need not be.</summary>
    private static string OfferedReason(Evaluation e) => e.Source switch
    {
        CandidateSource.Interface => $"a usable address of {e.Interface}, which matches Detection:Interface",
        CandidateSource.DefaultRoute => $"a global address of {e.Interface}, the default-route interface",
        CandidateSource.InterfaceScan => $"a global address of {e.Interface}, an interface that is up",
        _ => AcceptReason(e),
    };

    private static string? Divergence(IpFamily family, Evaluation? chosen, IPAddress? kubelet, string? kubeletWhyNone, List<Candidate> candidates, string? overrideFailure)
    {
        if (Equals(chosen?.Address, kubelet))
        {
            return null;
        }

        if (kubelet is null)
        {
            return kubeletWhyNone is null
                ? $"kubelet alone would find no {family.Name()} address"
                : $"kubelet alone would find no {family.Name()} address: {kubeletWhyNone}";
        }

        if (chosen is null)
        {
            var rejection = candidates.FirstOrDefault(c => c.Address.Equals(kubelet))?.Reason;
            return $"kubelet alone would pick {kubelet}; rejected here: {rejection ?? (overrideFailure is null ? "not consulted" : $"not consulted, as {overrideFailure}")}";
        }

        var why = chosen.Value.Source.IsOverride()
            ? $"operator override ({chosen.Value.Source.DisplayName()})"
            : candidates.FirstOrDefault(c => c.Address.Equals(kubelet) && !c.Accepted)?.Reason ?? "Detection:Sources puts another source first";
        return $"kubelet alone would pick {kubelet}; {chosen.Value.Address} was taken instead: {why}";
    }

    private static Candidate Accept(Evaluation e, IpFamily family, string reason) =>
        new(e.Address, family, e.Source, e.Interface, Accepted: true, reason);

    private static Candidate Reject(Evaluation e, IpFamily family, Rejection rejection) =>
        new(e.Address, family, e.Source, e.Interface, Accepted: false, rejection.Words) { Rejection = rejection.Reason };

    private readonly record struct Evaluation(IPAddress Address, CandidateSource Source, string? Interface, Rejection? Rejection, string? Instability);
}
