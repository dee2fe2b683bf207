using K0sNodeIp.Configuration;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;
using K0sNodeIp.Node;

namespace K0sNodeIp.Detection;

/// <summary>A detection's input and outcome, kept together so the choice can be explained.</summary>
internal sealed record DetectionResult(NodeSnapshot Snapshot, Decision Decision)
{
    /// <summary>
    /// The same policy over the same node with the lookup a static kubelet would make
    /// (<see cref="NodeSnapshot.StaticKubeletLookup"/>); null when that lookup was not read.
    /// </summary>
    public Decision? StaticKubeletDecision { get; init; }
}
