using System.Net;

namespace K0sNodeIp.Node;

/// <summary>A default route as kubelet reads it from /proc/net/route or /proc/net/ipv6_route.</summary>
internal sealed record DefaultRoute(string Interface, IPAddress Gateway, IpFamily Family);
