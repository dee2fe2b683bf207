using K0sNodeIp.Node;
using K0sNodeIp.Policy;

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
