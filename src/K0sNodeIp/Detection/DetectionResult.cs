using K0sNodeIp.Configuration;
using K0sNodeIp.Policy;
using K0sNodeIp.Sources;
using K0sNodeIp.Node;

namespace K0sNodeIp.Detection;

/// <summary>A detection's input and outcome, kept together so the choice can be explained.</summary>
internal sealed record DetectionResult(NodeSnapshot Snapshot, Decision Decision);
