using System.Net;

namespace K0sNodeIp.Node;

/// <summary>The addresses to hand kubelet, primary family first.</summary>
internal sealed record NodeIpPair(IPAddress? Ipv4, IPAddress? Ipv6, IpFamily Primary)
{
    /// <summary>The addresses, primary family first; one when only one family exists.</summary>
    public IReadOnlyList<IPAddress> Addresses => (Primary == IpFamily.IPv4 ? new[] { Ipv4, Ipv6 } : [Ipv6, Ipv4]).OfType<IPAddress>().ToArray();

    /// <summary>"192.0.2.10,2001:db8::10": the value of --node-ip.</summary>
    public string Value => string.Join(',', Addresses);

    public string Flag => "--node-ip=" + Value;

    public bool IsEmpty => Ipv4 is null && Ipv6 is null;

    public override string ToString() => IsEmpty ? "(none)" : Value;
}
