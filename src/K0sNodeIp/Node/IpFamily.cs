namespace K0sNodeIp.Node;

/// <summary>The two address families a node IP can have.</summary>
public enum IpFamily
{
    IPv4,
    IPv6,
}
