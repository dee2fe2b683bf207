namespace K0sNodeIp.Node;

/// <summary>
/// One network interface: its kernel flags and its addresses in the kernel's netlink dump order,
/// which is the order kubelet's "first address" follows.
/// </summary>
internal sealed record NetInterface(
    int Index,
    string Name,
    bool IsUp,
    bool IsLoopback,
    bool IsPointToPoint,
    IReadOnlyList<InterfaceAddress> Addresses);
