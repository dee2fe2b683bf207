namespace K0sNodeIp.Node;

/// <summary>
/// How the kubelet that will run on this node was built, as far as its resolver is concerned: a static Go
/// binary (no cgo) only ever uses Go's own resolver; a dynamically linked one (cgo) may hand lookups to glibc.
/// </summary>
/// <param name="Static">True for a static kubelet (k0s's, upstream's from v1.38), false for a cgo build.</param>
/// <param name="Why">Where that came from, for --print ("k0s runs a static kubelet").</param>
/// <param name="Path">The binary inspected, when one was.</param>
internal sealed record KubeletBuild(bool Static, string Why, string? Path = null)
{
    /// <summary>k0s builds its embedded kubelet with CGO disabled (KUBE_STATIC_OVERRIDES, k0s PR 2910).</summary>
    public static KubeletBuild K0s { get; } = new(true, "k0s runs a static kubelet");

    /// <summary>The resolver GODEBUG=netdns in the kubelet unit's environment asks for.</summary>
    public GoDebugNetDns NetDns { get; init; }

    /// <summary>Where <see cref="NetDns"/> was set, in words ("GODEBUG=netdns=go in kubelet.service's Environment= (FILE)"); null when unset.</summary>
    public string? NetDnsOrigin { get; init; }
}
