using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>Resolves the node name to addresses the way kubelet's <c>net.LookupIP</c> does.</summary>
internal interface IHostLookup
{
    Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The lookup a static kubelet (upstream from 1.38, Go's own resolver) would make of <paramref name="name"/>, when
    /// the kubelet here is a cgo build that handed it to glibc (<paramref name="asKubelet"/>); null otherwise.
    /// </summary>
    Task<HostLookupResult?> LookupAsStaticKubeletAsync(string name, HostLookupResult asKubelet, CancellationToken cancellationToken) =>
        Task.FromResult<HostLookupResult?>(null);
}
