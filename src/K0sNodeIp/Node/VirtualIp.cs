using System.Net;

namespace K0sNodeIp.Node;

/// <summary>A virtual IP some other component moves between nodes, and the config key that names it.</summary>
internal sealed record VirtualIp(IPAddress Address, string Origin);
