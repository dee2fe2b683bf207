using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>The node-IP pair, primary family first, and how each family was decided.</summary>
internal sealed record Decision(IpFamily PrimaryFamily, FamilyDecision Ipv4Decision, FamilyDecision Ipv6Decision)
{
    public IPAddress? Ipv4 => Ipv4Decision.Chosen;

    public IPAddress? Ipv6 => Ipv6Decision.Chosen;

    /// <summary>The addresses in kubelet's order: primary family first, a single one when only one family exists.</summary>
    public IReadOnlyList<IPAddress> Pair => AsPair().Addresses;

    /// <summary>Notes about both families, said once (a failed hostname lookup).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Every override that found nothing, for warnings and STATUS=.</summary>
    public IReadOnlyList<string> OverrideFailures =>
        new[] { Ipv4Decision.OverrideFailure, Ipv6Decision.OverrideFailure }.OfType<string>().ToArray();

    /// <summary>Every override that found nothing, stopped or fallen back: each deserves a warning.</summary>
    public IReadOnlyList<string> OverrideWarnings =>
        new[] { Ipv4Decision.OverrideFailure ?? Ipv4Decision.OverrideFellBack, Ipv6Decision.OverrideFailure ?? Ipv6Decision.OverrideFellBack }.OfType<string>().ToArray();

    /// <summary>Every risk of either family's pick (a link without carrier, a down interface, a VPN), IPv4's first.</summary>
    public IReadOnlyList<PickWarning> Warnings => [.. Ipv4Decision.PickWarnings, .. Ipv6Decision.PickWarnings];

    public bool HasAddress => Ipv4 is not null || Ipv6 is not null;

    /// <summary>The kubelet flag, e.g. <c>--node-ip=192.0.2.10,2001:db8::10</c>; null when nothing was found.</summary>
    public string? NodeIpFlag => HasAddress ? AsPair().Flag : null;

    /// <summary>The chosen addresses in the rules' order (targets may order them by their own rule: DesiredPair).</summary>
    public NodeIpPair AsPair() => new(Ipv4, Ipv6, PrimaryFamily);

    public FamilyDecision For(IpFamily family) => family == IpFamily.IPv4 ? Ipv4Decision : Ipv6Decision;
}
