using K0sNodeIp.Node;

namespace K0sNodeIp.Policy;

/// <summary>One default route of kubelet's walk: its interface, or the dead end kubelet stops at.</summary>
internal readonly record struct DefaultRouteStep(DefaultRoute Route, NetInterface? Interface, DefaultRouteDeadEnd? DeadEnd)
{
    /// <summary>Why kubelet stops at this route; null when the route has its interface.</summary>
    public string? WhyKubeletStops => DeadEnd switch
    {
        DefaultRouteDeadEnd.NoDevice => $"the {Route.Family.Name()} default route is a blackhole, unreachable or prohibit route (no device); {KubeletStops}",
        DefaultRouteDeadEnd.MissingInterface => $"default route via {Route.Gateway} names interface {Route.Interface}, which does not exist; {KubeletStops}",
        _ => null,
    };

    private const string KubeletStops = "kubelet stops at this route, finding nothing";
}
