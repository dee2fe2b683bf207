using System.Net;
using System.Text.RegularExpressions;
using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>The operator's detection settings, parsed and validated: the policy's only input besides the snapshot.</summary>
internal sealed record SelectionRules
{
    public static readonly IReadOnlyList<DetectionSource> DefaultSources =
        [DetectionSource.CanReach, DetectionSource.Interface, DetectionSource.Hostname, DetectionSource.DefaultRoute];

    /// <summary>CNI, kube-proxy and container devices, never a node's own address (Calico's first-found list, roughly).</summary>
    public static readonly IReadOnlyList<string> DefaultSkipInterfaces =
        ["kube-ipvs0", "cni0", @"flannel\..*", "flannel-v6\\..*", "cali.*", "vxlan\\.calico", "vxlan-v6\\.calico", "wireguard\\.cali", "cilium_.*", "lxc.*", "kube-bridge", "kube-dummy-if", "docker0", "veth.*", "tunl0", "nodelocaldns"];

    public IpFamily PrimaryFamily { get; init; } = IpFamily.IPv4;

    public IReadOnlyList<DetectionSource> Sources { get; init; } = DefaultSources;

    public IPAddress? StaticIPv4 { get; init; }

    public IPAddress? StaticIPv6 { get; init; }

    /// <summary>Anchored pattern of the interfaces to take addresses from (<c>Detection:Interface</c>).</summary>
    public Regex? Interface { get; init; }

    public IReadOnlyList<Regex> SkipInterfaces { get; init; } = DefaultSkipRules;

    /// <summary>Allowed networks; a family with no entry here allows every address.</summary>
    public IReadOnlyList<IPNetwork> AllowedCidrs { get; init; } = [];

    /// <summary>Networks an address must not fall in (Detection:ExcludeCidrs).</summary>
    public IReadOnlyList<IPNetwork> ExcludeCidrs { get; init; } = [];

    /// <summary>Keep the address the target holds while the deciding step still offers it, stable (Detection:KeepCurrent).</summary>
    public bool KeepCurrent { get; init; } = true;

    /// <summary>Whether the default sources are tried when an override finds nothing (Detection:OverrideFallback).</summary>
    public bool OverrideFallback { get; init; }

    public IPAddress? StaticFor(IpFamily family) => family == IpFamily.IPv4 ? StaticIPv4 : StaticIPv6;

    /// <summary>The rule that skips an interface, or null when none does.</summary>
    public string? SkipRuleFor(string interfaceName) =>
        SkipInterfaces.FirstOrDefault(r => r.IsMatch(interfaceName))?.ToString() is { } anchored ? Unanchor(anchored) : null;

    /// <summary>
    /// The linear-time engine: a catastrophic pattern (<c>(x+x+)+y</c>) in the configuration or a received snapshot costs
    /// time in proportion to the name, never a timeout; its only limits (no backreferences, lookarounds or atomic groups)
    /// are configuration errors (<see cref="Configuration.DetectionOptions"/>).
    /// </summary>
    public const RegexOptions Engine = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>
    /// <see cref="DefaultSkipInterfaces"/>, anchored and built once per process with the ordinary engine: fixed patterns
    /// of ours without nested repetition, on which it is linear too. Building sixteen linear-time matchers was most of
    /// --print's CPU; the linear-time engine stays for the operator's own patterns (<see cref="Anchored"/>).
    /// </summary>
    public static IReadOnlyList<Regex> DefaultSkipRules => DefaultRules.Value;

    private static readonly Lazy<Regex[]> DefaultRules = new(() =>
        [.. DefaultSkipInterfaces.Select(p => new Regex($"^(?:{p})$", RegexOptions.CultureInvariant))]);

    public static Regex Anchored(string pattern) => new($"^(?:{pattern})$", Engine);

    /// <summary>The pattern as the operator wrote it, from the anchored form <see cref="Anchored"/> made.</summary>
    public static string Unanchor(Regex anchored) => Unanchor(anchored.ToString());

    private static string Unanchor(string anchored) => anchored[4..^2];
}
