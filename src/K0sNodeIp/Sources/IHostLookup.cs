using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>Resolves the node name to addresses the way kubelet's <c>net.LookupIP</c> does.</summary>
internal interface IHostLookup
{
    Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken);
}
