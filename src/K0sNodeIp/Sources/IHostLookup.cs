using K0sNodeIp.Node;
using K0sNodeIp.Targets;

namespace K0sNodeIp.Sources;

/// <summary>Resolves the node name to addresses the way kubelet's <c>net.LookupIP</c> does.</summary>
internal interface IHostLookup
{
    Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken);

    /// <summary>The same lookup, reading whatever files it needs through the detection's read stage (<paramref name="files"/>).</summary>
    Task<HostLookupResult> LookupAsync(string name, ITargetFiles files, CancellationToken cancellationToken) => LookupAsync(name, cancellationToken);

    /// <summary>
    /// The lookup a static kubelet (upstream from 1.38, Go's own resolver) would make of <paramref name="name"/>, when
    /// the kubelet here is a cgo build that handed it to glibc (<paramref name="asKubelet"/>); null otherwise.
    /// </summary>
    Task<HostLookupResult?> LookupAsStaticKubeletAsync(string name, HostLookupResult asKubelet, CancellationToken cancellationToken) =>
        Task.FromResult<HostLookupResult?>(null);
}
