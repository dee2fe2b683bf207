namespace K0sNodeIp.Node;

/// <summary>
/// The default routes of both families in route-file order, or why they could not be read.
/// </summary>
/// <param name="Routes">Default routes, IPv4 first then IPv6, each in file order.</param>
/// <param name="Ipv4RouteFileMissing">True when /proc/net/route does not exist: kubelet then scans every up interface.</param>
/// <param name="Error">Why the route files could not be read or parsed; null when they were.</param>
internal sealed record RouteTable(IReadOnlyList<DefaultRoute> Routes, bool Ipv4RouteFileMissing = false, string? Error = null)
{
    public const string Ipv4File = "/proc/net/route";
    public const string Ipv6File = "/proc/net/ipv6_route";

    public static RouteTable Empty { get; } = new([]);

    /// <summary>
    /// An IPv6 default route carrying RTF_REJECT (blackhole, unreachable, prohibit) was skipped. The kernel's null
    /// entries (metric 0xffffffff, dev lo), which every node lists, are not routes and do not count.
    /// </summary>
    public bool Ipv6RejectDefault { get; init; }

    /// <summary>The devices of IPv6 default routes with no gateway ("default dev tun0", ppp), which kubelet skips; file order.</summary>
    public IReadOnlyList<string> Ipv6DefaultDevicesWithoutGateway { get; init; } = [];

    public IEnumerable<DefaultRoute> Of(IpFamily family) => Routes.Where(r => r.Family == family);
}
