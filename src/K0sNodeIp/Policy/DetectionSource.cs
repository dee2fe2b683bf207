namespace K0sNodeIp.Policy;

/// <summary>The detection steps an operator can order with <c>Detection:Sources</c>.</summary>
internal enum DetectionSource
{
    /// <summary>The source address towards <c>Detection:CanReachIPv4/IPv6</c>; skipped when not configured.</summary>
    CanReach,

    /// <summary>The interfaces matching <c>Detection:Interface</c>; skipped when not configured.</summary>
    Interface,

    /// <summary>kubelet's first two steps: the hostname as an IP, else the hostname lookup.</summary>
    Hostname,

    /// <summary>kubelet's fallback: the interface of the default route, then global addresses on lo.</summary>
    DefaultRoute,
}
