namespace K0sNodeIp.Policy;

/// <summary>A default route where kubelet's walk stops, finding nothing.</summary>
internal enum DefaultRouteDeadEnd
{
    /// <summary>A blackhole, unreachable or prohibit route: /proc/net/route names no device ("*").</summary>
    NoDevice,

    /// <summary>The route names an interface that does not exist (kubelet's InterfaceByName fails).</summary>
    MissingInterface,
}
