using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>The node's interfaces with their addresses, in the kernel's order.</summary>
internal interface INetworkInterfaces
{
    IReadOnlyList<NetInterface> Read();
}
