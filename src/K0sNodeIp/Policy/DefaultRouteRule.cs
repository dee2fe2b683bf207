using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>
/// kubelet's default-route rule (apimachinery's <c>ChooseHostInterface</c>), written once for
/// <see cref="KubeletPolicy"/> and <see cref="SelectionPolicy"/>: without /proc/net/route, every interface that is up,
/// not loopback and not point-to-point; else the default routes of the family in route-file order, each to its
/// interface or a dead end; and, when the route's interface has no global address, the global address on lo
/// (RFC 5549, BGP unnumbered: the host address sits on lo while the uplinks only have link-local ones).
/// </summary>
internal static class DefaultRouteRule
{
    /// <summary>The interfaces kubelet scans when /proc/net/route is missing.</summary>
    public static IEnumerable<NetInterface> ScannedWithoutRouteFile(NodeSnapshot snapshot) =>
        snapshot.Interfaces.Where(n => n.IsUp && !n.IsLoopback && !n.IsPointToPoint);

    /// <summary>The default routes of the family, in route-file order, each with its interface or dead end.</summary>
    public static IEnumerable<DefaultRouteStep> Steps(NodeSnapshot snapshot, IpFamily family) =>
        snapshot.Routes.Of(family).Select(route =>
            route.Interface == "*" ? new DefaultRouteStep(route, null, DefaultRouteDeadEnd.NoDevice)
            : snapshot.InterfaceNamed(route.Interface) is { } nic ? new DefaultRouteStep(route, nic, null)
            : new DefaultRouteStep(route, null, DefaultRouteDeadEnd.MissingInterface));

    /// <summary>The loopback interfaces that are up, where an RFC 5549 node holds its global address.</summary>
    public static IEnumerable<NetInterface> LoopbacksUp(NodeSnapshot snapshot) =>
        snapshot.Interfaces.Where(n => n.IsUp && n.IsLoopback);
}
