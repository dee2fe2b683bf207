using K0sNodeIp.Node;

namespace K0sNodeIp.Detection;

/// <summary>
/// The pair a static kubelet (upstream from 1.38, kubernetes PR 135870: Go's own resolver) would pick on this node,
/// beside the pair the cgo kubelet here picks through glibc: an upgrade may change the node IP before anyone notices.
/// </summary>
/// <param name="Now">The pair for the kubelet that runs here.</param>
/// <param name="After">The pair after the upgrade, in the same family order.</param>
/// <param name="Lookup">The lookup with Go's resolver that gives it.</param>
internal sealed record StaticKubeletOutlook(NodeIpPair Now, NodeIpPair After, HostLookupResult Lookup)
{
    /// <summary>The upgrade would change the node IP (either address, or one family appearing or vanishing).</summary>
    public bool Changes => !Now.Addresses.SequenceEqual(After.Addresses);

    /// <summary>One sentence naming both pairs, for --print and --check.</summary>
    public string Note => Changes
        ? $"after an upgrade to a static kubelet (upstream 1.38+, Go's resolver) the pair would be {After} instead of {Now}"
        : $"an upgrade to a static kubelet (upstream 1.38+, Go's resolver) keeps the pair {Now}";
}
